import { daysFromCivil, parseIsoTimestamp } from '../../model/timestamp.js';
import { localToUtcMs, parseOffset, resolveZone, UTC, type Zone } from './zones.js';

/*
 * Joda-Time / java.time patterns as Logstash's date filter and Elasticsearch's date processor take
 * them (`dd/MMM/yyyy:HH:mm:ss Z`, `yyyy-MM-dd HH:mm:ss,SSS`, `MMM  d HH:mm:ss`), plus the named
 * formats ISO8601, UNIX, UNIX_MS and TAI64N. English month and day names only.
 *
 * Leniencies, on purpose: a space in the pattern matches one or more spaces (syslog pads single-digit
 * days), a fraction takes 1-9 digits whatever the number of S, and a zone letter takes `Z` as UTC.
 * Missing fields come from the injected clock: no year → this year (last year if that puts the date
 * more than a day in the future, as Logstash does for syslog), no date at all → today.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

type NumericField = 'year' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction';

type Token =
  | { kind: 'number'; field: NumericField; width: number; fixed: boolean }
  | { kind: 'monthName' }
  | { kind: 'dayName' }
  | { kind: 'ampm' }
  | { kind: 'offset' }
  | { kind: 'zoneId' }
  | { kind: 'literal'; text: string }
  | { kind: 'space' };

export interface DateParser {
  readonly format: string;
  /** µs since the epoch, or null when the text does not have this format. */
  parse(text: string, nowUs: number): number | null;
}

const LETTER_FIELDS: Readonly<Record<string, NumericField | 'monthName' | 'dayName' | 'ampm' | 'zone'>> = {
  y: 'year',
  Y: 'year',
  u: 'year',
  M: 'month',
  L: 'month',
  d: 'day',
  H: 'hour',
  k: 'hour',
  h: 'hour12',
  K: 'hour12',
  m: 'minute',
  s: 'second',
  S: 'fraction',
  E: 'dayName',
  a: 'ampm',
  Z: 'zone',
  z: 'zone',
  X: 'zone',
  x: 'zone',
  V: 'zone',
};

/** Tokenises a Joda pattern; throws a message for letters Cairn does not support. */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        tokens.push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      if (end === -1) throw new Error(`unterminated quote at position ${i + 1}`);
      tokens.push({ kind: 'literal', text: pattern.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (ch === ' ') {
      while (pattern[i] === ' ') i++;
      tokens.push({ kind: 'space' });
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      tokens.push({ kind: 'literal', text: ch });
      i++;
      continue;
    }
    let j = i;
    while (pattern[j] === ch) j++;
    const width = j - i;
    i = j;
    const what = LETTER_FIELDS[ch];
    if (what === undefined) throw new Error(`the letter "${ch}" is not supported`);
    switch (what) {
      case 'monthName':
      case 'dayName':
      case 'ampm':
        tokens.push({ kind: what });
        break;
      case 'zone':
        tokens.push(
          ch === 'V' || ch === 'z' || (ch === 'Z' && width === 3) ? { kind: 'zoneId' } : { kind: 'offset' },
        );
        break;
      case 'month':
        tokens.push(
          width >= 3 ? { kind: 'monthName' } : { kind: 'number', field: 'month', width, fixed: false },
        );
        break;
      default:
        tokens.push({ kind: 'number', field: what, width, fixed: false });
    }
  }
  // A number directly followed by another number has a fixed width (yyyyMMdd).
  for (let k = 0; k < tokens.length - 1; k++) {
    const t = tokens[k]!;
    if (t.kind === 'number' && tokens[k + 1]!.kind === 'number') t.fixed = true;
  }
  return tokens;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  hour12: number;
  pm: number;
  minute: number;
  second: number;
  fractionUs: number;
  offsetMinutes: number | null;
  zone: Zone | null;
}

function maxDigits(field: NumericField): number {
  return field === 'year' ? 4 : field === 'fraction' ? 9 : 2;
}

function readName(text: string, at: number, names: readonly string[]): { index: number; end: number } | null {
  let end = at;
  while (end < text.length && /[A-Za-z]/.test(text[end]!)) end++;
  const word = text.slice(at, end).toLowerCase();
  if (word.length < 3) return null;
  for (let k = 0; k < names.length; k++) {
    if (names[k] === word || names[k]!.slice(0, 3) === word) return { index: k, end };
  }
  return null;
}

class JodaParser implements DateParser {
  private readonly hasYear: boolean;
  private readonly hasDate: boolean;
  private readonly twoDigitYear: boolean;

  constructor(
    readonly format: string,
    private readonly tokens: readonly Token[],
    private readonly zone: Zone,
  ) {
    const fields = new Set(tokens.map((t) => (t.kind === 'number' ? t.field : t.kind)));
    this.hasYear = fields.has('year');
    this.hasDate = this.hasYear || fields.has('month') || fields.has('monthName') || fields.has('day');
    this.twoDigitYear = tokens.some((t) => t.kind === 'number' && t.field === 'year' && t.width === 2);
  }

  parse(text: string, nowUs: number): number | null {
    const p: Parts = {
      year: -1,
      month: 1,
      day: 1,
      hour: 0,
      hour12: -1,
      pm: -1,
      minute: 0,
      second: 0,
      fractionUs: 0,
      offsetMinutes: null,
      zone: null,
    };
    let at = 0;
    for (const t of this.tokens) {
      const next = this.read(t, text, at, p);
      if (next < 0) return null;
      at = next;
    }
    if (at !== text.length) return null;
    return this.resolve(p, nowUs);
  }

  private read(t: Token, text: string, at: number, p: Parts): number {
    switch (t.kind) {
      case 'literal':
        return text.startsWith(t.text, at) ? at + t.text.length : -1;
      case 'space': {
        let end = at;
        while (text.charCodeAt(end) === 32) end++;
        return end > at ? end : -1;
      }
      case 'number': {
        const max = t.fixed ? t.width : maxDigits(t.field);
        const min = t.fixed ? t.width : 1;
        let end = at;
        let value = 0;
        while (end - at < max && end < text.length) {
          const c = text.charCodeAt(end) - 48;
          if (c < 0 || c > 9) break;
          value = value * 10 + c;
          end++;
        }
        const digits = end - at;
        if (digits < min) return -1;
        if (t.field === 'fraction') p.fractionUs = Math.floor(value * 10 ** (6 - digits));
        else if (t.field === 'year') p.year = digits <= 2 && this.twoDigitYear ? -100 - value : value;
        else p[t.field] = value;
        return end;
      }
      case 'monthName': {
        const hit = readName(text, at, MONTH_NAMES);
        if (hit === null) return -1;
        p.month = hit.index + 1;
        return hit.end;
      }
      case 'dayName': {
        const hit = readName(text, at, DAYS);
        return hit === null ? -1 : hit.end;
      }
      case 'ampm': {
        const word = text.slice(at, at + 2).toUpperCase();
        if (word !== 'AM' && word !== 'PM') return -1;
        p.pm = word === 'PM' ? 1 : 0;
        return at + 2;
      }
      case 'offset': {
        if (text[at] === 'Z' || text[at] === 'z') {
          p.offsetMinutes = 0;
          return at + 1;
        }
        const m = /^[+-]\d{2}(?::?\d{2})?/.exec(text.slice(at, at + 6));
        if (m === null) return -1;
        p.offsetMinutes = parseOffset(m[0]);
        return p.offsetMinutes === null ? -1 : at + m[0].length;
      }
      case 'zoneId': {
        const m = /^[A-Za-z][A-Za-z0-9_/+-]*/.exec(text.slice(at, at + 40));
        if (m === null) return -1;
        const zone = resolveZone(m[0]);
        if (zone === null) return -1;
        p.zone = zone;
        return at + m[0].length;
      }
    }
  }

  private resolve(p: Parts, nowUs: number): number | null {
    const zone = p.zone ?? this.zone;
    const nowMs = Math.floor(nowUs / 1000);
    let hour = p.hour;
    if (p.hour12 >= 0) {
      if (p.hour12 < 1 || p.hour12 > 12) return null;
      hour = (p.hour12 % 12) + (p.pm === 1 ? 12 : 0);
    }
    if (hour > 23 || p.minute > 59 || p.second > 60) return null;
    let year = p.year;
    let month = p.month;
    let day = p.day;
    if (!this.hasDate) {
      const today = new Date(nowMs + zone.offsetAt(nowMs));
      year = today.getUTCFullYear();
      month = today.getUTCMonth() + 1;
      day = today.getUTCDate();
    } else if (year <= -100) {
      // Two-digit year: the century that puts it within 50 years of now (Joda's pivot).
      const yy = -100 - year;
      const current = new Date(nowMs).getUTCFullYear();
      year = current - ((current - yy) % 100);
      if (year > current + 49) year -= 100;
      else if (year < current - 50) year += 100;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
    const compute = (y: number): number | null => {
      if (day > daysInMonth(y, month)) return null;
      const localMs = (daysFromCivil(y, month, day) * 86_400 + hour * 3600 + p.minute * 60 + p.second) * 1000;
      const utcMs =
        p.offsetMinutes !== null ? localMs - p.offsetMinutes * 60_000 : localToUtcMs(localMs, zone);
      return utcMs * 1000 + p.fractionUs;
    };
    if (this.hasYear || !this.hasDate) return compute(year);
    const thisYear = new Date(nowMs).getUTCFullYear();
    const guess = compute(thisYear);
    if (guess !== null && guess > nowUs + 86_400_000_000) return compute(thisYear - 1);
    // Feb 29 without a year: the last leap year.
    return guess ?? compute(thisYear - 1) ?? compute(thisYear - 2) ?? compute(thisYear - 3);
  }
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether ISO 8601 text ends with a zone designator (`Z`, `+01:00`, `-0800`). */
function hasIsoZone(text: string): boolean {
  return /(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/.test(text) && text.length > 10;
}

function isoParser(zone: Zone): DateParser {
  return {
    format: 'ISO8601',
    parse(text: string): number | null {
      const us = parseIsoTimestamp(text);
      if (us === null || zone === UTC || hasIsoZone(text)) return us;
      const ms = Math.floor(us / 1000);
      return (localToUtcMs(ms, zone) - ms) * 1000 + us;
    },
  };
}

function epochParser(format: string, unitUs: number): DateParser {
  return {
    format,
    parse(text: string): number | null {
      if (!/^-?\d+(?:\.\d+)?$/.test(text)) return null;
      const n = Number(text);
      return Number.isFinite(n) ? Math.round(n * unitUs) : null;
    },
  };
}

const TAI64N: DateParser = {
  format: 'TAI64N',
  parse(text: string): number | null {
    const hex = text.startsWith('@') ? text.slice(1) : text;
    if (!/^[0-9a-fA-F]{24}$/.test(hex)) return null;
    // TAI64 label: 2^62 + seconds; TAI is 10 s ahead of UTC at the epoch of the format's users.
    const seconds = Number(BigInt(`0x${hex.slice(0, 16)}`) - (1n << 62n)) - 10;
    const nanos = Number.parseInt(hex.slice(16), 16);
    return seconds * 1_000_000 + Math.floor(nanos / 1000);
  },
};

/**
 * Compiles a date format for `date` processors. Throws an Error whose message says what is wrong
 * with the pattern or the time zone.
 */
export function compileDateFormat(format: string, timezone?: string): DateParser {
  const zone = timezone === undefined ? UTC : resolveZone(timezone);
  if (zone === null) throw new Error(`unknown time zone "${timezone}"`);
  switch (format) {
    case 'ISO8601':
      return isoParser(zone);
    case 'UNIX':
      return epochParser(format, 1_000_000);
    case 'UNIX_MS':
      return epochParser(format, 1000);
    case 'TAI64N':
      return TAI64N;
  }
  return new JodaParser(format, tokenize(format), zone);
}

const FORMAT_TOKEN = /(y+|Y+|M+|d+|H+|m+|s+|S+|'[^']*')/g;

/**
 * Formats µs since the epoch in UTC with a Joda pattern (for `%{+yyyy.MM.dd}` references):
 * y, M, d, H, m, s and S, quoted literals, other characters as they are.
 */
export function formatJoda(us: number, pattern: string): string {
  const date = new Date(Math.floor(us / 1000));
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return pattern.replace(FORMAT_TOKEN, (token) => {
    const width = token.length;
    switch (token[0]) {
      case 'y':
      case 'Y':
        return width === 2 ? pad(date.getUTCFullYear() % 100, 2) : pad(date.getUTCFullYear(), width);
      case 'M':
        return width >= 3 ? MONTHS[date.getUTCMonth()]! : pad(date.getUTCMonth() + 1, width);
      case 'd':
        return pad(date.getUTCDate(), width);
      case 'H':
        return pad(date.getUTCHours(), width);
      case 'm':
        return pad(date.getUTCMinutes(), width);
      case 's':
        return pad(date.getUTCSeconds(), width);
      case 'S':
        return pad(
          Math.floor((((us % 1_000_000) + 1_000_000) % 1_000_000) / 10 ** Math.max(0, 6 - width)),
          width,
        );
      default:
        return token.slice(1, -1);
    }
  });
}
