import type { CompareQuery, RangeName } from '../queries.js';

export type SystemName = 'cairn' | 'elasticsearch';

/** What a query answered, in a form both systems can be compared on. */
export interface QueryOutcome {
  /** Matching events: the exact total, the aggregation's document count, a page's length. */
  hits: number;
  /**
   * Everything else that must agree, as sorted lines: bucket counts (`services=www 1234`), group
   * counts, or the hits' timestamps (ms) in order.
   */
  detail: string[];
}

/** A query ready to run repeatedly (a deep page has found its position; cursors are open). */
export interface PreparedQuery {
  run(): Promise<QueryOutcome>;
  release(): Promise<void>;
}

/** The corpus's time window, µs since the epoch, `[fromUs, toUs)`. */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

export interface SystemUnderTest {
  readonly name: SystemName;
  readonly label: string;
  readonly version: string;
  readonly url: string;
  /** The server process to measure. */
  readonly pid: number;
  /** Where it keeps its data (measured after the final flush). */
  readonly dataDir: string;
  /** Before ingest (Elasticsearch: the index template). */
  setUp(): Promise<void>;
  /** Events searchable now. */
  countSearchable(): Promise<number>;
  /** Everything durable and compacted: Cairn `POST /_flush`, Elasticsearch flush + force merge. */
  finalFlush(): Promise<void>;
  prepare(query: CompareQuery): Promise<PreparedQuery>;
  /** Clean shutdown (SIGTERM, wait). */
  stop(): Promise<void>;
  /** Removes the data directory, after `stop()`. */
  destroy(): Promise<void>;
}

/** `[fromMs, toMs)` of a named range within the corpus window. */
export function rangeMs(window: TimeWindow, range: RangeName): { fromMs: number; toMs: number } {
  const toMs = Math.floor(window.toUs / 1000);
  switch (range) {
    case 'day':
      return { fromMs: Math.floor(window.fromUs / 1000), toMs };
    case 'hour':
      return { fromMs: toMs - 3_600_000, toMs };
  }
}

interface BucketLike {
  key?: unknown;
  doc_count?: unknown;
  [sub: string]: unknown;
}

/**
 * Bucket counts of an Elasticsearch-shaped aggregation response (Cairn renders the same shape), as
 * sorted `path=key count` lines; empty buckets are left out (Elasticsearch fills gaps only between
 * the first and last bucket, Cairn over the whole range).
 */
export function flattenBuckets(aggs: unknown, prefix = ''): string[] {
  const lines: string[] = [];
  if (aggs === null || typeof aggs !== 'object') return lines;
  for (const [name, value] of Object.entries(aggs as Record<string, unknown>)) {
    if (value === null || typeof value !== 'object') continue;
    const buckets = (value as { buckets?: unknown }).buckets;
    if (!Array.isArray(buckets)) continue;
    for (const b of buckets as BucketLike[]) {
      const count = Number(b.doc_count ?? 0);
      if (count === 0) continue;
      const path = `${prefix}${name}=${String(b.key)}`;
      lines.push(`${path} ${count}`);
      const { key: _k, key_as_string: _s, doc_count: _d, ...subs } = b;
      lines.push(...flattenBuckets(subs, `${path}/`));
    }
  }
  return lines.sort();
}
