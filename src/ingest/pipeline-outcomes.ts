import type { Event } from '../model/event.js';
import type { PipelineOutcome } from '../pipeline/catalog.js';
import type { BulkItem } from './bulk.js';

/** What the pipelines did to a request's events, for the ingest routes to report. */
export interface PipelinedEvents {
  /** Events to store, in request order. */
  events: Event[];
  /** For each input event: its index in `events`, or -1 when dropped, or -2 when rejected. */
  positions: Int32Array;
  dropped: number;
  /** `type`: the Elasticsearch exception type when it is not a parsing failure. */
  rejected: { index: number; reason: string; field?: string; type?: string }[];
}

/** The events an `index.final_pipeline` runs on: those the first pipeline kept that have one. */
export interface FinalPass {
  /** Positions in the outcomes. */
  at: number[];
  events: Event[];
  /** The final pipeline of each. */
  names: string[];
}

/** The final pass over `outcomes`; `finalOf(i)` is event i's final pipeline (undefined: none). */
export function finalPass(
  outcomes: readonly PipelineOutcome[],
  finalOf: (i: number) => string | undefined,
): FinalPass {
  const pass: FinalPass = { at: [], events: [], names: [] };
  outcomes.forEach((o, i) => {
    const final = finalOf(i);
    if (o.kind !== 'kept' || final === undefined) return;
    pass.at.push(i);
    pass.events.push(o.event);
    pass.names.push(final);
  });
  return pass;
}

/** Puts the final pass's outcomes (`after`, in the pass's order) in place of the first ones. */
export function applyFinalPass(
  outcomes: PipelineOutcome[],
  pass: FinalPass,
  after: readonly PipelineOutcome[],
): void {
  pass.at.forEach((i, k) => {
    outcomes[i] = after[k]!;
  });
}

/** Sorts pipeline outcomes into the events to store and what happened to each input event. */
export function collectOutcomes(outcomes: readonly PipelineOutcome[]): PipelinedEvents {
  const kept: Event[] = [];
  const positions = new Int32Array(outcomes.length);
  const rejected: PipelinedEvents['rejected'] = [];
  let dropped = 0;
  outcomes.forEach((o, i) => {
    switch (o.kind) {
      case 'kept':
        positions[i] = kept.length;
        kept.push(o.event);
        return;
      case 'dropped':
        positions[i] = -1;
        dropped++;
        return;
      case 'rejected':
        positions[i] = -2;
        rejected.push({
          index: i,
          // A refusal before any pipeline ran (`type` set) reads as Elasticsearch words it.
          reason: o.type !== undefined ? o.reason : `after the pipeline: ${o.reason}`,
          ...(o.field !== undefined ? { field: o.field } : {}),
          ...(o.type !== undefined ? { type: o.type } : {}),
        });
        return;
    }
  });
  return { events: kept, positions, dropped, rejected };
}

/**
 * Puts the pipelines' results back on `_bulk` items: each item keeps its (changed) event, or gets
 * the rejection as its error. Returns the positions of the items whose event was dropped.
 */
export function applyToBulkItems(items: BulkItem[], piped: PipelinedEvents): number[] {
  const rejections = new Map(piped.rejected.map((r) => [r.index, r]));
  const dropped: number[] = [];
  let k = 0;
  items.forEach((item, i) => {
    if (item.event === undefined) return;
    const at = piped.positions[k]!;
    if (at >= 0) item.event = piped.events[at]!;
    else {
      if (at === -1) dropped.push(i);
      else
        item.error = {
          status: 400,
          type: rejections.get(k)?.type ?? 'document_parsing_exception',
          reason: rejections.get(k)?.reason ?? 'rejected by the pipeline',
        };
      delete item.event;
    }
    k++;
  });
  return dropped;
}

/**
 * Marks dropped documents in a `_bulk` response as Elasticsearch does when a pipeline drops one:
 * `"result": "noop"`, status 200, no id.
 */
export function markDroppedBulkItems(text: string, droppedItems: readonly number[]): string {
  if (droppedItems.length === 0) return text;
  const body = JSON.parse(text) as { items: Record<string, Record<string, unknown>>[] };
  for (const i of droppedItems) {
    const item = body.items[i];
    if (item === undefined) continue;
    for (const op of Object.keys(item)) {
      const result = item[op]!;
      item[op] = {
        _index: result['_index'],
        _id: null,
        _version: -3,
        result: 'noop',
        _shards: { total: 0, successful: 0, failed: 0 },
        status: 200,
      };
    }
  }
  return JSON.stringify(body);
}
