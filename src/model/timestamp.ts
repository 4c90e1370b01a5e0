import { CairnError } from './errors.js';
import { describeJsonType, quoteForMessage } from './json-type.js';

/*
 * Timestamps are µs since the Unix epoch (UTC) held in a JS number. Whole seconds and whole
 * milliseconds stay exact for every year 0000-9999 (they are multiples of 2^6 and 2^3 µs); µs
 * precision is exact up to 2^53 µs, i.e. years 1685-2255, which covers real log traffic.
 *
 * Accepted strings (one hand-written pass, no regex, no Date.parse):
 *   YYYY-MM-DD                                  date only → midnight UTC
 *   YYYY-MM-DD(T|t| )HH:MM[:SS[(.|,)F{1,9}]][Z|z|±HH[[:]MM]]
 *                                               no zone → UTC; fraction truncated to µs;
 *                                               second 60 (RFC 3339 leap second) rolls over
 *   [-]digits[.digits]                          epoch number, unit picked by magnitude
 */

const US_PER_MS = 1_000;
const US_PER_SECOND = 1_000_000;
const US_PER_MINUTE = 60_000_000;
const US_PER_HOUR = 3_600_000_000;
const US_PER_DAY = 86_400_000_000;

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Where a failed parse reports why; only the error-describing path passes one. */
interface FailureSink {
  reason: string;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** First µs of year 0000 and first µs of year 10000: the range epoch numbers must fall in. */
const MIN_US = daysFromCivil(0, 1, 1) * US_PER_DAY;
const END_US = daysFromCivil(10000, 1, 1) * US_PER_DAY;

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Two digits at i and i+1 as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function fail(sink: FailureSink | null, reason: string): number {
  if (sink !== null) sink.reason = reason;
  return Number.NaN;
}

function expected(sink: FailureSink | null, s: string, what: string, at: number): number {
  if (sink === null) return Number.NaN;
  return fail(sink, `expected ${what} after ${quoteForMessage(s.slice(0, at))}`);
}

/**
 * The one ISO 8601 / RFC 3339 parser. Returns µs or NaN. Builds no strings unless `sink` is given,
 * so the ingest path allocates nothing.
 */
function parseIso(s: string, requireTime: boolean, sink: FailureSink | null): number {
  const len = s.length;
  const y0 = digitAt(s, 0);
  const y1 = digitAt(s, 1);
  const y2 = digitAt(s, 2);
  const y3 = digitAt(s, 3);
  if (y0 < 0 || y1 < 0 || y2 < 0 || y3 < 0) {
    return fail(sink, 'expected an ISO 8601 date like 2024-01-15T10:00:00Z or an epoch number');
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  if (s.charCodeAt(4) !== 45 /* - */) return expected(sink, s, '"-"', 4);
  const month = twoDigits(s, 5);
  if (month < 0 || digitAt(s, 7) >= 0) return expected(sink, s, 'a 2-digit month', 5);
  if (month < 1 || month > 12) return fail(sink, 'month must be 1-12');
  if (s.charCodeAt(7) !== 45) return expected(sink, s, '"-"', 7);
  const day = twoDigits(s, 8);
  if (day < 0 || digitAt(s, 10) >= 0) return expected(sink, s, 'a 2-digit day', 8);
  const maxDay = daysInMonth(year, month);
  if (day < 1 || day > maxDay) {
    if (sink === null) return Number.NaN;
    const monthName = MONTH_NAMES[month - 1] ?? String(month);
    const where = month === 2 ? `${monthName} ${s.slice(0, 4)}` : monthName;
    return fail(sink, `day must be 1-${maxDay} in ${where}`);
  }
  const dayUs = daysFromCivil(year, month, day) * US_PER_DAY;
  if (len === 10) {
    return requireTime ? expected(sink, s, 'a time such as "T10:00:00Z"', 10) : dayUs;
  }

  const sep = s.charCodeAt(10);
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32 /* space */) {
    return expected(sink, s, '"T" or a space', 10);
  }
  const hour = twoDigits(s, 11);
  if (hour < 0 || digitAt(s, 13) >= 0) return expected(sink, s, 'a 2-digit hour', 11);
  if (hour > 23) return fail(sink, 'hour must be 0-23');
  if (s.charCodeAt(13) !== 58 /* : */) return expected(sink, s, '":"', 13);
  const minute = twoDigits(s, 14);
  if (minute < 0 || digitAt(s, 16) >= 0) return expected(sink, s, 'a 2-digit minute', 14);
  if (minute > 59) return fail(sink, 'minute must be 0-59');

  let i = 16;
  let second = 0;
  let fractionUs = 0;
  if (s.charCodeAt(i) === 58) {
    second = twoDigits(s, 17);
    if (second < 0 || digitAt(s, 19) >= 0) return expected(sink, s, 'a 2-digit second', 17);
    if (second > 60) return fail(sink, 'second must be 0-60');
    i = 19;
    const dot = s.charCodeAt(i);
    if (dot === 46 /* . */ || dot === 44 /* , */) {
      i++;
      const start = i;
      let d = digitAt(s, i);
      while (d >= 0) {
        if (i - start < 6) fractionUs = fractionUs * 10 + d;
        i++;
        d = digitAt(s, i);
      }
      const digits = i - start;
      if (digits === 0) return expected(sink, s, 'fraction digits', start);
      if (digits > 9) return fail(sink, 'fractional seconds must have at most 9 digits');
      for (let k = digits; k < 6; k++) fractionUs *= 10;
    }
  }

  let offsetMinutes = 0;
  if (i < len) {
    const z = s.charCodeAt(i);
    if (z === 90 /* Z */ || z === 122 /* z */) {
      i++;
    } else if (z === 43 /* + */ || z === 45 /* - */) {
      const oh = twoDigits(s, i + 1);
      if (oh < 0) return expected(sink, s, 'a 2-digit offset hour', i + 1);
      if (oh > 23) return fail(sink, 'time zone offset hours must be 0-23');
      i += 3;
      let om = 0;
      if (i < len) {
        const colon = s.charCodeAt(i) === 58;
        om = twoDigits(s, colon ? i + 1 : i);
        if (om < 0) return expected(sink, s, 'a 2-digit offset minute', colon ? i + 1 : i);
        if (om > 59) return fail(sink, 'time zone offset minutes must be 0-59');
        i += colon ? 3 : 2;
      }
      offsetMinutes = oh * 60 + om;
      if (z === 45) offsetMinutes = -offsetMinutes;
    } else {
      return expected(sink, s, 'a time zone ("Z" or "+02:00") or the end', i);
    }
    if (i < len) {
      if (sink === null) return Number.NaN;
      return fail(
        sink,
        `unexpected ${quoteForMessage(s.slice(i), 20)} after ${quoteForMessage(s.slice(0, i))}`,
      );
    }
  }

  return (
    dayUs +
    hour * US_PER_HOUR +
    minute * US_PER_MINUTE +
    second * US_PER_SECOND +
    fractionUs -
    offsetMinutes * US_PER_MINUTE
  );
}

/** True when `s` is `[-]digits[.digits]`: an epoch number sent as a string. */
function isNumericString(s: string): boolean {
  const len = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const intStart = i;
  while (i < len && digitAt(s, i) >= 0) i++;
  if (i === intStart) return false;
  if (i === len) return true;
  if (s.charCodeAt(i) !== 46) return false;
  i++;
  const fracStart = i;
  while (i < len && digitAt(s, i) >= 0) i++;
  return i > fracStart && i === len;
}

/** Epoch number → µs; the magnitude picks s / ms / µs / ns. NaN when not finite or outside years 0000-9999. */
function epochToUs(n: number): number {
  if (!Number.isFinite(n)) return Number.NaN;
  const magnitude = Math.abs(n);
  let us: number;
  if (magnitude < 1e11) us = Math.round(n * US_PER_SECOND);
  else if (magnitude < 1e14) us = Math.round(n * US_PER_MS);
  else if (magnitude < 1e17) us = Math.floor(n);
  else us = Math.floor(n / 1000);
  return us >= MIN_US && us < END_US ? us : Number.NaN;
}

/**
 * µs since the epoch (UTC) of an ISO 8601 / RFC 3339 string or an epoch number (or numeric string;
 * < 1e11 seconds, < 1e14 ms, < 1e17 µs, else ns), or null when the value is not a timestamp.
 */
export function parseTimestamp(value: unknown): number | null {
  let us: number;
  if (typeof value === 'string') {
    if (value.length === 0) return null;
    us = isNumericString(value) ? epochToUs(Number(value)) : parseIso(value, false, null);
  } else if (typeof value === 'number') {
    us = epochToUs(value);
  } else {
    return null;
  }
  return Number.isNaN(us) ? null : us;
}

/** µs of an ISO 8601 date or date-time string, or null. Epoch numbers are not accepted. */
export function parseIsoTimestamp(text: string): number | null {
  const us = parseIso(text, false, null);
  return Number.isNaN(us) ? null : us;
}

/**
 * µs of a strict ISO 8601 date-time (a date and at least `HH:MM`), or null. Date-only strings
 * and numbers are rejected: this is what type inference treats as a timestamp.
 */
export function parseIsoDateTime(text: string): number | null {
  if (text.length < 16) return null;
  const us = parseIso(text, true, null);
  return Number.isNaN(us) ? null : us;
}

/**
 * Why `parseTimestamp(value)` returns null, as a message a person can act on:
 * `Cannot parse timestamp "2024-13-01": month must be 1-12`.
 */
export function describeTimestampError(value: unknown): string {
  const range = 'it is outside the supported range, years 0000-9999';
  if (typeof value === 'string') {
    const quoted = quoteForMessage(value);
    if (value.length === 0) return `Cannot parse timestamp "": the value is empty`;
    if (isNumericString(value)) {
      const us = epochToUs(Number(value));
      return !Number.isNaN(us)
        ? `Timestamp ${quoted} is valid`
        : `Cannot parse timestamp ${quoted}: ${range}`;
    }
    const sink: FailureSink = { reason: '' };
    const us = parseIso(value, false, sink);
    return !Number.isNaN(us)
      ? `Timestamp ${quoted} is valid`
      : `Cannot parse timestamp ${quoted}: ${sink.reason}`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `Cannot parse timestamp ${value}: expected a finite number`;
    const us = epochToUs(value);
    return !Number.isNaN(us) ? `Timestamp ${value} is valid` : `Cannot parse timestamp ${value}: ${range}`;
  }
  const expectation = 'expected an ISO 8601 string or an epoch number';
  if (typeof value === 'boolean' || value === null) {
    return `Cannot parse timestamp ${String(value)}: ${expectation}, got ${describeJsonType(value)}`;
  }
  return `Cannot parse timestamp: ${expectation}, got ${describeJsonType(value)}`;
}

function pad(n: number, width: number): string {
  let s = String(n);
  while (s.length < width) s = '0' + s;
  return s;
}

/**
 * ISO 8601 UTC with `Z`: millisecond precision when the sub-millisecond part is 0
 * (`2024-01-15T10:00:00.123Z`), else microsecond precision (`…00.123456Z`). Years outside
 * 0000-9999 use the signed 6-digit form, as `Date.prototype.toISOString` does.
 */
export function formatTimestamp(us: number): string {
  if (!Number.isFinite(us)) {
    throw new CairnError(
      'internal',
      `Cannot format timestamp ${us}: expected a finite number of microseconds`,
    );
  }
  const t = Math.floor(us);
  const days = Math.floor(t / US_PER_DAY);
  let rem = t - days * US_PER_DAY;
  const hour = Math.floor(rem / US_PER_HOUR);
  rem -= hour * US_PER_HOUR;
  const minute = Math.floor(rem / US_PER_MINUTE);
  rem -= minute * US_PER_MINUTE;
  const second = Math.floor(rem / US_PER_SECOND);
  const fraction = rem - second * US_PER_SECOND;

  // H. Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);

  const yearText = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? '-' : '+') + pad(Math.abs(year), 6);
  const fractionText = fraction % US_PER_MS === 0 ? pad(fraction / US_PER_MS, 3) : pad(fraction, 6);
  return (
    yearText +
    '-' +
    pad(month, 2) +
    '-' +
    pad(day, 2) +
    'T' +
    pad(hour, 2) +
    ':' +
    pad(minute, 2) +
    ':' +
    pad(second, 2) +
    '.' +
    fractionText +
    'Z'
  );
}
