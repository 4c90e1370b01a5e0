import { addTags, type PipelineDoc, snapshotEvent } from './doc.js';
import type {
  CompiledPipeline,
  CompiledStep,
  ExecContext,
  StepResult,
  TraceEntry,
  TraceSink,
  TraceStatus,
} from './types.js';

/**
 * Runs compiled steps over one document, the Logstash way: a processor that fails never drops the
 * event. A failure adds the processor's failure tags (`tag_on_failure`, default per kind such as
 * `_grokparsefailure`), then runs its `on_failure` processors, else the pipeline's; then the next
 * processor runs. `ignore_failure` skips all of that. A dropped event stops the pipeline.
 *
 * While `on_failure` processors run, `@metadata.on_failure_message`,
 * `@metadata.on_failure_processor_type` and `@metadata.on_failure_processor_tag` say what failed
 * (Elasticsearch's `_ingest.on_failure_*`).
 */
class Executor implements ExecContext {
  constructor(
    readonly trace: TraceSink | null,
    readonly depth: number,
    private readonly resolve: (id: string) => CompiledPipeline | null,
    private readonly fallback: readonly CompiledStep[] | null,
  ) {}

  pipeline(id: string): CompiledPipeline | null {
    return this.resolve(id);
  }

  runPipeline(pipeline: CompiledPipeline, doc: PipelineDoc): StepResult {
    const inner = new Executor(this.trace, this.depth + 1, this.resolve, pipeline.onFailure);
    return inner.runSteps(pipeline.steps, doc);
  }

  runSteps(steps: readonly CompiledStep[], doc: PipelineDoc): StepResult {
    let failure: StepResult = null;
    for (let i = 0; i < steps.length && !doc.dropped; i++) {
      const step = steps[i]!;
      if (step.condition !== null && !step.condition.test(doc)) {
        this.record(step, doc, 'skipped');
        continue;
      }
      let result: StepResult;
      try {
        result = step.run(doc, this);
      } catch (err) {
        // A processor bug must not lose the event: it counts as that processor failing.
        result = `${step.kind} failed unexpectedly: ${(err as Error).message}`;
      }
      if (result === null) {
        step.onSuccess?.(doc);
        this.record(step, doc, doc.dropped ? 'dropped' : 'success');
        continue;
      }
      if (step.ignoreFailure) {
        this.record(step, doc, 'error_ignored', result);
        continue;
      }
      failure = result;
      addTags(doc, step.tagOnFailure);
      this.record(step, doc, 'error', result);
      const handlers = step.onFailure ?? this.fallback;
      if (handlers !== null && handlers.length > 0) {
        const meta = doc.metadata;
        meta['on_failure_message'] = result;
        meta['on_failure_processor_type'] = step.kind;
        if (step.tag !== undefined) meta['on_failure_processor_tag'] = step.tag;
        // Handlers do not fall back to the pipeline's on_failure again.
        new Executor(this.trace, this.depth, this.resolve, null).runSteps(handlers, doc);
        delete meta['on_failure_message'];
        delete meta['on_failure_processor_type'];
        delete meta['on_failure_processor_tag'];
      }
    }
    return failure;
  }

  private record(step: CompiledStep, doc: PipelineDoc, status: TraceStatus, error?: string) {
    if (this.trace === null) return;
    const entry: TraceEntry = { processor: step.kind, status, doc: snapshotDoc(doc) };
    if (step.tag !== undefined) entry.tag = step.tag;
    if (step.condition !== null) entry.condition = { if: step.condition.text, result: status !== 'skipped' };
    if (error !== undefined) entry.error = error;
    this.trace.record(entry);
  }
}

function snapshotDoc(doc: PipelineDoc): PipelineDoc {
  return { ...doc, event: snapshotEvent(doc.event), metadata: { ...doc.metadata }, written: [] };
}

export interface RunOptions {
  /** Other pipelines by id, for `pipeline` processors. */
  resolve: (id: string) => CompiledPipeline | null;
  trace?: TraceSink | null;
}

/** Runs a pipeline over one document in place. */
export function runPipeline(pipeline: CompiledPipeline, doc: PipelineDoc, options: RunOptions): void {
  new Executor(options.trace ?? null, 0, options.resolve, pipeline.onFailure).runSteps(pipeline.steps, doc);
}
