import { parentPort } from 'node:worker_threads';
import { decodeBulkForStore, decodeLinesForStore, type ProcessEvents } from '../../ingest/ingest-job.js';
import { CairnError, isCairnError } from '../../model/errors.js';
import type { EncodedRows } from '../../store/duckdb/batch-encoder.js';
import type { ColumnDef } from '../../store/duckdb/catalog.js';
import { NO_PIPELINE, PipelineCatalog } from '../catalog.js';
import { type FromWorker, NEEDS_GEOIP, type RowsMessage, type ToWorker } from './protocol.js';
import { LazyResources } from './resources.js';
import { decodeEvents, encodeEvents, encodeOutcomes } from './transfer.js';

/*
 * An ingest worker thread: keeps its own copy of the pipeline catalog (rebuilt from the server's
 * snapshot whenever it changes) and of the store's columns, runs batches of events through
 * pipelines, and does all the work of a `_bulk` request short of the write: parse, normalise, run
 * pipelines, encode rows. The clock is the server's: `sync` carries the offset between the injected
 * clock and this thread's Date.now().
 */
const port = parentPort;
if (port === null) throw new Error('pipeline worker started outside a worker thread');

let nowOffsetUs = 0;
let resources = new LazyResources();
let catalog: PipelineCatalog | null = null;
const columns = {
  fields: new Map<string, ColumnDef>(),
  overflow: new Set<string>(),
  maxColumns: Number.POSITIVE_INFINITY,
};

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'sync': {
      nowOffsetUs = message.nowOffsetUs;
      if (message.geoip !== null) resources = new LazyResources({ geoipSource: message.geoip });
      const next = new PipelineCatalog({
        nowUs: () => Date.now() * 1000 + nowOffsetUs,
        random: Math.random,
        resources,
      });
      // Cairn pipelines and installed ones may call each other: installed ones are compiled both
      // before the Cairn ones (which may call them) and after (to call those).
      next.setInstalled(message.snapshot.installed);
      for (const p of message.snapshot.pipelines) next.set(p.id, p.definition, p.source);
      next.setInstalled(message.snapshot.installed);
      next.setRoutes(message.snapshot.routes);
      next.setIndexPipelines(message.snapshot.indexPipelines);
      catalog = next;
      return;
    }
    case 'columns': {
      columns.maxColumns = message.maxColumns;
      for (const f of message.fields) columns.fields.set(f.name, f);
      for (const name of message.overflow) columns.overflow.add(name);
      return;
    }
    case 'decode': {
      try {
        const pipelines = message.pipelines;
        if (pipelines !== null && catalog === null)
          throw new CairnError('internal', 'The ingest worker has no pipelines yet');
        const cat = catalog;
        // `null`: the route table; `_none`: nothing for documents that name no pipeline themselves.
        const requested = pipelines === null ? NO_PIPELINE : pipelines.pipeline;
        const process: ProcessEvents | null =
          cat === null
            ? null
            : (events, named, onlyNamed) => {
                if (named !== null) requireGeoIpFor(cat, named);
                return cat.process(events, {
                  pipeline: onlyNamed === true ? NO_PIPELINE : requested,
                  limits: message.limits,
                  named,
                });
              };
        const text = Buffer.from(
          message.body.buffer,
          message.body.byteOffset,
          message.body.byteLength,
        ).toString('utf8');
        const { format } = message;
        const opts = { receivedUs: message.receivedUs, limits: message.limits };
        let reply: FromWorker;
        if (format.kind === 'bulk') {
          const decoded = decodeBulkForStore(
            text,
            { ...opts, ...(format.defaultIndex !== null ? { defaultIndex: format.defaultIndex } : {}) },
            process === null || cat === null
              ? null
              : {
                  process,
                  requested: pipelines !== null && requested !== NO_PIPELINE,
                  explicit: pipelines !== null && pipelines.pipeline !== null,
                  forIndex: (index) => cat.pipelinesForIndex(index),
                },
            columns,
          );
          reply = {
            type: 'bulk-done',
            id: message.id,
            items: decoded.items,
            droppedItems: decoded.droppedItems,
            rows: rowsMessage(decoded.rows),
          };
        } else {
          const decoded = decodeLinesForStore(
            text,
            format.kind,
            { ...opts, stream: format.stream },
            process,
            columns,
          );
          reply = {
            type: 'lines-done',
            id: message.id,
            rejected: decoded.rejected,
            dropped: decoded.dropped,
            rows: rowsMessage(decoded.rows),
          };
        }
        port.postMessage(reply, transferables(reply.rows));
      } catch (err) {
        port.postMessage(failure(message.id, err));
      }
      return;
    }
    case 'run': {
      let reply: FromWorker;
      try {
        if (catalog === null) throw new CairnError('internal', 'The pipeline worker has no pipelines yet');
        const outcomes = catalog.process(decodeEvents(message.events), {
          pipeline: message.pipeline,
          limits: message.limits,
        });
        reply = { type: 'done', id: message.id, outcomes: encodeOutcomes(outcomes) };
      } catch (err) {
        reply = failure(message.id, err);
      }
      port.postMessage(reply);
      return;
    }
  }
});

/**
 * The GeoIP data reaches a worker with the request that needs it. A pipeline named by documents is
 * only known once the body is parsed here: when one needs GeoIP the worker has not got, the job
 * fails before any event is touched, and the pool sends the data and runs the job again.
 */
function requireGeoIpFor(cat: PipelineCatalog, named: readonly (string | undefined)[]): void {
  if (resources.geoipLoaded) return;
  const seen = new Set<string>();
  for (const name of named) {
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    if (cat.uses('geoip', name))
      throw new CairnError('internal', `Pipeline "${name}" needs the GeoIP data`, {
        details: { [NEEDS_GEOIP]: true },
      });
  }
}

/** Encoded rows as they cross to the server: deferred events in the compact event form. */
function rowsMessage(rows: EncodedRows): RowsMessage {
  return {
    ...rows,
    deferred: { positions: rows.deferred.positions, events: encodeEvents(rows.deferred.events) },
  };
}

/** The big arrays of the rows, moved instead of copied; never a view into Buffer's shared pool. */
function transferables(rows: RowsMessage): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const g of rows.groups) {
    for (const a of [g.rows, g.rowStarts, g.hashes]) {
      if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) out.push(a.buffer as ArrayBuffer);
    }
  }
  return out;
}

/** A job's error as the server will rethrow it: CairnErrors keep their code, status and details. */
function failure(id: number, err: unknown): FromWorker {
  const e = isCairnError(err)
    ? err
    : new CairnError('internal', `Ingest worker failed: ${(err as Error).message}`);
  return { type: 'failed', id, message: e.message, code: e.code, status: e.status, details: e.details };
}
