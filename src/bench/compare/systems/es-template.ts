import type { JsonObject } from '../queries.js';

const keyword = { type: 'keyword' };
const text = { type: 'text' };
const long = { type: 'long' };

/**
 * Explicit mappings for every field the three corpora send, as a team running Elasticsearch for
 * logs would write them: keyword for facets and ids, text for messages and stack traces, numbers,
 * `ip`, `date`. Unforeseen strings become keywords (not Elasticsearch's default text + keyword pair).
 */
export const MAPPINGS: JsonObject = {
  dynamic_templates: [{ strings_as_keywords: { match_mapping_type: 'string', mapping: keyword } }],
  properties: {
    '@timestamp': { type: 'date' },
    message: text,
    level: keyword,
    service: keyword,
    host: keyword,
    environment: keyword,
    log_type: keyword,
    logger: keyword,
    thread: keyword,
    request_id: keyword,
    trace_id: keyword,
    user_id: long,
    duration_ms: long,
    error: { properties: { type: keyword, code: keyword, message: text, stack_trace: text } },
    client: { properties: { ip: { type: 'ip' } } },
    user: { properties: { name: keyword } },
    http: {
      properties: {
        version: keyword,
        request: { properties: { method: keyword, referrer: keyword, forwarded_for: keyword } },
        response: {
          properties: { status_code: long, body: { properties: { bytes: long } }, time_ms: long },
        },
      },
    },
    url: { properties: { path: keyword, original: keyword, query: keyword } },
    user_agent: { properties: { original: keyword } },
  },
};

/**
 * The index template for the benchmark's indices: one shard, no replica (one node), best_compression,
 * refresh every second (Elasticsearch's default, kept during ingest so "ingest → searchable" is what
 * users see), and bare terms searching the same text fields as Cairn's default fields.
 */
export function indexTemplate(indices: readonly string[]): JsonObject {
  return {
    index_patterns: [...indices],
    priority: 500,
    template: {
      settings: {
        number_of_shards: 1,
        number_of_replicas: 0,
        codec: 'best_compression',
        refresh_interval: '1s',
        'query.default_field': ['message', 'error.message', 'error.stack_trace'],
      },
      mappings: MAPPINGS,
    },
  };
}
