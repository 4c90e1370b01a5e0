import { describe, expect, it } from 'vitest';
import { ipv6BlockBounds, ipv6ToBigInt, parseCidr, parseIp } from './ip.js';

describe('parseIp', () => {
  it.each([
    ['10.0.0.1', 4, '10.0.0.1'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['0.0.0.0', 4, '0.0.0.0'],
    ['::1', 6, '::1'],
    ['::', 6, '::'],
    ['2001:DB8::1', 6, '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 6, '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', 6, '2001:0:0:1::1'],
    ['2001:db8:0:1:1:1:1:1', 6, '2001:db8:0:1:1:1:1:1'],
    ['fe80::', 6, 'fe80::'],
    ['1:2:3:4:5:6:7::', 6, '1:2:3:4:5:6:7:0'],
    ['::ffff:192.0.2.1', 6, '::ffff:192.0.2.1'],
    ['::FFFF:c000:0201', 6, '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', 6, '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', 6, '1:2:3:4:5:6:102:304'],
  ])('%s', (text, version, canonical) => {
    expect(parseIp(text)).toMatchObject({ version, text: canonical });
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '1.2.3.-4',
    '1.2.3.4 ',
    'a.b.c.d',
    '1..2.3',
    ':::',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '1.2.3.4::',
    'fe80::1%eth0',
    'g::1',
    'localhost',
    '10.0.0.0/8',
    '010.1.0.1',
    '1.2.3.04',
  ])('rejects %j', (text) => {
    expect(parseIp(text)).toBeNull();
  });
});

describe('parseCidr', () => {
  it('gives the first and last IPv4 address as integers, ignoring host bits', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ version: 4, first: 167772160, last: 184549375, prefix: 8 });
    expect(parseCidr('10.1.2.3/8')).toEqual({ version: 4, first: 167772160, last: 184549375, prefix: 8 });
    expect(parseCidr('192.168.1.7/32')).toEqual({
      version: 4,
      first: 3232235783,
      last: 3232235783,
      prefix: 32,
    });
    expect(parseCidr('0.0.0.0/0')).toEqual({ version: 4, first: 0, last: 4294967295, prefix: 0 });
    expect(parseCidr('255.255.255.255/1')).toEqual({
      version: 4,
      first: 2147483648,
      last: 4294967295,
      prefix: 1,
    });
  });

  it('parses IPv6 blocks', () => {
    expect(parseCidr('2001:db8::/32')).toMatchObject({
      version: 6,
      prefix: 32,
      address: { text: '2001:db8::' },
    });
    expect(parseCidr('::ffff:10.0.0.0/104')).toMatchObject({ version: 6, prefix: 104 });
  });

  it.each([
    '10.0.0.0',
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/a',
    '/8',
    '10.0.0/8',
    '::/129',
    '10.0.0.0/8/8',
    '10.0.0.0/08',
    '010.0.0.0/8',
  ])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe('ipv6ToBigInt and ipv6BlockBounds', () => {
  const v6 = (text: string) => {
    const ip = parseIp(text);
    if (ip?.version !== 6) throw new Error(`${text} is not IPv6`);
    return ip.groups;
  };

  it.each([
    ['::', 0n],
    ['::1', 1n],
    ['::ffff:1.2.3.4', 0xffff_0102_0304n],
    ['2001:db8::1', 0x2001_0db8_0000_0000_0000_0000_0000_0001n],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 2n ** 128n - 1n],
  ])('%s is %s', (text, value) => {
    expect(ipv6ToBigInt(v6(text))).toBe(value);
  });

  it.each([
    ['2001:db8::/32', 0x2001_0db8n << 96n, ((0x2001_0db8n + 1n) << 96n) - 1n],
    ['2001:db8::1234/120', 0x2001_0db8n * 2n ** 96n + 0x1200n, 0x2001_0db8n * 2n ** 96n + 0x12ffn],
    ['::/0', 0n, 2n ** 128n - 1n],
    ['::1/127', 0n, 1n],
    ['::1/128', 1n, 1n],
  ])('%s spans %s to %s', (text, first, last) => {
    const block = parseCidr(text);
    if (block?.version !== 6) throw new Error(`${text} is not an IPv6 block`);
    expect(ipv6BlockBounds(block)).toEqual({ first, last });
  });
});
