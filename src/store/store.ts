import type { Event, FieldType, TimeRange } from '../model/event.js';
import type { QueryNode } from '../query/ast.js';
import type { PipeCommand } from '../query/pipes/ast.js';
import type { EncodedRows } from './duckdb/batch-encoder.js';
import type { ColumnDef } from './duckdb/catalog.js';

/** The storage contract (DESIGN.md "The Store interface"). Every backend implements it. */
export interface Store {
  /** Resolves only when every event is durable. Events become searchable at the next refresh. */
  append(batch: Event[], options?: { signal?: AbortSignal }): Promise<AppendResult>;
  /**
   * Appends one group commit of batches (one durable write for all), each batch events or rows
   * encoded by an ingest worker against `columnLog()`. Returns each batch's result, in order.
   */
  appendBatches(batches: readonly WriteBatch[]): Promise<AppendResult[]>;
  /** What an ingest worker needs to encode rows for `appendBatches` off the store's thread. */
  columnLog(): ColumnLog;
  search(req: SearchRequest): Promise<SearchResult>;
  aggregate(req: AggregateRequest): Promise<AggregateResult>;
  /** A search followed by pipe commands (`| stats …`): a table of columns and rows. */
  query(req: QueryRequest): Promise<QueryResult>;
  fields(req: FieldsRequest): Promise<FieldsResult>;
  streams(): Promise<StreamInfo[]>;
  stats(): Promise<StoreStats>;
  /** Makes every event appended so far searchable (Elasticsearch's refresh). */
  refresh(): Promise<void>;
  /** Makes everything written so far compact on disk (events are durable before this already). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A batch for the write path: events, or rows an ingest worker encoded (see ColumnLog). */
export type WriteBatch = { events: Event[] } | { rows: EncodedRows };

/**
 * The embedded store's typed columns in the order they were defined and its overflow fields in the
 * order they were first seen: append-only, so a worker keeps a copy by asking for what follows the
 * lengths it has.
 */
export interface ColumnLog {
  maxColumns: number;
  fields: readonly ColumnDef[];
  overflow: readonly string[];
}

export interface AppendResult {
  /** Number of events made durable. */
  appended: number;
  /** Store-assigned ids, in input order. */
  ids: string[];
}

export type SortOrder = 'asc' | 'desc';

export interface SortKey {
  field: string;
  order: SortOrder;
}

export interface SearchRequest {
  query: QueryNode | null;
  range: TimeRange;
  /** Restrict to these streams; empty or absent = all. */
  streams?: string[];
  limit: number;
  /** Default: `@timestamp` descending. */
  sort?: SortKey[];
  /** Opaque cursor from a previous SearchResult. */
  cursor?: string;
  /** Stop counting past this many hits and report a lower bound (Elasticsearch's track_total_hits). */
  totalCap?: number;
  signal?: AbortSignal;
}

export interface Hit {
  id: string;
  stream: string;
  /** µs since epoch. */
  timestampUs: number;
  fields: Record<string, unknown>;
}

export interface SearchResult {
  hits: Hit[];
  total: { value: number; relation: 'eq' | 'gte' };
  /** Present when more hits follow. */
  nextCursor: string | null;
}

/** Aggregations are a discriminated union on `kind`; bucket aggregations nest `aggs`. */
export type Aggregation =
  | {
      kind: 'terms';
      field: string;
      size?: number;
      order?: 'count_desc' | 'count_asc' | 'key_asc' | 'key_desc';
      aggs?: NamedAggregations;
    }
  | { kind: 'date_histogram'; field?: string; interval?: string; buckets?: number; aggs?: NamedAggregations }
  | { kind: 'stats'; field: string }
  | { kind: 'percentiles'; field: string; percents?: number[] }
  | { kind: 'cardinality'; field: string };

export type NamedAggregations = Record<string, Aggregation>;

export interface AggregateRequest {
  query: QueryNode | null;
  range: TimeRange;
  streams?: string[];
  aggs: NamedAggregations;
  signal?: AbortSignal;
}

export type AggregationResult =
  | { kind: 'terms'; buckets: TermsBucket[]; otherCount: number }
  | { kind: 'date_histogram'; interval: string; buckets: HistogramBucket[] }
  | { kind: 'stats'; count: number; min: number | null; max: number | null; avg: number | null; sum: number }
  | { kind: 'percentiles'; values: Record<string, number | null> }
  | { kind: 'cardinality'; value: number };

export interface TermsBucket {
  key: string | number | boolean;
  count: number;
  aggs?: Record<string, AggregationResult>;
}

export interface HistogramBucket {
  /** Bucket start, µs since epoch. */
  keyUs: number;
  count: number;
  aggs?: Record<string, AggregationResult>;
}

export interface AggregateResult {
  total: number;
  aggs: Record<string, AggregationResult>;
}

export interface QueryRequest {
  query: QueryNode | null;
  pipes: readonly PipeCommand[];
  range: TimeRange;
  streams?: string[];
  /** Most rows to return (default DEFAULT_QUERY_ROWS); `truncated` tells when there were more. */
  limit?: number;
  signal?: AbortSignal;
}

export const DEFAULT_QUERY_ROWS = 10_000;

/** A column's type: a field type, `null` when nothing defines it, with `[]` for lists (`string[]`). */
export type ColumnType = FieldType | 'null' | `${FieldType}[]`;

export interface QueryResult {
  columns: { name: string; type: ColumnType }[];
  /** One array per row, in column order. Dates are ISO 8601 strings (UTC), lists are arrays. */
  rows: unknown[][];
  /** More rows matched than `limit`. */
  truncated: boolean;
}

export interface FieldsRequest {
  range: TimeRange;
  streams?: string[];
  /** Top values per field (0 = none). */
  topValues?: number;
}

export interface FieldsResult {
  fields: FieldInfo[];
  /** Top values are counted over the newest `sampleSize` events in range (as Kibana's field list does). */
  sampleSize: number;
}

export interface FieldInfo {
  name: string;
  type: FieldType;
  /** Events in range that have the field (exact). */
  count: number;
  /** The column holds arrays of values. */
  list: boolean;
  topValues: { value: string | number | boolean; count: number }[];
}

export interface StreamInfo {
  name: string;
  events: number;
  bytes: number;
  partitions: number;
  firstUs: number | null;
  lastUs: number | null;
}

export interface StoreStats {
  events: number;
  bytesOnDisk: number;
  partitions: number;
  streams: number;
  /** Acknowledged events not searchable yet (a store that loads in the background). */
  unloadedEvents?: number;
  /** Events counted by pre-aggregated rollups (a store that keeps them). */
  rolledUpEvents?: number;
  /** Rollup rows held in memory, and partition fields left out of memory (too many rows). */
  rollupMemory?: { rows: number; leftOut: number };
}
