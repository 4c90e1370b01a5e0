import type { Event } from '../model/event.js';
import type { PipelineOutcome } from '../pipeline/catalog.js';
import { type ColumnView, type EncodedRows, encodeRows } from '../store/duckdb/batch-encoder.js';
import { type BulkItem, type BulkOptions, decodeBulk } from './bulk.js';
import { applyToBulkItems, collectOutcomes } from './pipeline-outcomes.js';

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
 * ingest worker thread: parse and normalise the documents, run pipelines (`process`, when any
 * apply), and encode the events into store rows against `view`.
 */
export function decodeBulkForStore(
  body: string,
  opts: BulkOptions,
  process: ((events: Event[]) => PipelineOutcome[]) | null,
  view: ColumnView,
): DecodedBulk {
  const items = decodeBulk(body, opts);
  let droppedItems: number[] = [];
  if (process !== null) {
    const decoded: Event[] = [];
    for (const item of items) if (item.event) decoded.push(item.event);
    if (decoded.length > 0) droppedItems = applyToBulkItems(items, collectOutcomes(process(decoded)));
  }
  const events: Event[] = [];
  for (let i = 0; i < items.length; i++) {
    const { event, ...rest } = items[i]!;
    if (event === undefined) continue;
    events.push(event);
    items[i] = rest; // the item without its event, which travels as an encoded row
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
