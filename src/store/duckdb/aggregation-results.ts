import { assertNever } from '../../model/errors.js';
import type { Aggregation, AggregationResult, NamedAggregations } from '../store.js';

/** Percentiles computed when a request names none, as Elasticsearch does. */
export const DEFAULT_PERCENTS = [1, 5, 25, 50, 75, 95, 99];

/** Elasticsearch keys percentiles as "95.0". */
export function formatPercent(p: number): string {
  return Number.isInteger(p) ? `${p}.0` : String(p);
}

/** Buckets a terms aggregation returns: 10 by default, at least 1, at most 10,000. */
export function termsSize(agg: { size?: number }): number {
  return Math.max(1, Math.min(agg.size ?? 10, 10_000));
}

/** The result of each aggregation over no events. */
export function emptyResults(aggs: NamedAggregations): Record<string, AggregationResult> {
  const out: Record<string, AggregationResult> = {};
  for (const [name, agg] of Object.entries(aggs)) out[name] = emptyResult(agg);
  return out;
}

/** The result of `agg` over no events (a bucket of its parent that holds none). */
export function emptyResult(agg: Aggregation): AggregationResult {
  switch (agg.kind) {
    case 'terms':
      return { kind: 'terms', buckets: [], otherCount: 0 };
    case 'date_histogram':
      return { kind: 'date_histogram', interval: agg.interval ?? 'auto', buckets: [] };
    case 'stats':
      return { kind: 'stats', count: 0, min: null, max: null, avg: null, sum: 0 };
    case 'percentiles': {
      const values: Record<string, number | null> = {};
      for (const p of agg.percents ?? DEFAULT_PERCENTS) values[formatPercent(p)] = null;
      return { kind: 'percentiles', values };
    }
    case 'cardinality':
      return { kind: 'cardinality', value: 0 };
    default:
      return assertNever(agg, 'aggregation');
  }
}
