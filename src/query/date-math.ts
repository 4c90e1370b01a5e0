import { queryError } from './errors.js';

/**
 * Elasticsearch date math, in microseconds since the epoch (UTC).
 *
 *   now, now-1h, now/d, now-15m/m, now+1M/M, 2024-01-01||+1M/d, 2024-03-05T10:00:00Z, 1704067200000
 *
 * An anchor (`now`, an ISO 8601 date, or epoch milliseconds followed by `||`) then any number of
 * `+N<unit>`, `-N<unit>` and `/<unit>` (round). Units: y M w d h H m s (`H` = `h`). Weeks start on
 * Monday. Month and year arithmetic clamps the day (Jan 31 + 1M = Feb 29 in 2024).
 *
 * `roundUp` follows Elasticsearch's range semantics: a rounding (`/d`) or a date written with less
 * than full precision (`2024-01-01`) means its last microsecond instead of its first. Use it for
 * inclusive upper bounds (`lte`) and exclusive lower bounds (`gt`).
 */
export interface DateMathOptions {
  nowUs: number;
  roundUp?: boolean;
}

export type DateUnit = 'y' | 'M' | 'w' | 'd' | 'h' | 'm' | 's';

const US_PER_MS = 1000;
const FIXED_UNIT_US: Record<'w' | 'd' | 'h' | 'm' | 's', number> = {
  w: 7 * 86_400_000_000,
  d: 86_400_000_000,
  h: 3_600_000_000,
  m: 60_000_000,
  s: 1_000_000,
};
/** JavaScript Date's limit (±100,000,000 days), in µs. */
const MAX_ABS_US = 8.64e15 * US_PER_MS;

const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const EPOCH_MS = /^-?\d{1,16}$/;
const HINT =
  'expected ISO 8601 (2024-01-31T10:00:00Z), epoch milliseconds or date math (now-1h, now/d, 2024-01-01||+1M)';

/** Parses date math to µs since the epoch. Throws CairnError `invalid_query` on a malformed value. */
export function parseDateMath(text: string, options: DateMathOptions): number {
  const roundUp = options.roundUp ?? false;
  let time: number;
  let math: string;
  if (text.startsWith('now')) {
    time = options.nowUs;
    math = text.slice(3);
  } else {
    const anchorEnd = text.indexOf('||');
    if (anchorEnd === -1) return parseAbsolute(text, roundUp);
    time = parseAbsolute(text.slice(0, anchorEnd), false, text);
    math = text.slice(anchorEnd + 2);
  }
  return applyMath(text, math, time, roundUp);
}

/** The µs interval a date value denotes: `2024-01-01` is the whole day, `now/h` the whole hour, `now` an instant. */
export function parseDateRange(text: string, nowUs: number): { startUs: number; endUs: number } {
  return {
    startUs: parseDateMath(text, { nowUs, roundUp: false }),
    endUs: parseDateMath(text, { nowUs, roundUp: true }),
  };
}

/** `time` plus `n` units (calendar arithmetic for months and years, clamping the day). */
export function addUnits(time: number, n: number, unit: DateUnit): number {
  if (unit === 'y' || unit === 'M') {
    const c = civil(time);
    const months = c.month + n * (unit === 'y' ? 12 : 1);
    const year = c.year + Math.floor(months / 12);
    const month = ((months % 12) + 12) % 12;
    const day = Math.min(c.day, daysInMonth(year, month));
    return utcUs(year, month, day) + c.timeOfDayUs;
  }
  return time + n * FIXED_UNIT_US[unit];
}

/** Start of the unit holding `time` (UTC; weeks start on Monday). */
export function roundDown(time: number, unit: DateUnit): number {
  switch (unit) {
    case 'y':
      return utcUs(civil(time).year, 0, 1);
    case 'M': {
      const c = civil(time);
      return utcUs(c.year, c.month, 1);
    }
    case 'w': {
      const day = Math.floor(time / FIXED_UNIT_US.d);
      // 1970-01-01 was a Thursday: three days after a Monday.
      const sinceMonday = (((day + 3) % 7) + 7) % 7;
      return (day - sinceMonday) * FIXED_UNIT_US.d;
    }
    default:
      return Math.floor(time / FIXED_UNIT_US[unit]) * FIXED_UNIT_US[unit];
  }
}

/** Last µs of the unit holding `time`. */
export function roundUpTo(time: number, unit: DateUnit): number {
  return addUnits(roundDown(time, unit), 1, unit) - 1;
}

function applyMath(text: string, math: string, start: number, roundUp: boolean): number {
  let time = start;
  let i = 0;
  while (i < math.length) {
    const op = math[i]!;
    if (op === '/') {
      const unit = readUnit(text, math, i + 1);
      time = roundUp ? roundUpTo(time, unit) : roundDown(time, unit);
      i += 2;
    } else if (op === '+' || op === '-') {
      let j = i + 1;
      while (j < math.length && isDigit(math.charCodeAt(j))) j++;
      if (j - i - 1 > 9) throw dateError(text, `the number after '${op}' is too large`);
      const n = j > i + 1 ? Number(math.slice(i + 1, j)) : 1;
      const unit = readUnit(text, math, j);
      time = addUnits(time, op === '+' ? n : -n, unit);
      i = j + 1;
    } else {
      throw dateError(text, `expected '+', '-' or '/' at "${math.slice(i)}"`);
    }
    if (!(Math.abs(time) <= MAX_ABS_US)) throw dateError(text, 'the result is out of range');
  }
  return time;
}

function readUnit(text: string, math: string, i: number): DateUnit {
  const u = math[i];
  switch (u) {
    case 'y':
    case 'M':
    case 'w':
    case 'd':
    case 'h':
    case 'm':
    case 's':
      return u;
    case 'H':
      return 'h';
    case undefined:
      throw dateError(text, 'expected a unit (y, M, w, d, h, H, m or s) at the end');
    default:
      throw dateError(text, `unknown unit "${u}" (use y, M, w, d, h, H, m or s)`);
  }
}

/** An ISO 8601 date (any precision from the year down) or epoch milliseconds. */
function parseAbsolute(value: string, roundUp: boolean, whole = value): number {
  if (EPOCH_MS.test(value) && value.length !== 4) {
    const us = Number(value) * US_PER_MS;
    if (!(Math.abs(us) <= MAX_ABS_US)) throw dateError(whole, 'epoch milliseconds out of range');
    return roundUp ? us + (US_PER_MS - 1) : us;
  }
  const m = ISO.exec(value);
  if (!m) throw dateError(whole, HINT);
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  if (month < 1 || month > 12) throw dateError(whole, 'month must be 1-12');
  const dim = daysInMonth(year, month - 1);
  const day = d === undefined ? 1 : Number(d);
  if (day < 1 || day > dim) throw dateError(whole, `day must be 1-${dim} in ${y}-${mo}`);
  const hour = h === undefined ? 0 : Number(h);
  if (hour > 23) throw dateError(whole, 'hour must be 0-23');
  const minute = mi === undefined ? 0 : Number(mi);
  if (minute > 59) throw dateError(whole, 'minute must be 0-59');
  const second = s === undefined ? 0 : Number(s);
  if (second > 59) throw dateError(whole, 'second must be 0-59');
  let offsetUs = 0;
  if (z === undefined && sign !== undefined) {
    const offH = Number(oh);
    const offM = om === undefined ? 0 : Number(om);
    if (offH > 23 || offM > 59) throw dateError(whole, 'the time zone offset must be at most 23:59');
    offsetUs = (sign === '-' ? -1 : 1) * (offH * 60 + offM) * FIXED_UNIT_US.m;
  }
  const fractionUs = frac === undefined ? 0 : Number(frac.padEnd(6, '0').slice(0, 6));
  let wall =
    utcUs(year, month - 1, day) +
    hour * FIXED_UNIT_US.h +
    minute * FIXED_UNIT_US.m +
    second * FIXED_UNIT_US.s;
  wall += fractionUs;
  if (roundUp && frac === undefined) {
    const precision: DateUnit =
      s !== undefined
        ? 's'
        : mi !== undefined
          ? 'm'
          : h !== undefined
            ? 'h'
            : d !== undefined
              ? 'd'
              : mo !== undefined
                ? 'M'
                : 'y';
    wall = addUnits(wall, 1, precision) - 1;
  }
  return wall - offsetUs;
}

function dateError(text: string, reason: string) {
  return queryError(`Cannot parse date "${text}": ${reason}`, { value: text, reason });
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function daysInMonth(year: number, month0: number): number {
  return new Date(utcUs(year, month0 + 1, 1) / US_PER_MS - 1).getUTCDate();
}

/** µs at midnight UTC of a civil date (month 0-based, may overflow); handles years 0-99 literally. */
function utcUs(year: number, month0: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month0, day);
  return d.getTime() * US_PER_MS;
}

function civil(time: number): { year: number; month: number; day: number; timeOfDayUs: number } {
  const dayStart = Math.floor(time / FIXED_UNIT_US.d) * FIXED_UNIT_US.d;
  const d = new Date(dayStart / US_PER_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    timeOfDayUs: time - dayStart,
  };
}
