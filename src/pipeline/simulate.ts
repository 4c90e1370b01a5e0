import type { Event } from '../model/event.js';
import type { EventLimits } from '../model/normalize.js';
import { normalizeEvent } from '../model/normalize.js';
import { formatTimestamp } from '../model/timestamp.js';
import { createDoc, type PipelineDoc } from './doc.js';
import { finishEvent } from './finish.js';
import { isPlainObject } from './options.js';
import { runPipeline } from './run.js';
import type { CompiledPipeline, TraceEntry } from './types.js';

/** One document of a simulate request: `{_source: {...}, _index?, _id?}`, a bare object, or a text line. */
export type SimulateInput = unknown;

export interface RenderedDoc {
  _index: string;
  _id?: string;
  _source: Record<string, unknown>;
  /** `@metadata` fields (never stored), when there are any. */
  _metadata?: Record<string, unknown>;
}

export interface ProcessorResult {
  processor_type: string;
  tag?: string;
  status: TraceEntry['status'];
  if?: { condition: string; result: boolean };
  error?: { type: 'processor_failure'; reason: string };
  doc?: RenderedDoc;
}

export type SimulatedDoc =
  | { doc: RenderedDoc; processor_results?: ProcessorResult[] }
  | { dropped: true; processor_results?: ProcessorResult[] }
  | { error: { type: 'document_parsing_exception'; reason: string }; processor_results?: ProcessorResult[] };

/** A document as simulate shows it: the stored event's fields with `@timestamp`, Elasticsearch style. */
export function renderDoc(doc: Pick<PipelineDoc, 'event' | 'metadata'>): RenderedDoc {
  const source: Record<string, unknown> = { '@timestamp': formatTimestamp(doc.event.timestampUs) };
  const fields = doc.event.fields as Record<string, unknown>;
  for (const key of Object.keys(fields).sort()) if (fields[key] !== undefined) source[key] = fields[key];
  const out: RenderedDoc = { _index: doc.event.stream, _source: source };
  if (doc.event.id !== undefined) out._id = doc.event.id;
  const meta = Object.keys(doc.metadata).filter((k) => doc.metadata[k] !== undefined);
  if (meta.length > 0)
    out._metadata = Object.fromEntries(meta.map((k) => [`@metadata.${k}`, doc.metadata[k]]));
  return out;
}

/** Turns one simulate input into an event, as ingest would (a string is a plain-text line). */
function toEvent(input: SimulateInput, opts: { stream: string; receivedUs: number; limits: EventLimits }) {
  let source: unknown = input;
  let stream = opts.stream;
  let id: string | undefined;
  if (typeof input === 'string') source = { message: input };
  else if (isPlainObject(input) && isPlainObject(input['_source'])) {
    source = input['_source'];
    if (typeof input['_index'] === 'string') stream = input['_index'];
    if (typeof input['_id'] === 'string') id = input['_id'];
  }
  return normalizeEvent(source, {
    stream,
    receivedUs: opts.receivedUs,
    limits: opts.limits,
    ...(id !== undefined ? { id } : {}),
  });
}

/**
 * Runs documents through a pipeline without storing them (Elasticsearch's `_simulate`). With
 * `verbose`, every processor's result is listed with the document as it was after it (Elasticsearch's
 * `?verbose`), including processors skipped by their condition and failures with their reasons.
 */
export function simulatePipeline(
  pipeline: CompiledPipeline,
  inputs: readonly SimulateInput[],
  opts: {
    verbose: boolean;
    stream: string;
    receivedUs: number;
    limits: EventLimits;
    resolve: (id: string) => CompiledPipeline | null;
  },
): SimulatedDoc[] {
  return inputs.map((input): SimulatedDoc => {
    const normalized = toEvent(input, opts);
    if (!normalized.ok) {
      const where = normalized.field ? `failed to parse field [${normalized.field}]: ` : '';
      return { error: { type: 'document_parsing_exception', reason: `${where}${normalized.reason}` } };
    }
    const event: Event = normalized.event;
    const doc = createDoc(event);
    const entries: TraceEntry[] = [];
    runPipeline(pipeline, doc, {
      resolve: opts.resolve,
      trace: opts.verbose ? { record: (e) => entries.push(e) } : null,
    });
    const results = opts.verbose ? entries.map(toResult) : undefined;
    const withResults = <T extends object>(o: T) =>
      results === undefined ? o : { ...o, processor_results: results };
    if (doc.dropped) return withResults({ dropped: true as const });
    const finished = finishEvent(doc, opts.limits);
    if (finished.kind === 'rejected')
      return withResults({ error: { type: 'document_parsing_exception' as const, reason: finished.reason } });
    return withResults({ doc: renderDoc({ event: finished.event, metadata: doc.metadata }) });
  });
}

function toResult(entry: TraceEntry): ProcessorResult {
  const result: ProcessorResult = { processor_type: entry.processor, status: entry.status };
  if (entry.tag !== undefined) result.tag = entry.tag;
  if (entry.condition !== undefined)
    result.if = { condition: entry.condition.if, result: entry.condition.result };
  if (entry.error !== undefined) result.error = { type: 'processor_failure', reason: entry.error };
  if (entry.status !== 'skipped') result.doc = renderDoc(entry.doc);
  return result;
}
