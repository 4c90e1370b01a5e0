import type { FieldValue } from '../model/event.js';
import { DEFAULT_EVENT_LIMITS, normalizeEvent } from '../model/normalize.js';
import { PipelineCatalog } from './catalog.js';
import { createDoc } from './doc.js';
import { finishEvent } from './finish.js';
import { runPipeline } from './run.js';
import { LazyResources } from './runtime/resources.js';

/** 2026-11-21T12:00:00Z: the clock of pipeline tests (years are guessed from it). */
export const TEST_NOW_US = Date.UTC(2026, 10, 21, 12) * 1000;

// One set of resources for a test file: the GeoIP and user-agent data load once.
const resources = new LazyResources();

export function testCatalog(options: { random?: () => number } = {}): PipelineCatalog {
  return new PipelineCatalog({ nowUs: () => TEST_NOW_US, random: options.random ?? (() => 0.5), resources });
}

export interface TestResult {
  kind: 'kept' | 'dropped' | 'rejected';
  fields: Record<string, FieldValue>;
  timestamp: string;
  stream: string;
  id: string | undefined;
  reason?: string;
}

/**
 * Runs one event (a text line, or an object as ingest receives it) through an inline pipeline or a
 * stored one, exactly as ingest does after decoding: normalise, run, finish.
 */
export function runPipelineOn(
  pipeline: { processors: unknown[]; on_failure?: unknown[] } | string,
  input: string | Record<string, unknown>,
  options: { catalog?: PipelineCatalog; stream?: string } = {},
): TestResult {
  const catalog = options.catalog ?? testCatalog();
  const compiled =
    typeof pipeline === 'string' ? catalog.pipeline(pipeline) : catalog.compileInline(pipeline);
  if (compiled === null) throw new Error(`no pipeline ${String(pipeline)}`);
  const normalized = normalizeEvent(typeof input === 'string' ? { message: input } : input, {
    stream: options.stream ?? 'test',
    receivedUs: TEST_NOW_US,
    limits: DEFAULT_EVENT_LIMITS,
  });
  if (!normalized.ok) throw new Error(normalized.reason);
  const doc = createDoc(normalized.event);
  runPipeline(compiled, doc, { resolve: (id) => catalog.pipeline(id) });
  const base = { stream: doc.event.stream, id: doc.event.id };
  if (doc.dropped) return { kind: 'dropped', fields: {}, timestamp: '', ...base };
  const finished = finishEvent(doc, DEFAULT_EVENT_LIMITS);
  if (finished.kind === 'rejected')
    return { kind: 'rejected', fields: {}, timestamp: '', reason: finished.reason, ...base };
  const event = finished.event;
  return {
    kind: 'kept',
    fields: { ...event.fields },
    timestamp: new Date(Math.floor(event.timestampUs / 1000)).toISOString(),
    stream: event.stream,
    id: event.id,
  };
}

/** The fields a processor list adds to `{message: line}` (without `message` itself unless changed). */
export function parsed(processors: unknown[], line: string): Record<string, FieldValue> {
  const { fields } = runPipelineOn({ processors }, line);
  if (fields['message'] === line) delete fields['message'];
  return fields;
}
