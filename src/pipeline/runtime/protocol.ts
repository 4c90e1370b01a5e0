import type { EventLimits } from '../../model/normalize.js';
import type { PipelineRoute, PipelineSource } from '../catalog.js';
import type { GeoIpSource } from './resources.js';
import type { EncodedBatch } from './transfer.js';

/** Messages between the server's thread and pipeline workers (structured-cloned). */
export interface CatalogSnapshot {
  version: number;
  pipelines: { id: string; source: Exclude<PipelineSource, 'builtin'>; definition: unknown }[];
  routes: PipelineRoute[];
}

export type ToWorker =
  | { type: 'sync'; snapshot: CatalogSnapshot; geoip: GeoIpSource | null; nowOffsetUs: number }
  | { type: 'run'; id: number; pipeline: string | null; events: EncodedBatch; limits: EventLimits };

export type FromWorker =
  | { type: 'done'; id: number; outcomes: EncodedBatch }
  | {
      type: 'failed';
      id: number;
      message: string;
      code: string;
      status: number;
      details: Record<string, unknown> | undefined;
    };
