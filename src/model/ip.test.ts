import { describe, expect, it } from 'vitest';
import { type CidrRange, canonicalIp, ipv4ToInt, isIp, parseCidr } from './ip.js';

describe('canonicalIp and isIp', () => {
  const cases: [string, string | null][] = [
    // IPv4
    ['1.2.3.4', '1.2.3.4'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['192.168.1.10', '192.168.1.10'],
    ['01.2.3.4', null],
    ['1.2.3.04', null],
    ['256.1.1.1', null],
    ['1.2.3', null],
    ['1.2.3.4.5', null],
    ['1.2.3.', null],
    ['.1.2.3', null],
    ['1..2.3', null],
    ['1.2.3.4 ', null],
    ['1234.1.1.1', null],
    // IPv6 → RFC 5952
    ['::', '::'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
    ['1::', '1::'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['fe80::1:2', 'fe80::1:2'],
    ['FE80::ABCD', 'fe80::abcd'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    // embedded IPv4
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::FFFF:192.168.0.1', '::ffff:192.168.0.1'],
    ['0:0:0:0:0:ffff:102:304', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::102:304'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    // not addresses
    ['', null],
    [':', null],
    [':::', null],
    ['1:::2', null],
    ['1::2::3', null],
    [':1:2:3:4:5:6:7', null],
    ['1:2:3:4:5:6:7:', null],
    ['1:2:3:4:5:6:7', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1::2:3:4:5:6:7:8', null],
    ['12345::1', null],
    ['g::1', null],
    ['fe80::1%eth0', null],
    ['[::1]', null],
    ['::ffff:1.2.3', null],
    ['::ffff:01.2.3.4', null],
    ['1:2:3:4:5:6:7:1.2.3.4', null],
    ['cafe', null],
    ['deadbeef', null],
    ['GET /index.html', null],
    ['localhost', null],
    ['a'.repeat(50), null],
  ];
  it.each(cases)('%j → %j', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
    expect(isIp(input)).toBe(expected !== null);
  });

  it('returns the input itself for an IPv4 address', () => {
    const text = ['10', '0', '0', '1'].join('.');
    expect(canonicalIp(text)).toBe(text);
  });
});

describe('ipv4ToInt', () => {
  const cases: [string, number | null][] = [
    ['0.0.0.0', 0],
    ['0.0.0.1', 1],
    ['10.0.0.1', 167_772_161],
    ['192.168.1.1', 3_232_235_777],
    ['255.255.255.255', 4_294_967_295],
    ['256.0.0.0', null],
    ['::1', null],
    ['', null],
  ];
  it.each(cases)('%s → %j', (input, expected) => {
    expect(ipv4ToInt(input)).toBe(expected);
  });
});

describe('parseCidr', () => {
  const cases: [string, CidrRange | null][] = [
    ['10.0.0.0/8', { family: 4, first: '10.0.0.0', last: '10.255.255.255', prefix: 8 }],
    ['10.1.2.3/8', { family: 4, first: '10.0.0.0', last: '10.255.255.255', prefix: 8 }],
    ['192.168.1.0/24', { family: 4, first: '192.168.1.0', last: '192.168.1.255', prefix: 24 }],
    ['172.16.0.0/12', { family: 4, first: '172.16.0.0', last: '172.31.255.255', prefix: 12 }],
    ['1.2.3.4/32', { family: 4, first: '1.2.3.4', last: '1.2.3.4', prefix: 32 }],
    ['1.2.3.4/31', { family: 4, first: '1.2.3.4', last: '1.2.3.5', prefix: 31 }],
    ['1.2.3.4/0', { family: 4, first: '0.0.0.0', last: '255.255.255.255', prefix: 0 }],
    ['1.2.3.4', { family: 4, first: '1.2.3.4', last: '1.2.3.4', prefix: 32 }],
    [
      '2001:db8::/32',
      { family: 6, first: '2001:db8::', last: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', prefix: 32 },
    ],
    ['2001:DB8::1/64', { family: 6, first: '2001:db8::', last: '2001:db8::ffff:ffff:ffff:ffff', prefix: 64 }],
    [
      'fe80::/10',
      { family: 6, first: 'fe80::', last: 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', prefix: 10 },
    ],
    ['::/0', { family: 6, first: '::', last: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', prefix: 0 }],
    ['::1/128', { family: 6, first: '::1', last: '::1', prefix: 128 }],
    ['::1', { family: 6, first: '::1', last: '::1', prefix: 128 }],
    [
      '::ffff:10.0.0.0/104',
      { family: 6, first: '::ffff:10.0.0.0', last: '::ffff:10.255.255.255', prefix: 104 },
    ],
    ['10.0.0.0/33', null],
    ['10.0.0.0/', null],
    ['10.0.0.0/08', null],
    ['10.0.0.0/-1', null],
    ['10.0.0.0/8/8', null],
    ['::/129', null],
    ['example.com/8', null],
    ['', null],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseCidr(input)).toEqual(expected);
  });
});
