import type { EventLimits } from '../model/normalize.js';
import type { PipelineService } from '../pipeline/runtime/pipeline-service.js';
import type { GroupCommitQueue } from '../queue/group-commit.js';
import type { Store } from '../store/store.js';
import type { Config } from './config.js';
import type { EsCompatState } from './es-compat-state.js';
import type { Metrics } from './metrics.js';

/** What route handlers share; built once by `buildApp`. */
export interface ServerContext {
  config: Config;
  store: Store;
  queue: GroupCommitQueue;
  metrics: Metrics;
  eventLimits: EventLimits;
  esState: EsCompatState;
  /** Parsing and enrichment pipelines (`?pipeline=`, the route table, /api/v1/pipelines). */
  pipelines: PipelineService;
  /** Injected clock, µs since epoch. */
  nowUs: () => number;
  startedAtUs: number;
}
