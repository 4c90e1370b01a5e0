import type { CorpusKind, CorpusProbes } from './corpora/index.js';

/** The time range a query covers: the corpus's whole day, or its last hour. */
export type RangeName = 'day' | 'hour';

export type JsonObject = { [key: string]: unknown };

interface QueryBase {
  /** Stable id (JSON output, table rows). */
  id: QuerySlot;
  /** What it asks, in words. */
  name: string;
  /** Cairn's query string, pipes included. */
  cairn: string;
  /** Elasticsearch `query_string` (default operator AND); '' matches everything. */
  es: string;
  range: RangeName;
}

/**
 * The fixed query set, each expressed for both systems:
 * - `hits`: a search for the 100 newest events, with the exact number of matches;
 * - `aggs`: aggregations in Elasticsearch's DSL (Cairn's /api/v1/aggregate takes the same);
 * - `stats`: Cairn pipes `| stats count() as events, pN(field) by group`, Elasticsearch a terms
 *   aggregation with a percentiles sub-aggregation;
 * - `page`: a page of `size` events `offset` deep, newest first (Cairn: `next_cursor`;
 *   Elasticsearch: `search_after` in a point in time).
 */
export type CompareQuery =
  | (QueryBase & { kind: 'hits' })
  | (QueryBase & { kind: 'aggs'; aggs: JsonObject })
  | (QueryBase & { kind: 'stats'; groupBy: string; field: string; percent: number })
  | (QueryBase & { kind: 'page'; offset: number; size: number });

export const QUERY_SLOTS = [
  'rare_token',
  'token_and_filter_1h',
  'errors_histogram_24h',
  'top_services',
  'p95_by_service',
  'status_5xx_by_path_hourly',
  'ip_cidr',
  'phrase',
  'regex',
  'deep_page',
] as const;
export type QuerySlot = (typeof QUERY_SLOTS)[number];

/** Aggregations: which compare a total and bucket counts, and which a search. */
export function isAggregation(q: CompareQuery): boolean {
  return q.kind === 'aggs' || q.kind === 'stats';
}

const minuteHistogram = { per_minute: { date_histogram: { field: '@timestamp', fixed_interval: '1m' } } };
const topServices = { services: { terms: { field: 'service', size: 10 } } };
const errorsByPathHourly = {
  paths: {
    terms: { field: 'url.path', size: 10 },
    aggs: { per_hour: { date_histogram: { field: '@timestamp', fixed_interval: '1h' } } },
  },
};

function p95By(field: string, cairnSearch: string, esSearch: string): CompareQuery {
  return {
    kind: 'stats',
    id: 'p95_by_service',
    name: `p95 of ${field} by service`,
    cairn: `${cairnSearch} | stats count() as events, p95(${field}) as p95 by service`,
    es: esSearch,
    range: 'day',
    groupBy: 'service',
    field,
    percent: 95,
  };
}

const deepPage: CompareQuery = {
  kind: 'page',
  id: 'deep_page',
  name: 'deep page: 100 events 10,000 in, newest first',
  cairn: '*',
  es: '',
  range: 'day',
  offset: 10_000,
  size: 100,
};

/**
 * The queries for a corpus. A slot the corpus has no data for (no IPs, no status codes in raw
 * Loghub lines) is missing from the list and reported as n/a. Terms are chosen so that Cairn's
 * tokenizer (letter/digit/_ runs) and Elasticsearch's standard analyzer split the matched text alike.
 */
export function queriesFor(kind: CorpusKind, probes: CorpusProbes): CompareQuery[] {
  const cidr: CompareQuery[] =
    probes.cidr === null
      ? []
      : [
          {
            kind: 'hits',
            id: 'ip_cidr',
            name: `client.ip in ${probes.cidr}`,
            cairn: `client.ip:${probes.cidr}`,
            es: `client.ip:"${probes.cidr}"`,
            range: 'day',
          },
        ];
  const rare = (q: string): CompareQuery => ({
    kind: 'hits',
    id: 'rare_token',
    name: `rare token ${probes.rareToken}`,
    cairn: q,
    es: q,
    range: 'day',
  });
  const hits = (id: QuerySlot, name: string, q: string, range: RangeName = 'day'): CompareQuery => ({
    kind: 'hits',
    id,
    name,
    cairn: q,
    es: q,
    range,
  });
  const aggs = (id: QuerySlot, name: string, q: string, body: JsonObject): CompareQuery => ({
    kind: 'aggs',
    id,
    name,
    cairn: q,
    es: q,
    range: 'day',
    aggs: body,
  });

  switch (kind) {
    case 'demo':
      return [
        rare(probes.rareToken),
        hits(
          'token_and_filter_1h',
          'timeout AND service:payment-service, last hour',
          'timeout AND service:payment-service',
          'hour',
        ),
        aggs('errors_histogram_24h', 'level:ERROR + 1 m histogram', 'level:ERROR', minuteHistogram),
        aggs('top_services', 'top 10 services', '', topServices),
        p95By('duration_ms', '_exists_:duration_ms', '_exists_:duration_ms'),
        aggs(
          'status_5xx_by_path_hourly',
          '5xx: top 10 paths × 1 h histogram',
          'http.response.status_code:>=500',
          errorsByPathHourly,
        ),
        ...cidr,
        hits('phrase', 'phrase "falling back to origin"', '"falling back to origin"'),
        hits('regex', 'regex message:/pi_[0-9]{8}/', 'message:/pi_[0-9]{8}/'),
        deepPage,
      ];
    case 'access':
      return [
        rare(probes.rareToken),
        hits('token_and_filter_1h', 'iphone AND service:www, last hour', 'iphone AND service:www', 'hour'),
        aggs(
          'errors_histogram_24h',
          'status >= 500 + 1 m histogram (no level in access logs)',
          'http.response.status_code:>=500',
          minuteHistogram,
        ),
        aggs('top_services', 'top 10 services', '', topServices),
        p95By('http.response.time_ms', '_exists_:http.response.time_ms', '_exists_:http.response.time_ms'),
        aggs(
          'status_5xx_by_path_hourly',
          '5xx: top 10 paths × 1 h histogram',
          'http.response.status_code:>=500',
          errorsByPathHourly,
        ),
        ...cidr,
        hits('phrase', 'phrase "POST /api/v1/orders"', '"POST /api/v1/orders"'),
        hits(
          'regex',
          'regex url.path:/\\/api\\/v1\\/orders\\/[0-9]+/',
          'url.path:/\\/api\\/v1\\/orders\\/[0-9]+/',
        ),
        deepPage,
      ];
    case 'unstructured':
      return [
        rare(probes.rareToken),
        hits(
          'token_and_filter_1h',
          'failed AND service:openssh, last hour',
          'failed AND service:openssh',
          'hour',
        ),
        aggs('errors_histogram_24h', 'level:ERROR + 1 m histogram', 'level:ERROR', minuteHistogram),
        aggs('top_services', 'top 10 services', '', topServices),
        hits('phrase', 'phrase "session opened for user"', '"session opened for user"'),
        hits('regex', 'regex message:/[a-z]+_[0-9]{13}_[0-9]{4}/', 'message:/[a-z]+_[0-9]{13}_[0-9]{4}/'),
        deepPage,
      ];
  }
}

export const SLOT_NAMES: Readonly<Record<QuerySlot, string>> = {
  rare_token: 'rare token',
  token_and_filter_1h: 'token AND field filter, 1 h',
  errors_histogram_24h: 'errors + 1 m histogram, 24 h',
  top_services: 'top 10 services',
  p95_by_service: 'p95 response time by service',
  status_5xx_by_path_hourly: '5xx per path per hour',
  ip_cidr: 'IP CIDR range',
  phrase: 'phrase',
  regex: 'regex',
  deep_page: 'deep page (10,000 in)',
};
