import { describe, expect, it } from 'vitest';
import { CairnError } from '../model/errors.js';
import type { AggregationResult, NamedAggregations } from '../store/store.js';
import { parseAggregations, renderAggregations } from './aggregations-dsl.js';

function errorsOf(raw: unknown): { message: string; errors: unknown } {
  try {
    parseAggregations(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    const e = err as CairnError;
    expect(e.code).toBe('bad_request');
    expect(e.status).toBe(400);
    return { message: e.message, errors: e.details?.['errors'] };
  }
  throw new Error('expected parseAggregations to fail');
}

describe('parseAggregations: accepted', () => {
  const cases: { name: string; raw: unknown; want: NamedAggregations }[] = [
    {
      name: 'terms with size and order by count',
      raw: { by_service: { terms: { field: 'service', size: 5, order: { _count: 'asc' } } } },
      want: { by_service: { kind: 'terms', field: 'service', size: 5, order: 'count_asc' } },
    },
    {
      name: 'terms ordered by key',
      raw: { a: { terms: { field: 'host', order: { _key: 'desc' } } } },
      want: { a: { kind: 'terms', field: 'host', order: 'key_desc' } },
    },
    {
      name: 'terms with only a field',
      raw: { a: { terms: { field: 'level' } } },
      want: { a: { kind: 'terms', field: 'level' } },
    },
    {
      name: 'date_histogram with fixed_interval',
      raw: { t: { date_histogram: { field: '@timestamp', fixed_interval: '5m' } } },
      want: { t: { kind: 'date_histogram', field: '@timestamp', interval: '5m' } },
    },
    {
      name: 'date_histogram with calendar_interval and no field',
      raw: { t: { date_histogram: { calendar_interval: '1M' } } },
      want: { t: { kind: 'date_histogram', interval: '1M' } },
    },
    {
      name: 'date_histogram with the legacy interval',
      raw: { t: { date_histogram: { interval: 'hour' } } },
      want: { t: { kind: 'date_histogram', interval: 'hour' } },
    },
    {
      name: 'date_histogram with interval auto and a bucket count',
      raw: { t: { date_histogram: { interval: 'auto', buckets: 30 } } },
      want: { t: { kind: 'date_histogram', buckets: 30 } },
    },
    {
      name: 'stats',
      raw: { s: { stats: { field: 'duration' } } },
      want: { s: { kind: 'stats', field: 'duration' } },
    },
    {
      name: 'percentiles with percents',
      raw: { p: { percentiles: { field: 'duration', percents: [50, 99.9] } } },
      want: { p: { kind: 'percentiles', field: 'duration', percents: [50, 99.9] } },
    },
    {
      name: 'percentiles with default percents',
      raw: { p: { percentiles: { field: 'duration' } } },
      want: { p: { kind: 'percentiles', field: 'duration' } },
    },
    {
      name: 'cardinality',
      raw: { c: { cardinality: { field: 'client.ip' } } },
      want: { c: { kind: 'cardinality', field: 'client.ip' } },
    },
    {
      name: 'nested under terms with aggs, and under date_histogram with aggregations',
      raw: {
        svc: {
          terms: { field: 'service' },
          aggs: {
            over_time: {
              date_histogram: { fixed_interval: '1h' },
              aggregations: { lat: { stats: { field: 'duration' } } },
            },
            hosts: { cardinality: { field: 'host' } },
          },
        },
      },
      want: {
        svc: {
          kind: 'terms',
          field: 'service',
          aggs: {
            over_time: {
              kind: 'date_histogram',
              interval: '1h',
              aggs: { lat: { kind: 'stats', field: 'duration' } },
            },
            hosts: { kind: 'cardinality', field: 'host' },
          },
        },
      },
    },
    {
      name: 'several at the top level',
      raw: { a: { stats: { field: 'x' } }, b: { cardinality: { field: 'y' } } },
      want: { a: { kind: 'stats', field: 'x' }, b: { kind: 'cardinality', field: 'y' } },
    },
    {
      name: 'an empty aggs object under a bucket aggregation',
      raw: { a: { terms: { field: 'x' }, aggs: {} } },
      want: { a: { kind: 'terms', field: 'x' } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parseAggregations(c.raw)).toStrictEqual(c.want);
    });
  }

  it('accepts five levels of nesting', () => {
    let raw: Record<string, unknown> = { leaf: { stats: { field: 'n' } } };
    for (let i = 0; i < 5; i++) raw = { [`l${i}`]: { terms: { field: 'f' }, aggs: raw } };
    expect(() => parseAggregations(raw)).not.toThrow();
  });
});

describe('parseAggregations: rejected, with every problem listed', () => {
  const KINDS = 'terms, date_histogram, stats, percentiles, cardinality';
  const cases: { name: string; raw: unknown; errors: string[] }[] = [
    { name: 'not an object', raw: [1], errors: ['aggs must be an object of named aggregations'] },
    { name: 'a string', raw: 'terms', errors: ['aggs must be an object of named aggregations'] },
    {
      name: 'a named aggregation that is not an object',
      raw: { a: 1 },
      errors: ['aggs.a must be an object'],
    },
    { name: 'no kind', raw: { a: {} }, errors: [`aggs.a must have exactly one of ${KINDS} (found none)`] },
    {
      name: 'an unknown kind',
      raw: { a: { avg: { field: 'x' } } },
      errors: [`aggs.a must have exactly one of ${KINDS} (found avg)`],
    },
    {
      name: 'two kinds',
      raw: { a: { terms: { field: 'x' }, stats: { field: 'y' } } },
      errors: [`aggs.a must have exactly one of ${KINDS} (found terms, stats)`],
    },
    {
      name: 'a kind body that is not an object',
      raw: { a: { terms: 'x' } },
      errors: ['aggs.a.terms must be an object'],
    },
    { name: 'terms without a field', raw: { a: { terms: {} } }, errors: ['aggs.a.terms.field is required'] },
    {
      name: 'stats with a non-string field',
      raw: { a: { stats: { field: 3 } } },
      errors: ['aggs.a.stats.field is required'],
    },
    {
      name: 'percentiles without a field',
      raw: { a: { percentiles: {} } },
      errors: ['aggs.a.percentiles.field is required'],
    },
    {
      name: 'cardinality without a field',
      raw: { a: { cardinality: {} } },
      errors: ['aggs.a.cardinality.field is required'],
    },
    {
      name: 'a zero terms size',
      raw: { a: { terms: { field: 'x', size: 0 } } },
      errors: ['aggs.a.terms.size must be a positive integer'],
    },
    {
      name: 'a fractional terms size',
      raw: { a: { terms: { field: 'x', size: 2.5 } } },
      errors: ['aggs.a.terms.size must be a positive integer'],
    },
    {
      name: 'a string terms size',
      raw: { a: { terms: { field: 'x', size: '5' } } },
      errors: ['aggs.a.terms.size must be a positive integer'],
    },
    {
      name: 'a terms order by an unknown key',
      raw: { a: { terms: { field: 'x', order: { _term: 'asc' } } } },
      errors: ['aggs.a.terms.order must be {"_count": "asc"|"desc"} or {"_key": "asc"|"desc"}'],
    },
    {
      name: 'a terms order with a bad direction',
      raw: { a: { terms: { field: 'x', order: { _count: 'up' } } } },
      errors: ['aggs.a.terms.order must be {"_count": "asc"|"desc"} or {"_key": "asc"|"desc"}'],
    },
    {
      name: 'a terms order that is a string',
      raw: { a: { terms: { field: 'x', order: 'desc' } } },
      errors: ['aggs.a.terms.order must be {"_count": "asc"|"desc"} or {"_key": "asc"|"desc"}'],
    },
    {
      name: 'a numeric interval',
      raw: { a: { date_histogram: { fixed_interval: 60 } } },
      errors: ['aggs.a.date_histogram.fixed_interval must be a string such as "1m"'],
    },
    {
      name: 'percents that are not numbers',
      raw: { a: { percentiles: { field: 'x', percents: ['50'] } } },
      errors: ['aggs.a.percentiles.percents must be an array of numbers'],
    },
    {
      name: 'percents that are not an array',
      raw: { a: { percentiles: { field: 'x', percents: 50 } } },
      errors: ['aggs.a.percentiles.percents must be an array of numbers'],
    },
    {
      name: 'sub-aggregations under a metric',
      raw: { a: { stats: { field: 'x' }, aggs: { b: { cardinality: { field: 'y' } } } } },
      errors: ['aggs.a: a stats aggregation cannot have sub-aggregations'],
    },
    {
      name: 'sub-aggregations that are not an object',
      raw: { a: { terms: { field: 'x' }, aggs: [] } },
      errors: ['aggs.a.aggs must be an object of named aggregations'],
    },
    {
      name: 'problems at several places, all listed in order',
      raw: {
        a: { terms: {} },
        b: { terms: { field: 'x', size: -1 }, aggs: { c: { stats: {} }, d: { avg: {} } } },
        e: 7,
      },
      errors: [
        'aggs.a.terms.field is required',
        'aggs.b.aggs.c.stats.field is required',
        `aggs.b.aggs.d must have exactly one of ${KINDS} (found avg)`,
        'aggs.b.terms.size must be a positive integer',
        'aggs.e must be an object',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { message, errors } = errorsOf(c.raw);
      expect(errors).toStrictEqual(c.errors);
      expect(message).toBe(`Invalid aggregations: ${c.errors.join('; ')}`);
    });
  }

  it('refuses nesting deeper than five levels', () => {
    let raw: Record<string, unknown> = { leaf: { stats: { field: 'n' } } };
    for (let i = 0; i < 6; i++) raw = { [`l${i}`]: { terms: { field: 'f' }, aggs: raw } };
    const { errors } = errorsOf(raw);
    expect(errors).toStrictEqual([
      'aggs.l5.aggs.l4.aggs.l3.aggs.l2.aggs.l1.aggs.l0.aggs nests deeper than 5 levels',
    ]);
  });

  for (const raw of [undefined, {}]) {
    it(`asks for at least one aggregation when given ${JSON.stringify(raw)}`, () => {
      const { message, errors } = errorsOf(raw);
      expect(message).toBe(
        'Invalid aggregations: give at least one, e.g. {"aggs": {"by_service": {"terms": {"field": "service"}}}}',
      );
      expect(errors).toBeUndefined();
    });
  }
});

describe('renderAggregations', () => {
  const T = Date.UTC(2024, 0, 15, 10) * 1000;
  const cases: { name: string; input: Record<string, AggregationResult>; want: Record<string, unknown> }[] = [
    {
      name: 'terms',
      input: {
        svc: {
          kind: 'terms',
          otherCount: 7,
          buckets: [
            { key: 'api', count: 10 },
            { key: 404, count: 3 },
            { key: true, count: 1 },
          ],
        },
      },
      want: {
        svc: {
          doc_count_error_upper_bound: 0,
          sum_other_doc_count: 7,
          buckets: [
            { key: 'api', doc_count: 10 },
            { key: 404, doc_count: 3 },
            { key: true, doc_count: 1 },
          ],
        },
      },
    },
    {
      name: 'date_histogram with keys in ms and as strings',
      input: {
        t: {
          kind: 'date_histogram',
          interval: '1h',
          buckets: [
            { keyUs: T, count: 2 },
            { keyUs: T + 3_600_000_000, count: 0 },
          ],
        },
      },
      want: {
        t: {
          interval: '1h',
          buckets: [
            { key: T / 1000, key_as_string: '2024-01-15T10:00:00.000Z', doc_count: 2 },
            { key: T / 1000 + 3_600_000, key_as_string: '2024-01-15T11:00:00.000Z', doc_count: 0 },
          ],
        },
      },
    },
    {
      name: 'stats',
      input: { s: { kind: 'stats', count: 2, min: 1, max: 3, avg: 2, sum: 4 } },
      want: { s: { count: 2, min: 1, max: 3, avg: 2, sum: 4 } },
    },
    {
      name: 'empty stats',
      input: { s: { kind: 'stats', count: 0, min: null, max: null, avg: null, sum: 0 } },
      want: { s: { count: 0, min: null, max: null, avg: null, sum: 0 } },
    },
    {
      name: 'percentiles',
      input: { p: { kind: 'percentiles', values: { '50.0': 12.5, '99.0': null } } },
      want: { p: { values: { '50.0': 12.5, '99.0': null } } },
    },
    {
      name: 'cardinality',
      input: { c: { kind: 'cardinality', value: 42 } },
      want: { c: { value: 42 } },
    },
    {
      name: 'sub-aggregations rendered inside each bucket',
      input: {
        svc: {
          kind: 'terms',
          otherCount: 0,
          buckets: [
            {
              key: 'api',
              count: 2,
              aggs: {
                t: {
                  kind: 'date_histogram',
                  interval: '1d',
                  buckets: [{ keyUs: T, count: 2, aggs: { c: { kind: 'cardinality', value: 1 } } }],
                },
              },
            },
          ],
        },
      },
      want: {
        svc: {
          doc_count_error_upper_bound: 0,
          sum_other_doc_count: 0,
          buckets: [
            {
              key: 'api',
              doc_count: 2,
              t: {
                interval: '1d',
                buckets: [
                  { key: T / 1000, key_as_string: '2024-01-15T10:00:00.000Z', doc_count: 2, c: { value: 1 } },
                ],
              },
            },
          ],
        },
      },
    },
    { name: 'nothing', input: {}, want: {} },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(renderAggregations(c.input)).toStrictEqual(c.want);
    });
  }
});
