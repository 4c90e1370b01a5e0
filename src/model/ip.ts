/*
 * IP address parsing without regexes. IPv4 is the strict dotted quad (no leading zeros, which some
 * libraries read as octal). IPv6 is RFC 4291 text (any case, leading zeros, `::`, a trailing
 * dotted quad) rendered in RFC 5952 form. Zone ids (`fe80::1%eth0`) and brackets are not addresses.
 */

export interface CidrRange {
  family: 4 | 6;
  /** First address of the range (the network address), canonical text. */
  first: string;
  /** Last address of the range, canonical text. */
  last: string;
  prefix: number;
}

/** IPv4 text is 7-15 characters; IPv6 text is at most 45 (`ffff:…:255.255.255.255`). */
const MAX_IPV6_LENGTH = 45;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** The dotted quad in s[start, end) as an unsigned 32-bit number, or -1. */
function parseIpv4(s: string, start: number, end: number): number {
  const length = end - start;
  if (length < 7 || length > 15) return -1;
  let value = 0;
  let i = start;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
    const partStart = i;
    let octet = 0;
    while (i < end) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      octet = octet * 10 + d;
      i++;
    }
    const digits = i - partStart;
    if (digits === 0 || digits > 3 || octet > 255) return -1;
    if (digits > 1 && s.charCodeAt(partStart) === 48) return -1;
    value = value * 256 + octet;
  }
  return i === end ? value : -1;
}

/** Parses IPv6 text into 8 groups; false when it is not an IPv6 address. */
function parseIpv6(s: string, groups: Uint16Array): boolean {
  const len = s.length;
  if (len < 2 || len > MAX_IPV6_LENGTH) return false;
  let i = 0;
  let n = 0;
  let gap = -1;
  if (s.charCodeAt(0) === 58 /* : */) {
    if (s.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < len) {
    if (n === 8) return false;
    const start = i;
    let value = 0;
    let h = hexValue(s.charCodeAt(i));
    while (h >= 0 && i - start < 4) {
      value = value * 16 + h;
      i++;
      h = hexValue(s.charCodeAt(i));
    }
    if (i < len && s.charCodeAt(i) === 46 /* . */) {
      // A trailing dotted quad fills the last two groups.
      if (n > 6) return false;
      const v4 = parseIpv4(s, start, len);
      if (v4 < 0) return false;
      groups[n++] = v4 >>> 16;
      groups[n++] = v4 & 0xffff;
      i = len;
      break;
    }
    if (i === start || h >= 0) return false; // no digits, or more than 4
    groups[n++] = value;
    if (i === len) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = n;
      i++;
    } else if (i === len) {
      return false;
    }
  }
  if (gap < 0) return n === 8;
  if (n === 8) return false;
  // Move the groups after `::` to the end and zero the gap.
  const tail = n - gap;
  for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k] ?? 0;
  for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  return true;
}

function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** RFC 5952 text of 8 groups. */
function formatIpv6(groups: Uint16Array): string {
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0) {
    if (groups[5] === 0xffff) return '::ffff:' + formatIpv4(groups[6]! * 65536 + groups[7]!);
  }
  // The longest run of two or more zero groups is written `::`; the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let k = 0; k < 8; ) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    const start = k;
    while (k < 8 && groups[k] === 0) k++;
    if (k - start > bestLength) {
      bestStart = start;
      bestLength = k - start;
    }
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      out += '::';
      k += bestLength - 1;
      continue;
    }
    if (out.length > 0 && out.charCodeAt(out.length - 1) !== 58) out += ':';
    out += groups[k]!.toString(16);
  }
  return out;
}

function looksLikeIpStart(c: number): boolean {
  return c === 58 || hexValue(c) >= 0;
}

/**
 * The canonical text of an IP address: an IPv4 dotted quad as is; IPv6 in RFC 5952 form (lower case,
 * no leading zeros, longest zero run as `::`, IPv4-mapped as `::ffff:1.2.3.4`); null for anything else.
 */
export function canonicalIp(text: string): string | null {
  const len = text.length;
  if (len < 2 || len > MAX_IPV6_LENGTH || !looksLikeIpStart(text.charCodeAt(0))) return null;
  if (parseIpv4(text, 0, len) >= 0) return text;
  const groups = new Uint16Array(8);
  return parseIpv6(text, groups) ? formatIpv6(groups) : null;
}

/** Reused by isIp only: it never escapes and the call is synchronous, so sharing it is safe. */
const SCRATCH_GROUPS = new Uint16Array(8);

/** True when `text` is an IPv4 or IPv6 address (the same rules as canonicalIp, without building text). */
export function isIp(text: string): boolean {
  const len = text.length;
  if (len < 2 || len > MAX_IPV6_LENGTH || !looksLikeIpStart(text.charCodeAt(0))) return false;
  return parseIpv4(text, 0, len) >= 0 || parseIpv6(text, SCRATCH_GROUPS);
}

/** An IPv4 dotted quad as an unsigned 32-bit integer (`10.0.0.1` → 167772161), or null. */
export function ipv4ToInt(text: string): number | null {
  const value = parseIpv4(text, 0, text.length);
  return value >= 0 ? value : null;
}

function parsePrefix(s: string, start: number, max: number): number {
  const digits = s.length - start;
  if (digits < 1 || digits > 3) return -1;
  if (digits > 1 && s.charCodeAt(start) === 48) return -1;
  let value = 0;
  for (let i = start; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value <= max ? value : -1;
}

/**
 * The address range of a CIDR block (`10.0.0.0/8`, `2001:db8::/32`). Host bits after the prefix are
 * ignored (`10.1.2.3/8` is `10.0.0.0/8`), and a bare address is a one-address block (/32 or /128).
 */
export function parseCidr(text: string): CidrRange | null {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const v4 = parseIpv4(address, 0, address.length);
  if (v4 >= 0) {
    const prefix = slash < 0 ? 32 : parsePrefix(text, slash + 1, 32);
    if (prefix < 0) return null;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const first = (v4 & mask) >>> 0;
    const last = (first | ~mask) >>> 0;
    return { family: 4, first: formatIpv4(first), last: formatIpv4(last), prefix };
  }
  const groups = new Uint16Array(8);
  if (!parseIpv6(address, groups)) return null;
  const prefix = slash < 0 ? 128 : parsePrefix(text, slash + 1, 128);
  if (prefix < 0) return null;
  const lastGroups = new Uint16Array(8);
  for (let k = 0; k < 8; k++) {
    const bits = Math.min(16, Math.max(0, prefix - k * 16));
    const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    const value = groups[k] ?? 0;
    groups[k] = value & mask;
    lastGroups[k] = (value & mask) | (~mask & 0xffff);
  }
  return { family: 6, first: formatIpv6(groups), last: formatIpv6(lastGroups), prefix };
}
