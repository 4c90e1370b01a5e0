import { CairnError } from '../../model/errors.js';

/** A date_histogram interval: a fixed length in µs, or a calendar unit (variable length). */
export type Interval =
  | { kind: 'fixed'; us: number; text: string }
  | { kind: 'calendar'; unit: CalendarUnit; text: string };
export type CalendarUnit = 'week' | 'month' | 'quarter' | 'year';

const FIXED_UNITS: Record<string, number> = {
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};
const CALENDAR_UNITS: Record<string, CalendarUnit> = { w: 'week', M: 'month', q: 'quarter', y: 'year' };
const NAMED: Record<string, string> = {
  second: '1s',
  minute: '1m',
  hour: '1h',
  day: '1d',
  week: '1w',
  month: '1M',
  quarter: '1q',
  year: '1y',
};

/** Parses `30s`, `5m`, `1h`, `1d`, `1w`, `1M`, `1q`, `1y` or the names Elasticsearch accepts (`hour`, `month`…). */
export function parseInterval(text: string): Interval {
  const normalized = NAMED[text] ?? text;
  const m = /^(\d+)(ms|s|m|h|d|w|M|q|y)$/.exec(normalized);
  if (!m) {
    throw new CairnError(
      'bad_request',
      `Cannot parse interval "${text}": expected a number and a unit (ms, s, m, h, d, w, M, q, y), e.g. "5m"`,
      { details: { interval: text } },
    );
  }
  const n = Number(m[1]);
  const unit = m[2]!;
  if (n <= 0)
    throw new CairnError('bad_request', `Cannot use interval "${text}": it must be greater than zero`);
  const calendar = CALENDAR_UNITS[unit];
  if (calendar) {
    if (n !== 1) {
      throw new CairnError(
        'bad_request',
        `Cannot use interval "${text}": calendar units (w, M, q, y) take only 1`,
        {
          details: { interval: text },
        },
      );
    }
    return { kind: 'calendar', unit: calendar, text: normalized };
  }
  return { kind: 'fixed', us: n * FIXED_UNITS[unit]!, text: normalized };
}

const AUTO_STEPS = [
  '1s',
  '5s',
  '10s',
  '30s',
  '1m',
  '5m',
  '10m',
  '30m',
  '1h',
  '3h',
  '12h',
  '1d',
  '1w',
  '1M',
  '1y',
] as const;

/** Buckets of a date histogram whose interval is left to Cairn. */
export const DEFAULT_HISTOGRAM_BUCKETS = 60;

/** The smallest "nice" interval that splits the range into at most `buckets` buckets. */
export function autoInterval(rangeUs: number, buckets: number): Interval {
  const target = Math.max(1, buckets);
  for (const step of AUTO_STEPS) {
    const iv = parseInterval(step);
    if (Math.ceil(rangeUs / approxLengthUs(iv)) <= target) return iv;
  }
  return parseInterval('1y');
}

function approxLengthUs(iv: Interval): number {
  if (iv.kind === 'fixed') return iv.us;
  const day = FIXED_UNITS['d']!;
  return { week: 7 * day, month: 30 * day, quarter: 91 * day, year: 365 * day }[iv.unit];
}

/** The interval of a date histogram: the one it names, or the automatic one for its range. */
export function histogramInterval(
  agg: { interval?: string; buckets?: number },
  range: { fromUs: number; toUs: number },
): Interval {
  return agg.interval
    ? parseInterval(agg.interval)
    : autoInterval(range.toUs - range.fromUs, agg.buckets ?? DEFAULT_HISTOGRAM_BUCKETS);
}

/** SQL for the bucket start of `column` (a TIMESTAMP expression), as µs since epoch (BIGINT). */
export function bucketSql(iv: Interval, column: string): string {
  // Floor, not truncation: times before 1970 belong to the bucket below, as bucketStart says.
  if (iv.kind === 'fixed')
    return `(epoch_us(${column}) - ((epoch_us(${column}) % ${iv.us}) + ${iv.us}) % ${iv.us})`;
  return `epoch_us(date_trunc('${iv.unit}', ${column}))`;
}

/** The start of the bucket holding `us`. */
export function bucketStart(iv: Interval, us: number): number {
  if (iv.kind === 'fixed') return Math.floor(us / iv.us) * iv.us;
  const d = new Date(Math.floor(us / 1000));
  switch (iv.unit) {
    case 'week': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      const dow = (d.getUTCDay() + 6) % 7; // Monday = 0, as date_trunc('week')
      return (day - dow * 86_400_000) * 1000;
    }
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) * 1000;
    case 'quarter':
      return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1) * 1000;
    case 'year':
      return Date.UTC(d.getUTCFullYear(), 0, 1) * 1000;
  }
}

/** The start of the bucket after the one starting at `startUs`. */
export function nextBucket(iv: Interval, startUs: number): number {
  if (iv.kind === 'fixed') return startUs + iv.us;
  const d = new Date(startUs / 1000);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  switch (iv.unit) {
    case 'week':
      return startUs + 7 * 86_400_000_000;
    case 'month':
      return Date.UTC(y, mo + 1, 1) * 1000;
    case 'quarter':
      return Date.UTC(y, mo + 3, 1) * 1000;
    case 'year':
      return Date.UTC(y + 1, 0, 1) * 1000;
  }
}

const MAX_BUCKETS = 10_000;

/** Every bucket start of `iv` over `range`; too many is a 400. */
export function bucketStarts(iv: Interval, range: { fromUs: number; toUs: number }): number[] {
  const starts: number[] = [];
  for (let t = bucketStart(iv, range.fromUs); t < range.toUs; t = nextBucket(iv, t)) {
    starts.push(t);
    if (starts.length > MAX_BUCKETS) {
      throw new CairnError(
        'bad_request',
        `Cannot build a date histogram with interval "${iv.text}" over this range: it would have more than ${MAX_BUCKETS} buckets. Use a larger interval.`,
      );
    }
  }
  return starts;
}
