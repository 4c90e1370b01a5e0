import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../model/errors.js';
import { queryRows } from './connection.js';
import {
  autoInterval,
  bucketSql,
  bucketStart,
  type Interval,
  nextBucket,
  parseInterval,
} from './intervals.js';

const us = (iso: string) => Date.parse(iso) * 1000;
const S = 1_000_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseInterval', () => {
  const cases: [text: string, want: Interval][] = [
    ['250ms', { kind: 'fixed', us: 250_000, text: '250ms' }],
    ['1s', { kind: 'fixed', us: S, text: '1s' }],
    ['30s', { kind: 'fixed', us: 30 * S, text: '30s' }],
    ['5m', { kind: 'fixed', us: 5 * M, text: '5m' }],
    ['1h', { kind: 'fixed', us: H, text: '1h' }],
    ['12h', { kind: 'fixed', us: 12 * H, text: '12h' }],
    ['1d', { kind: 'fixed', us: D, text: '1d' }],
    ['7d', { kind: 'fixed', us: 7 * D, text: '7d' }],
    ['second', { kind: 'fixed', us: S, text: '1s' }],
    ['minute', { kind: 'fixed', us: M, text: '1m' }],
    ['hour', { kind: 'fixed', us: H, text: '1h' }],
    ['day', { kind: 'fixed', us: D, text: '1d' }],
    ['1w', { kind: 'calendar', unit: 'week', text: '1w' }],
    ['1M', { kind: 'calendar', unit: 'month', text: '1M' }],
    ['1q', { kind: 'calendar', unit: 'quarter', text: '1q' }],
    ['1y', { kind: 'calendar', unit: 'year', text: '1y' }],
    ['week', { kind: 'calendar', unit: 'week', text: '1w' }],
    ['month', { kind: 'calendar', unit: 'month', text: '1M' }],
    ['quarter', { kind: 'calendar', unit: 'quarter', text: '1q' }],
    ['year', { kind: 'calendar', unit: 'year', text: '1y' }],
  ];
  for (const [text, want] of cases) {
    it(`parses ${text}`, () => {
      expect(parseInterval(text)).toStrictEqual(want);
    });
  }

  const SYNTAX = (t: string) =>
    `Cannot parse interval "${t}": expected a number and a unit (ms, s, m, h, d, w, M, q, y), e.g. "5m"`;
  const errors: [text: string, message: string][] = [
    ['', SYNTAX('')],
    ['5', SYNTAX('5')],
    ['m', SYNTAX('m')],
    ['1.5h', SYNTAX('1.5h')],
    ['-1h', SYNTAX('-1h')],
    ['1 h', SYNTAX('1 h')],
    ['1H', SYNTAX('1H')],
    ['1mo', SYNTAX('1mo')],
    ['auto', SYNTAX('auto')],
    ['Hour', SYNTAX('Hour')],
    ['0m', 'Cannot use interval "0m": it must be greater than zero'],
    ['0M', 'Cannot use interval "0M": it must be greater than zero'],
    ['2w', 'Cannot use interval "2w": calendar units (w, M, q, y) take only 1'],
    ['3M', 'Cannot use interval "3M": calendar units (w, M, q, y) take only 1'],
    ['2y', 'Cannot use interval "2y": calendar units (w, M, q, y) take only 1'],
  ];
  for (const [text, message] of errors) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      let caught: unknown;
      try {
        parseInterval(text);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(CairnError);
      expect((caught as CairnError).status).toBe(400);
      expect((caught as CairnError).message).toBe(message);
    });
  }
});

describe('autoInterval', () => {
  const cases: [range: number, buckets: number, text: string][] = [
    [0, 60, '1s'],
    [60 * S, 60, '1s'],
    [61 * S, 60, '5s'],
    [15 * M, 60, '30s'],
    [H, 60, '1m'],
    [H + 1, 60, '5m'],
    [24 * H, 60, '30m'],
    [7 * D, 60, '3h'],
    [30 * D, 60, '12h'],
    [60 * D, 60, '1d'],
    [365 * D, 60, '1w'],
    [4 * 365 * D, 60, '1M'],
    [5 * 365 * D, 60, '1y'],
    [10 * 365 * D, 60, '1y'],
    [1000 * 365 * D, 60, '1y'],
    [15 * M, 0, '30m'],
    [15 * M, 1, '30m'],
    [31 * M, 1, '1h'],
    [24 * H, 24, '1h'],
    [24 * H, 2000, '1m'],
  ];
  for (const [range, buckets, text] of cases) {
    it(`${range / S}s in at most ${buckets} buckets → ${text}`, () => {
      expect(autoInterval(range, buckets).text).toBe(text);
    });
  }
});

describe('bucketStart / nextBucket', () => {
  const cases: { interval: string; at: string; start: string; next: string }[] = [
    // Fixed lengths, aligned to the epoch.
    {
      interval: '5m',
      at: '2024-05-15T10:07:30.123Z',
      start: '2024-05-15T10:05:00Z',
      next: '2024-05-15T10:10:00Z',
    },
    {
      interval: '5m',
      at: '2024-05-15T10:05:00Z',
      start: '2024-05-15T10:05:00Z',
      next: '2024-05-15T10:10:00Z',
    },
    {
      interval: '1h',
      at: '2024-05-15T23:59:59.999Z',
      start: '2024-05-15T23:00:00Z',
      next: '2024-05-16T00:00:00Z',
    },
    {
      interval: '1d',
      at: '2024-02-28T12:00:00Z',
      start: '2024-02-28T00:00:00Z',
      next: '2024-02-29T00:00:00Z',
    },
    {
      interval: '250ms',
      at: '2024-05-15T10:00:00.300Z',
      start: '2024-05-15T10:00:00.250Z',
      next: '2024-05-15T10:00:00.500Z',
    },
    {
      interval: '1h',
      at: '1969-12-31T23:30:00Z',
      start: '1969-12-31T23:00:00Z',
      next: '1970-01-01T00:00:00Z',
    },
    // Weeks start on Monday.
    {
      interval: '1w',
      at: '2024-05-15T10:00:00Z',
      start: '2024-05-13T00:00:00Z',
      next: '2024-05-20T00:00:00Z',
    }, // Wednesday
    {
      interval: '1w',
      at: '2024-05-13T00:00:00Z',
      start: '2024-05-13T00:00:00Z',
      next: '2024-05-20T00:00:00Z',
    }, // Monday
    {
      interval: '1w',
      at: '2024-05-19T23:59:59Z',
      start: '2024-05-13T00:00:00Z',
      next: '2024-05-20T00:00:00Z',
    }, // Sunday
    {
      interval: '1w',
      at: '2023-01-01T12:00:00Z',
      start: '2022-12-26T00:00:00Z',
      next: '2023-01-02T00:00:00Z',
    }, // Sunday, across a year
    {
      interval: '1w',
      at: '2024-02-29T00:00:00Z',
      start: '2024-02-26T00:00:00Z',
      next: '2024-03-04T00:00:00Z',
    },
    // Months: month ends and leap years.
    {
      interval: '1M',
      at: '2024-01-31T23:59:59Z',
      start: '2024-01-01T00:00:00Z',
      next: '2024-02-01T00:00:00Z',
    },
    {
      interval: '1M',
      at: '2024-02-29T12:00:00Z',
      start: '2024-02-01T00:00:00Z',
      next: '2024-03-01T00:00:00Z',
    },
    {
      interval: '1M',
      at: '2023-02-28T23:00:00Z',
      start: '2023-02-01T00:00:00Z',
      next: '2023-03-01T00:00:00Z',
    },
    {
      interval: '1M',
      at: '2024-04-30T23:59:59Z',
      start: '2024-04-01T00:00:00Z',
      next: '2024-05-01T00:00:00Z',
    },
    {
      interval: '1M',
      at: '2024-12-31T23:59:59Z',
      start: '2024-12-01T00:00:00Z',
      next: '2025-01-01T00:00:00Z',
    },
    {
      interval: '1M',
      at: '2024-03-01T00:00:00Z',
      start: '2024-03-01T00:00:00Z',
      next: '2024-04-01T00:00:00Z',
    },
    // Quarters.
    {
      interval: '1q',
      at: '2024-05-15T00:00:00Z',
      start: '2024-04-01T00:00:00Z',
      next: '2024-07-01T00:00:00Z',
    },
    {
      interval: '1q',
      at: '2024-03-31T23:59:59Z',
      start: '2024-01-01T00:00:00Z',
      next: '2024-04-01T00:00:00Z',
    },
    {
      interval: '1q',
      at: '2024-11-30T00:00:00Z',
      start: '2024-10-01T00:00:00Z',
      next: '2025-01-01T00:00:00Z',
    },
    // Years.
    {
      interval: '1y',
      at: '2024-12-31T23:59:59.999Z',
      start: '2024-01-01T00:00:00Z',
      next: '2025-01-01T00:00:00Z',
    },
    {
      interval: '1y',
      at: '2000-02-29T00:00:00Z',
      start: '2000-01-01T00:00:00Z',
      next: '2001-01-01T00:00:00Z',
    },
  ];
  for (const c of cases) {
    it(`${c.interval} at ${c.at}: ${c.start} → ${c.next}`, () => {
      const iv = parseInterval(c.interval);
      const start = bucketStart(iv, us(c.at));
      expect(new Date(start / 1000).toISOString()).toBe(new Date(c.start).toISOString());
      expect(new Date(nextBucket(iv, start) / 1000).toISOString()).toBe(new Date(c.next).toISOString());
    });
  }

  const lengths: { interval: string; from: string; days: number[] }[] = [
    { interval: '1M', from: '2024-01-01T00:00:00Z', days: [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] },
    { interval: '1M', from: '2023-01-01T00:00:00Z', days: [31, 28, 31] },
    { interval: '1M', from: '1900-02-01T00:00:00Z', days: [28] },
    { interval: '1M', from: '2000-02-01T00:00:00Z', days: [29] },
    { interval: '1q', from: '2024-01-01T00:00:00Z', days: [91, 91, 92, 92] },
    { interval: '1q', from: '2023-01-01T00:00:00Z', days: [90] },
    { interval: '1y', from: '2023-01-01T00:00:00Z', days: [365, 366, 365] },
    { interval: '1w', from: '2024-03-25T00:00:00Z', days: [7, 7] },
  ];
  for (const c of lengths) {
    it(`${c.interval} buckets from ${c.from} last ${c.days.join(', ')} days`, () => {
      const iv = parseInterval(c.interval);
      let t = us(c.from);
      const got: number[] = [];
      for (let i = 0; i < c.days.length; i++) {
        const next = nextBucket(iv, t);
        got.push((next - t) / D);
        expect(bucketStart(iv, next - 1)).toBe(t);
        t = next;
      }
      expect(got).toStrictEqual(c.days);
    });
  }
});

describe('bucketSql agrees with bucketStart in DuckDB', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
  });
  afterAll(() => {
    conn.closeSync();
    instance.closeSync();
  });

  const times = [
    '2024-05-15T10:07:30.123456Z',
    '2024-05-19T23:59:59.999999Z',
    '2024-05-13T00:00:00Z',
    '2023-01-01T12:00:00Z',
    '2024-02-29T23:59:59Z',
    '2024-12-31T23:59:59.5Z',
    '1970-01-01T00:00:00Z',
  ];

  async function sqlStarts(iv: Interval, values: number[]): Promise<number[]> {
    const rows = await queryRows(
      conn,
      `SELECT ${bucketSql(iv, 'make_timestamp(t::BIGINT)')} AS b FROM unnest([${values.join(', ')}]) AS u(t) ORDER BY t`,
    );
    return rows.map((r) => Number(r['b']));
  }

  for (const interval of ['250ms', '30s', '5m', '1h', '1d', '1w', '1M', '1q', '1y']) {
    it(interval, async () => {
      const iv = parseInterval(interval);
      const values = times.map((t) => us(t) + (t.endsWith('456Z') ? 456 : 0)).sort((a, b) => a - b);
      expect(await sqlStarts(iv, values)).toStrictEqual(values.map((v) => bucketStart(iv, v)));
    });
  }

  // bucketSql's fixed-interval form uses DuckDB's `//`, which truncates towards zero, while
  // bucketStart floors: an event at 1969-12-31T23:30Z lands in the 1970-01-01T00:00Z bucket in SQL,
  // a bucket that bucketStart (and so the list of histogram buckets) never produces.
  it('puts times before 1970 in the same fixed bucket as bucketStart', async () => {
    const iv = parseInterval('1h');
    const t = us('1969-12-31T23:30:00Z');
    expect(await sqlStarts(iv, [t])).toStrictEqual([bucketStart(iv, t)]);
  });
});
