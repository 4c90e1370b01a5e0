import { CairnError } from '../model/errors.js';
import type { Event } from '../model/event.js';
import { NO_PIPELINE, type PipelineOutcome } from '../pipeline/catalog.js';
import { type ColumnView, type EncodedRows, encodeRows } from '../store/duckdb/batch-encoder.js';
import { type BulkItem, type BulkOptions, decodeBulk } from './bulk.js';
import { type DecodeOptions, decodeJsonBody, decodeTextLines, type Rejection } from './json-body.js';
import { applyFinalPass, applyToBulkItems, collectOutcomes, finalPass } from './pipeline-outcomes.js';

/**
 * Runs a request's decoded events through the pipelines that apply to them. `named[i]`, when given,
 * is the pipeline event i asks for itself (its `_bulk` action line's, or its index's default). With
 * `onlyNamed`, events that name none get no pipeline (not the request's or the routes').
 */
export type ProcessEvents = (
  events: Event[],
  named: readonly (string | undefined)[] | null,
  onlyNamed?: boolean,
) => PipelineOutcome[];

/** The pipelines of a `_bulk` request. */
export interface BulkPipelines {
  process: ProcessEvents;
  /** `?pipeline=` or the route table applies to documents that name no pipeline. */
  requested: boolean;
  /** The request has a `?pipeline=` (`_none` included): index default pipelines do not apply. */
  explicit: boolean;
  /** An index's `index.default_pipeline` and `index.final_pipeline`; null when no index has any. */
  forIndex: (index: string) => { defaultPipeline: string | null; finalPipeline: string | null } | null;
}

/** A decoded `_bulk` request, ready to answer once its rows are written. */
export interface DecodedBulk {
  /** The request's items, in order, without their events: an item is stored unless it has an error or was dropped. */
  items: BulkItem[];
  /** Items a pipeline dropped (answered as `noop`). */
  droppedItems: number[];
  /** The stored items' events, encoded; row positions count stored items only. */
  rows: EncodedRows;
}

/**
 * The whole of a `_bulk` request's work before the write, as one function so that it can run on an
 * ingest worker thread: parse and normalise the documents, run pipelines (the request's, and those
 * documents name in their action lines), and encode the events into store rows against `view`.
 */
export function decodeBulkForStore(
  body: string,
  opts: BulkOptions,
  pipelines: BulkPipelines | null,
  view: ColumnView,
): DecodedBulk {
  const items = decodeBulk(body, opts);
  let droppedItems: number[] = [];
  const decoded: Event[] = [];
  const named: (string | undefined)[] = [];
  const finals: (string | undefined)[] = [];
  let anyNamed = false;
  let anyFinal = false;
  for (const item of items) {
    if (!item.event) continue;
    decoded.push(item.event);
    // Elasticsearch's order: the action line's pipeline, the request's, the index's default.
    const index = pipelines?.forIndex(item.index) ?? null;
    let name = item.pipeline;
    if (name === undefined && index?.defaultPipeline && !pipelines?.explicit) name = index.defaultPipeline;
    named.push(name);
    if (name !== undefined) anyNamed = true;
    const final = index?.finalPipeline ?? undefined;
    finals.push(final === NO_PIPELINE ? undefined : final);
    if (final !== undefined && final !== NO_PIPELINE) anyFinal = true;
  }
  if (decoded.length > 0 && (anyNamed || anyFinal || pipelines?.requested)) {
    if (pipelines === null)
      throw new CairnError('internal', 'Documents name ingest pipelines but this worker has none loaded');
    const outcomes = pipelines.process(decoded, anyNamed ? named : null);
    if (anyFinal) {
      // index.final_pipeline, after whichever pipeline ran, on what it kept.
      const pass = finalPass(outcomes, (i) => finals[i]);
      if (pass.events.length > 0)
        applyFinalPass(outcomes, pass, pipelines.process(pass.events, pass.names, true));
    }
    droppedItems = applyToBulkItems(items, collectOutcomes(outcomes));
  }
  const events: Event[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.event === undefined && item.pipeline === undefined) continue;
    const { event, pipeline: _pipeline, ...rest } = item;
    items[i] = rest; // the item without its event, which travels as an encoded row
    if (event !== undefined) events.push(event);
  }
  return { items, droppedItems, rows: encodeRows(events, view) };
}

/** The ids of a decoded request's items, given the ids its stored items got, in order. */
export function bulkItemIds(
  decoded: Pick<DecodedBulk, 'items' | 'droppedItems'>,
  storedIds: readonly string[],
): (string | undefined)[] {
  const dropped = new Set(decoded.droppedItems);
  const ids: (string | undefined)[] = new Array(decoded.items.length);
  let j = 0;
  decoded.items.forEach((item, i) => {
    if (item.error === undefined && !dropped.has(i)) ids[i] = storedIds[j++];
  });
  return ids;
}

/** A decoded `/api/v1/ingest` body, ready to answer once its rows are written. */
export interface DecodedLines {
  /** Entries that were not stored, with their line (or array position) and reason. */
  rejected: Rejection[];
  /** Events a pipeline dropped (null: no pipeline ran). */
  dropped: number | null;
  rows: EncodedRows;
}

/**
 * The same for `/api/v1/ingest` bodies: JSON (an object, an array or NDJSON) or plain text lines.
 */
export function decodeLinesForStore(
  body: string,
  format: 'json' | 'text',
  opts: DecodeOptions,
  process: ProcessEvents | null,
  view: ColumnView,
): DecodedLines {
  const decoded = format === 'json' ? decodeJsonBody(body, opts) : decodeTextLines(body, opts);
  const { rejected } = decoded;
  let { events } = decoded;
  let dropped: number | null = null;
  if (process !== null && events.length > 0) {
    const piped = collectOutcomes(process(events, null));
    events = piped.events;
    dropped = piped.dropped;
    for (const r of piped.rejected)
      rejected.push({
        line: r.index + 1,
        reason: `event ${r.index + 1} ${r.reason}`,
        ...(r.field ? { field: r.field } : {}),
      });
  }
  return { rejected, dropped, rows: encodeRows(events, view) };
}
