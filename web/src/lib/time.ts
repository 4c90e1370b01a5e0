/**
 * Time ranges as the API takes them (`now-15m`, `now/d`, ISO 8601), resolved in the browser only to
 * draw axes and label the picker. The server resolves them again for the query itself.
 */

export interface TimeRange {
  from: string;
  to: string;
}

export const DEFAULT_RANGE: TimeRange = { from: 'now-15m', to: 'now' };

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  H: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

const UNIT_NAMES: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  H: 'hour',
  d: 'day',
  w: 'week',
  M: 'month',
  y: 'year',
};

export interface QuickRange {
  label: string;
  from: string;
  to: string;
}

export const QUICK_RANGES: QuickRange[] = [
  { label: 'Last 5 minutes', from: 'now-5m', to: 'now' },
  { label: 'Last 15 minutes', from: 'now-15m', to: 'now' },
  { label: 'Last 30 minutes', from: 'now-30m', to: 'now' },
  { label: 'Last 1 hour', from: 'now-1h', to: 'now' },
  { label: 'Last 4 hours', from: 'now-4h', to: 'now' },
  { label: 'Last 12 hours', from: 'now-12h', to: 'now' },
  { label: 'Last 24 hours', from: 'now-24h', to: 'now' },
  { label: 'Last 7 days', from: 'now-7d', to: 'now' },
  { label: 'Last 30 days', from: 'now-30d', to: 'now' },
  { label: 'Today', from: 'now/d', to: 'now/d' },
  { label: 'Yesterday', from: 'now-1d/d', to: 'now-1d/d' },
  { label: 'This week', from: 'now/w', to: 'now/w' },
];

export const REFRESH_INTERVALS: { label: string; value: string }[] = [
  { label: 'Off', value: '' },
  { label: '5 seconds', value: '5s' },
  { label: '10 seconds', value: '10s' },
  { label: '30 seconds', value: '30s' },
  { label: '1 minute', value: '1m' },
  { label: '5 minutes', value: '5m' },
  { label: '15 minutes', value: '15m' },
];

/** `30s` → 30000; unknown or empty → null. */
export function intervalMs(text: string | null | undefined): number | null {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text ?? '');
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : n * (UNIT_MS[m[2]!] ?? 1000);
}

function startOf(ms: number, unit: string): number {
  const d = new Date(ms);
  switch (unit) {
    case 'y':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'M':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'w': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
    }
    case 'd':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    default: {
      const size = UNIT_MS[unit] ?? 1;
      return Math.floor(ms / size) * size;
    }
  }
}

function endOf(ms: number, unit: string): number {
  const start = startOf(ms, unit);
  const d = new Date(start);
  switch (unit) {
    case 'y':
      return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
    case 'M':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    default:
      return start + (UNIT_MS[unit] ?? 1);
  }
}

/**
 * Epoch ms of a bound, or null when it cannot be read here. A rounded `to` (`now/d`) is the end of its
 * unit, as on the server.
 */
export function resolveTime(text: string, opts: { now: number; end?: boolean }): number | null {
  const t = text.trim();
  if (/^\d{10,16}$/.test(t)) return Number(t);
  const m = /^now((?:[+-]\d+[smhHdwMy])*)(?:\/([smhHdwMy]))?$/.exec(t);
  if (m) {
    let ms = opts.now;
    for (const step of (m[1] ?? '').matchAll(/([+-])(\d+)([smhHdwMy])/g)) {
      const n = Number(step[2]) * (step[1] === '-' ? -1 : 1);
      const unit = step[3]!;
      if (unit === 'M' || unit === 'y') {
        const d = new Date(ms);
        if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + n);
        else d.setUTCFullYear(d.getUTCFullYear() + n);
        ms = d.getTime();
      } else ms += n * (UNIT_MS[unit] ?? 0);
    }
    if (m[2]) ms = opts.end ? endOf(ms, m[2]) : startOf(ms, m[2]);
    return ms;
  }
  const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t);
  if (!iso) return null;
  const withZone = /Z|[+-]\d{2}:?\d{2}$/.test(t.slice(10)) ? t : `${t}${t.length > 10 ? 'Z' : 'T00:00:00Z'}`;
  const ms = Date.parse(withZone.replace(' ', 'T'));
  if (Number.isNaN(ms)) return null;
  if (opts.end && t.length === 10) return ms + 86_400_000;
  return ms;
}

export function resolveRange(r: TimeRange, now = Date.now()): { fromMs: number; toMs: number } | null {
  const fromMs = resolveTime(r.from, { now });
  const toMs = resolveTime(r.to, { now, end: true });
  if (fromMs === null || toMs === null || toMs <= fromMs) return null;
  return { fromMs, toMs };
}

/** "Last 15 minutes", "Today", or the two ends. */
export function describeRange(r: TimeRange): string {
  const quick = QUICK_RANGES.find((q) => q.from === r.from && q.to === r.to);
  if (quick) return quick.label;
  const rel = /^now-(\d+)([smhdwMy])$/.exec(r.from);
  if (rel && r.to === 'now') {
    const n = Number(rel[1]);
    return `Last ${n} ${UNIT_NAMES[rel[2]!]}${n === 1 ? '' : 's'}`;
  }
  return `${describeBound(r.from)} → ${describeBound(r.to)}`;
}

function describeBound(text: string): string {
  if (text.startsWith('now')) return text;
  const ms = resolveTime(text, { now: Date.now() });
  return ms === null ? text : formatDateTime(ms);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2026-11-21 10:09:05.106` in UTC (the server's time zone for date math). */
export function formatDateTime(ms: number, opts: { millis?: boolean } = {}): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return opts.millis === false ? base : `${base}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** An ISO bound for absolute ranges (zoom, surrounding logs). */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** Bucket count for a histogram of `width` pixels: about one bar per 12 px, 20 to 120 bars. */
export function bucketsFor(width: number): number {
  return Math.max(20, Math.min(120, Math.round(width / 12)));
}
