/**
 * IP addresses as query values, read the way ingest canonicalises them (src/model/ip.ts), so that
 * equality on the stored text works: IPv4 as a strict dotted quad (no leading zeros), IPv6 as
 * RFC 5952 (lower case, longest zero run compressed, IPv4-mapped written `::ffff:1.2.3.4`).
 */
export type IpAddress =
  | { version: 4; value: number; text: string }
  | { version: 6; groups: number[]; text: string };

/** A CIDR block; for IPv4 the first and last address as integers. */
export type CidrBlock =
  | { version: 4; first: number; last: number; prefix: number }
  | { version: 6; address: IpAddress & { version: 6 }; prefix: number };

export function parseIp(text: string): IpAddress | null {
  if (text.includes(':')) return parseIpv6(text);
  const value = parseIpv4(text);
  return value === null ? null : { version: 4, value, text: formatIpv4(value) };
}

/** `10.0.0.0/8`, `2001:db8::/32`; host bits are ignored (`10.1.2.3/8` = `10.0.0.0/8`). */
export function parseCidr(text: string): CidrBlock | null {
  const slash = text.indexOf('/');
  if (slash === -1) return null;
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || (prefixText.length > 1 && prefixText.startsWith('0'))) return null;
  const prefix = Number(prefixText);
  const ip = parseIp(text.slice(0, slash));
  if (ip === null) return null;
  if (ip.version === 4) {
    if (prefix > 32) return null;
    const size = 2 ** (32 - prefix);
    const first = Math.floor(ip.value / size) * size;
    return { version: 4, first, last: first + size - 1, prefix };
  }
  if (prefix > 128) return null;
  return { version: 6, address: ip, prefix };
}

/** An IPv6 address's 128 bits as an unsigned integer (`::1` → 1n). */
export function ipv6ToBigInt(groups: readonly number[]): bigint {
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

/** The first and last address of an IPv6 CIDR block, as 128-bit unsigned integers. */
export function ipv6BlockBounds(block: CidrBlock & { version: 6 }): { first: bigint; last: bigint } {
  const hostBits = BigInt(128 - block.prefix);
  const first = (ipv6ToBigInt(block.address.groups) >> hostBits) << hostBits;
  return { first, last: first + (1n << hostBits) - 1n };
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * RFC 5952: lower-case hex, no leading zeros, the first longest run of two or more zero groups as
 * `::`; IPv4-mapped addresses as `::ffff:1.2.3.4` (section 5).
 */
export function formatIpv6(groups: readonly number[]): string {
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIpv4(groups[6]! * 65536 + groups[7]!)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

function parseIpv6(text: string): IpAddress | null {
  if (text.length > 45) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = compressed && halves[1] ? halves[1].split(':') : [];
  // Dotted IPv4 may only end the whole address.
  const headGroups = readGroups(head, !compressed);
  const tailGroups = readGroups(tail, true);
  if (headGroups === null || tailGroups === null) return null;
  const missing = 8 - headGroups.length - tailGroups.length;
  if (compressed ? missing < 1 : missing !== 0) return null;
  const groups = [...headGroups, ...new Array<number>(missing).fill(0), ...tailGroups];
  return { version: 6, groups, text: formatIpv6(groups) };
}

/** Hex groups; when `ipv4Last`, the last part may be dotted IPv4 (two groups). */
function readGroups(parts: string[], ipv4Last: boolean): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (ipv4Last && i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIpv4(p);
      if (v4 === null) return null;
      out.push(Math.floor(v4 / 65536), v4 % 65536);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
      out.push(Number.parseInt(p, 16));
    } else {
      return null;
    }
  }
  return out;
}
