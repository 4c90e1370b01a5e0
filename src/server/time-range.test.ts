import { describe, expect, it } from 'vitest';
import { CairnError } from '../model/errors.js';
import { parseTimeRange } from './time-range.js';

/** 2024-05-15T10:30:45.123456Z */
const NOW = Date.UTC(2024, 4, 15, 10, 30, 45, 123) * 1000 + 456;
const us = (iso: string) => Date.parse(iso) * 1000;
const MIN = 60_000_000;

describe('parseTimeRange', () => {
  const cases: { name: string; from?: string; to?: string; want: { fromUs: number; toUs: number } }[] = [
    { name: 'defaults: the last 15 minutes', want: { fromUs: NOW - 15 * MIN, toUs: NOW } },
    { name: 'only from', from: 'now-1h', want: { fromUs: NOW - 60 * MIN, toUs: NOW } },
    { name: 'only to', to: 'now-5m', want: { fromUs: NOW - 15 * MIN, toUs: NOW - 5 * MIN } },
    {
      name: 'ISO 8601 instants; the end is exclusive',
      from: '2024-05-15T08:00:00Z',
      to: '2024-05-15T09:00:00Z',
      want: { fromUs: us('2024-05-15T08:00:00Z'), toUs: us('2024-05-15T09:00:00Z') },
    },
    {
      name: 'ISO 8601 with an offset and a fraction',
      from: '2024-05-15T10:00:00.5+02:00',
      to: '2024-05-15T10:00:00.000001Z',
      want: { fromUs: us('2024-05-15T08:00:00.500Z'), toUs: us('2024-05-15T10:00:00Z') + 1 },
    },
    {
      name: 'epoch milliseconds; the end is exclusive',
      from: '1715760000000',
      to: '1715763600000',
      want: { fromUs: 1_715_760_000_000_000, toUs: 1_715_763_600_000_000 },
    },
    {
      name: 'date math',
      from: 'now-1d/d',
      to: 'now-1h',
      want: { fromUs: us('2024-05-14T00:00:00Z'), toUs: NOW - 60 * MIN },
    },
    {
      name: 'to=now/d covers the whole of today',
      from: 'now/d',
      to: 'now/d',
      want: { fromUs: us('2024-05-15T00:00:00Z'), toUs: us('2024-05-16T00:00:00Z') },
    },
    {
      name: 'to=now-1d/d covers yesterday',
      from: 'now-1d/d',
      to: 'now-1d/d',
      want: { fromUs: us('2024-05-14T00:00:00Z'), toUs: us('2024-05-15T00:00:00Z') },
    },
    {
      name: 'to=now/M covers the month',
      from: 'now/M',
      to: 'now/M',
      want: { fromUs: us('2024-05-01T00:00:00Z'), toUs: us('2024-06-01T00:00:00Z') },
    },
    {
      name: 'to=now/w covers the week (Monday to Monday)',
      from: 'now/w',
      to: 'now/w',
      want: { fromUs: us('2024-05-13T00:00:00Z'), toUs: us('2024-05-20T00:00:00Z') },
    },
    {
      name: 'a date-only to covers its day',
      from: '2024-05-01',
      to: '2024-05-01',
      want: { fromUs: us('2024-05-01T00:00:00Z'), toUs: us('2024-05-02T00:00:00Z') },
    },
    {
      name: 'a month to covers its month (leap February)',
      from: '2024-02',
      to: '2024-02',
      want: { fromUs: us('2024-02-01T00:00:00Z'), toUs: us('2024-03-01T00:00:00Z') },
    },
    {
      name: 'a year to covers its year',
      from: '2023',
      to: '2023',
      want: { fromUs: us('2023-01-01T00:00:00Z'), toUs: us('2024-01-01T00:00:00Z') },
    },
    {
      name: 'anchored date math with rounding covers its unit',
      from: '2024-01-31||+1M/d',
      to: '2024-01-31||+1M/d',
      want: { fromUs: us('2024-02-29T00:00:00Z'), toUs: us('2024-03-01T00:00:00Z') },
    },
    {
      name: 'surrounding spaces are ignored',
      from: ' 2024-05-01 ',
      to: ' 2024-05-01 ',
      want: { fromUs: us('2024-05-01T00:00:00Z'), toUs: us('2024-05-02T00:00:00Z') },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parseTimeRange({ from: c.from, to: c.to, nowUs: NOW })).toStrictEqual(c.want);
    });
  }

  it('makes consecutive instant ranges meet without overlapping', () => {
    const a = parseTimeRange({ from: 'now-2h', to: 'now-1h', nowUs: NOW });
    const b = parseTimeRange({ from: 'now-1h', to: 'now', nowUs: NOW });
    expect(a.toUs).toBe(b.fromUs);
  });

  const errors: {
    name: string;
    from?: string;
    to?: string;
    message: string;
    details: Record<string, unknown>;
  }[] = [
    {
      name: 'from after to',
      from: 'now',
      to: 'now-1h',
      message: 'Cannot search from "now" to "now-1h": "from" must be before "to"',
      details: { from: 'now', to: 'now-1h' },
    },
    {
      name: 'from equal to to',
      from: '2024-05-15T10:00:00Z',
      to: '2024-05-15T10:00:00Z',
      message:
        'Cannot search from "2024-05-15T10:00:00Z" to "2024-05-15T10:00:00Z": "from" must be before "to"',
      details: { from: '2024-05-15T10:00:00Z', to: '2024-05-15T10:00:00Z' },
    },
    {
      name: 'a default from after an explicit to',
      to: 'now-1h',
      message: 'Cannot search from "now-15m" to "now-1h": "from" must be before "to"',
      details: { from: 'now-15m', to: 'now-1h' },
    },
    {
      name: 'an unparseable from',
      from: 'yesterday',
      message:
        'Cannot parse "from" = "yesterday": Cannot parse date "yesterday": expected ISO 8601 (2024-01-31T10:00:00Z), epoch milliseconds or date math (now-1h, now/d, 2024-01-01||+1M)',
      details: { parameter: 'from', value: 'yesterday' },
    },
    {
      name: 'an unknown unit in to',
      to: 'now-1x',
      message:
        'Cannot parse "to" = "now-1x": Cannot parse date "now-1x": unknown unit "x" (use y, M, w, d, h, H, m or s)',
      details: { parameter: 'to', value: 'now-1x' },
    },
    {
      name: 'an impossible date in to',
      to: '2024-13-01',
      message: 'Cannot parse "to" = "2024-13-01": Cannot parse date "2024-13-01": month must be 1-12',
      details: { parameter: 'to', value: '2024-13-01' },
    },
  ];
  for (const c of errors) {
    it(`rejects ${c.name}`, () => {
      let caught: unknown;
      try {
        parseTimeRange({ from: c.from, to: c.to, nowUs: NOW });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(CairnError);
      const err = caught as CairnError;
      expect({
        code: err.code,
        status: err.status,
        message: err.message,
        details: err.details,
      }).toStrictEqual({
        code: 'invalid_time_range',
        status: 400,
        message: c.message,
        details: c.details,
      });
    });
  }
});
