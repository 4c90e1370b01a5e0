import type { BulkItem } from '../../ingest/bulk.js';
import type { Rejection } from '../../ingest/json-body.js';
import type { EventLimits } from '../../model/normalize.js';
import type { EncodedRows } from '../../store/duckdb/batch-encoder.js';
import type { ColumnDef } from '../../store/duckdb/catalog.js';
import type { PipelineRoute, PipelineSource } from '../catalog.js';
import type { IndexPipelineTable } from '../index-pipelines.js';
import type { GeoIpSource } from './resources.js';
import type { EncodedBatch } from './transfer.js';

/** Messages between the server's thread and pipeline workers (structured-cloned). */
export interface CatalogSnapshot {
  version: number;
  pipelines: { id: string; source: Exclude<PipelineSource, 'builtin'>; definition: unknown }[];
  /** Pipelines installed through Elasticsearch's API (documents may name them). */
  installed: { id: string; definition: unknown }[];
  routes: PipelineRoute[];
  /** Default and final pipelines of Elasticsearch indices, from templates and index settings. */
  indexPipelines: IndexPipelineTable;
}

/** In a failed job's details: a pipeline needs the GeoIP data the worker has not got (run it again with it). */
export const NEEDS_GEOIP = 'needsGeoip';

export type ToWorker =
  | { type: 'sync'; snapshot: CatalogSnapshot; geoip: GeoIpSource | null; nowOffsetUs: number }
  | { type: 'run'; id: number; pipeline: string | null; events: EncodedBatch; limits: EventLimits }
  /** What the store defined since the last `columns` message (its logs only grow). */
  | { type: 'columns'; maxColumns: number; fields: ColumnDef[]; overflow: string[] }
  /**
   * A request body to decode, run through pipelines (`pipeline`: that one, null: the route table;
   * absent: none apply) and encode into store rows.
   */
  | {
      type: 'decode';
      id: number;
      body: Uint8Array;
      format: IngestFormat;
      receivedUs: number;
      limits: EventLimits;
      pipelines: { pipeline: string | null } | null;
    };

/** What a body holds: a `_bulk` request, or an `/api/v1/ingest` body (JSON or text lines) for one stream. */
export type IngestFormat =
  | { kind: 'bulk'; defaultIndex: string | null }
  | { kind: 'json' | 'text'; stream: string };

/** Encoded rows as they cross threads: deferred events in the compact event form. */
export type RowsMessage = Omit<EncodedRows, 'deferred'> & {
  deferred: { positions: number[]; events: EncodedBatch };
};

export type FromWorker =
  | { type: 'done'; id: number; outcomes: EncodedBatch }
  | { type: 'bulk-done'; id: number; items: BulkItem[]; droppedItems: number[]; rows: RowsMessage }
  | { type: 'lines-done'; id: number; rejected: Rejection[]; dropped: number | null; rows: RowsMessage }
  | {
      type: 'failed';
      id: number;
      message: string;
      code: string;
      status: number;
      details: Record<string, unknown> | undefined;
    };
