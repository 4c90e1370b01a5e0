import type { PipelineDoc } from './doc.js';
import type { GeoIpDatabase } from './geoip/database.js';
import type { OptionReader } from './options.js';
import type { UserAgentParser } from './useragent/uap.js';

/**
 * Options every processor takes (Elasticsearch ingest's and Logstash's common options):
 *
 * - `if`: a condition in the query language; the processor runs only for events that match it.
 * - `tag`: a name for the processor in simulate results and error messages.
 * - `on_failure`: processors run when this one fails (else the pipeline's own `on_failure`).
 * - `ignore_failure`: a failure is ignored entirely (no tags, no handlers).
 * - `tag_on_failure`: tags added to a failed event (default per processor, e.g. `_grokparsefailure`).
 * - `add_field`, `add_tag`, `remove_field`, `remove_tag`: applied when the processor succeeds.
 */
export interface CommonOptions {
  if?: string;
  tag?: string;
  on_failure?: ProcessorConfigBase[];
  ignore_failure?: boolean;
  tag_on_failure?: string[];
  add_field?: [string, string][];
  add_tag?: string[];
  remove_field?: string[];
  remove_tag?: string[];
}

/** What every processor config has: its kind and the common options. */
export interface ProcessorConfigBase extends CommonOptions {
  kind: string;
}

export interface PipelineConfig {
  id: string;
  description?: string;
  processors: ProcessorConfigBase[];
  /** Run for a failed processor that has no `on_failure` of its own. */
  on_failure?: ProcessorConfigBase[];
  /** Pipeline-level metadata shown by the API (`_meta` in Elasticsearch). */
  meta?: Record<string, unknown>;
}

/** Failure reason, or null on success. */
export type StepResult = string | null;

/** A processor ready to run over documents. */
export type ProcessorFn = (doc: PipelineDoc, exec: ExecContext) => StepResult;

/** Records the document after each processor (simulate's `verbose`). */
export interface TraceSink {
  record(entry: TraceEntry): void;
}

export type TraceStatus = 'success' | 'error' | 'error_ignored' | 'skipped' | 'dropped';

export interface TraceEntry {
  processor: string;
  tag?: string;
  status: TraceStatus;
  condition?: { if: string; result: boolean };
  error?: string;
  doc: PipelineDoc;
}

/** What a running processor may call back into (nested steps, other pipelines). */
export interface ExecContext {
  trace: TraceSink | null;
  depth: number;
  runSteps(steps: readonly CompiledStep[], doc: PipelineDoc): StepResult;
  /** Runs a whole pipeline (its own on_failure applies) one level deeper. */
  runPipeline(pipeline: CompiledPipeline, doc: PipelineDoc): StepResult;
  /** A pipeline by id (user-defined or built-in), compiled; null when it does not exist. */
  pipeline(id: string): CompiledPipeline | null;
}

export interface CompiledStep {
  kind: string;
  tag: string | undefined;
  condition: { text: string; test: (doc: PipelineDoc) => boolean } | null;
  run: ProcessorFn;
  onSuccess: ((doc: PipelineDoc) => void) | null;
  onFailure: readonly CompiledStep[] | null;
  ignoreFailure: boolean;
  tagOnFailure: readonly string[];
}

export interface CompiledPipeline {
  id: string;
  steps: readonly CompiledStep[];
  onFailure: readonly CompiledStep[] | null;
}

/** Enrichment data processors need, loaded by the runtime (no I/O in processors). */
export interface PipelineResources {
  geoip(): GeoIpDatabase;
  userAgent(): UserAgentParser;
}

/** What building a processor may use: injected clock, randomness and resources. */
export interface BuildContext {
  nowUs: () => number;
  random: () => number;
  resources: PipelineResources;
  /** Compiles nested processor lists (on_failure, auto's formats), reporting errors under `path`. */
  compileSteps(configs: readonly ProcessorConfigBase[], path: string): CompiledStep[];
  /** Whether a pipeline with this id exists (for `pipeline` processors). */
  pipelineExists(id: string): boolean;
  /** A built-in format pipeline's config by id (for `auto`). */
  builtin(id: string): PipelineConfig | undefined;
}

/**
 * One processor kind, declared the same way for every kind (Vector's component shape): its options
 * read and validated from the definition, its default failure tags, and a `build` step that turns a
 * valid config into a function. `build` may still reject a config (an unknown grok pattern) by
 * returning error messages.
 */
export interface ProcessorComponent<C extends ProcessorConfigBase> {
  readonly kind: C['kind'];
  /** One line for the processor list in the API and docs. */
  readonly summary: string;
  /** Tags added on failure unless the definition sets `tag_on_failure`. */
  readonly defaultFailureTags: readonly string[];
  /** Reads the kind's own options (the common ones are read by the caller). */
  parse(options: OptionReader): Omit<C, keyof CommonOptions | 'kind'>;
  build(config: C, ctx: BuildContext): ProcessorFn | { errors: string[] };
}
