/** Shapes of /api/v1/pipelines (src/server/routes/pipeline-routes.ts) as this page reads them. */

export interface PipelineSummary {
  id: string;
  source: 'builtin' | 'file' | 'api';
  file?: string;
  description?: string;
  /** Processor kinds, in order. */
  processors: string[];
}

export interface PipelineList {
  pipelines: PipelineSummary[];
  routes: unknown[];
  processors: { kind: string; summary: string }[];
}

export interface PipelineDetail extends PipelineSummary {
  definition: unknown;
}

export interface ProcessorResult {
  processor_type: string;
  tag?: string;
  status: string;
  error?: { reason: string };
}

export type SimulatedDoc =
  | { doc: { _index: string; _source: Record<string, unknown> }; processor_results?: ProcessorResult[] }
  | { dropped: true; processor_results?: ProcessorResult[] }
  | { error: { reason: string }; processor_results?: ProcessorResult[] };
