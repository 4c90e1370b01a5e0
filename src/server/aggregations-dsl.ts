import { CairnError } from '../model/errors.js';
import { formatTimestamp } from '../model/timestamp.js';
import type { Aggregation, AggregationResult, NamedAggregations } from '../store/store.js';

/**
 * Reads aggregations written as Elasticsearch writes them:
 * `{ "by_service": { "terms": { "field": "service", "size": 5 }, "aggs": { … } } }`.
 * All problems are collected and reported together.
 */
export function parseAggregations(raw: unknown): NamedAggregations {
  const errors: string[] = [];
  const out = parseLevel(raw, 'aggs', errors, 0);
  if (errors.length > 0) {
    throw new CairnError('bad_request', `Invalid aggregations: ${errors.join('; ')}`, {
      details: { errors },
    });
  }
  if (Object.keys(out).length === 0) {
    throw new CairnError(
      'bad_request',
      'Invalid aggregations: give at least one, e.g. {"aggs": {"by_service": {"terms": {"field": "service"}}}}',
    );
  }
  return out;
}

const KINDS = ['terms', 'date_histogram', 'stats', 'percentiles', 'cardinality'] as const;
const MAX_DEPTH = 5;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseLevel(raw: unknown, path: string, errors: string[], depth: number): NamedAggregations {
  const out: NamedAggregations = {};
  if (raw === undefined) return out;
  if (!isObject(raw)) {
    errors.push(`${path} must be an object of named aggregations`);
    return out;
  }
  if (depth > MAX_DEPTH) {
    errors.push(`${path} nests deeper than ${MAX_DEPTH} levels`);
    return out;
  }
  for (const [name, spec] of Object.entries(raw)) {
    const here = `${path}.${name}`;
    if (!isObject(spec)) {
      errors.push(`${here} must be an object`);
      continue;
    }
    const kinds = Object.keys(spec).filter((k) => k !== 'aggs' && k !== 'aggregations');
    if (kinds.length !== 1 || !(KINDS as readonly string[]).includes(kinds[0]!)) {
      errors.push(
        `${here} must have exactly one of ${KINDS.join(', ')} (found ${kinds.join(', ') || 'none'})`,
      );
      continue;
    }
    const kind = kinds[0] as (typeof KINDS)[number];
    const body = spec[kind];
    if (!isObject(body)) {
      errors.push(`${here}.${kind} must be an object`);
      continue;
    }
    const field = typeof body['field'] === 'string' ? body['field'] : undefined;
    const sub = parseLevel(spec['aggs'] ?? spec['aggregations'], `${here}.aggs`, errors, depth + 1);
    const hasSub = Object.keys(sub).length > 0;
    if (!field && kind !== 'date_histogram') {
      errors.push(`${here}.${kind}.field is required`);
      continue;
    }
    if (hasSub && kind !== 'terms' && kind !== 'date_histogram') {
      errors.push(`${here}: a ${kind} aggregation cannot have sub-aggregations`);
      continue;
    }
    let agg: Aggregation;
    switch (kind) {
      case 'terms': {
        const size = body['size'];
        if (size !== undefined && (typeof size !== 'number' || !Number.isInteger(size) || size < 1)) {
          errors.push(`${here}.terms.size must be a positive integer`);
          continue;
        }
        const order = parseTermsOrder(body['order'], `${here}.terms.order`, errors);
        agg = {
          kind,
          field: field!,
          ...(size !== undefined ? { size } : {}),
          ...(order ? { order } : {}),
          ...(hasSub ? { aggs: sub } : {}),
        };
        break;
      }
      case 'date_histogram': {
        const interval = body['fixed_interval'] ?? body['calendar_interval'] ?? body['interval'];
        if (interval !== undefined && typeof interval !== 'string') {
          errors.push(`${here}.date_histogram.fixed_interval must be a string such as "1m"`);
          continue;
        }
        const buckets = body['buckets'];
        agg = {
          kind,
          ...(field ? { field } : {}),
          ...(interval && interval !== 'auto' ? { interval } : {}),
          ...(typeof buckets === 'number' ? { buckets } : {}),
          ...(hasSub ? { aggs: sub } : {}),
        };
        break;
      }
      case 'percentiles': {
        const percents = body['percents'];
        if (
          percents !== undefined &&
          (!Array.isArray(percents) || percents.some((x) => typeof x !== 'number'))
        ) {
          errors.push(`${here}.percentiles.percents must be an array of numbers`);
          continue;
        }
        agg = { kind, field: field!, ...(percents ? { percents: percents as number[] } : {}) };
        break;
      }
      case 'stats':
      case 'cardinality':
        agg = { kind, field: field! };
        break;
    }
    out[name] = agg;
  }
  return out;
}

function parseTermsOrder(raw: unknown, path: string, errors: string[]) {
  if (raw === undefined) return undefined;
  if (isObject(raw)) {
    const [key, dir] = Object.entries(raw)[0] ?? [];
    if ((key === '_count' || key === '_key') && (dir === 'asc' || dir === 'desc')) {
      return `${key === '_count' ? 'count' : 'key'}_${dir}` as const;
    }
  }
  errors.push(`${path} must be {"_count": "asc"|"desc"} or {"_key": "asc"|"desc"}`);
  return undefined;
}

/** Renders results in Elasticsearch's response shape (buckets with key/doc_count, values…). */
export function renderAggregations(aggs: Record<string, AggregationResult>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, result] of Object.entries(aggs)) out[name] = renderOne(result);
  return out;
}

function renderOne(r: AggregationResult): unknown {
  switch (r.kind) {
    case 'terms':
      return {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: r.otherCount,
        buckets: r.buckets.map((b) => ({
          key: b.key,
          doc_count: b.count,
          ...(b.aggs ? renderAggregations(b.aggs) : {}),
        })),
      };
    case 'date_histogram':
      return {
        interval: r.interval,
        buckets: r.buckets.map((b) => ({
          key: Math.floor(b.keyUs / 1000),
          key_as_string: formatTimestamp(b.keyUs),
          doc_count: b.count,
          ...(b.aggs ? renderAggregations(b.aggs) : {}),
        })),
      };
    case 'stats':
      return { count: r.count, min: r.min, max: r.max, avg: r.avg, sum: r.sum };
    case 'percentiles':
      return { values: r.values };
    case 'cardinality':
      return { value: r.value };
  }
}
