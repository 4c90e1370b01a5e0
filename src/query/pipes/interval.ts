import type { IntervalUnit, TimeInterval } from './ast.js';
import type { PipeLexer, PipeToken } from './lexer.js';

const UNITS: Readonly<Record<string, IntervalUnit>> = {
  ms: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  week: 'w',
  weeks: 'w',
  M: 'M',
  mon: 'M',
  month: 'M',
  months: 'M',
  q: 'q',
  quarter: 'q',
  quarters: 'q',
  y: 'y',
  year: 'y',
  years: 'y',
};
const CALENDAR_UNITS = new Set<IntervalUnit>(['w', 'M', 'q', 'y']);

/** Days a calendar unit roughly lasts, to suggest a fixed span instead of `2w` or `3M`. */
const APPROX_DAYS: Readonly<Partial<Record<IntervalUnit, number>>> = { w: 7, M: 30, q: 91, y: 365 };

/**
 * Reads a bucket span right after `span=`: `5m`, `1h`, `30s`, `1d`, `1w`, `1M`, or with unit words
 * (`5min`, `2hours`). Single letters are case-sensitive (`m` minute, `M` month); words are not.
 */
export function readInterval(lexer: PipeLexer, spanTok: PipeToken): TimeInterval {
  const start = lexer.skipBlanks();
  const raw = lexer.readRaw(/(\d+)([a-zA-Z]+)/y);
  const expected = ['a time span such as 30s, 5m, 1h, 1d'];
  if (!raw) throw lexer.error(start, `expected a time span after '${spanTok.value}=', such as 5m`, expected);
  const [, digits, word] = /^(\d+)([a-zA-Z]+)$/.exec(raw.text)!;
  const unit = UNITS[word!] ?? (word!.length > 1 ? UNITS[word!.toLowerCase()] : undefined);
  if (!unit) {
    throw lexer.error(
      raw.start,
      `unknown time unit '${word}': use ms, s, m, h, d, w, M (month), q or y`,
      expected,
    );
  }
  const value = Number(digits);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw lexer.error(raw.start, `the time span must be at least 1, got '${raw.text}'`, expected);
  }
  if (CALENDAR_UNITS.has(unit) && value !== 1) {
    throw lexer.error(
      raw.start,
      `calendar spans (w, M, q, y) take only 1: write 1${unit}, or a fixed span such as ${value * (APPROX_DAYS[unit] ?? 1)}d`,
      expected,
    );
  }
  return { value, unit, text: `${value}${unit}`, span: { start: raw.start, end: raw.end } };
}
