import { Worker } from 'node:worker_threads';
import type { DecodedBulk, DecodedLines } from '../../ingest/ingest-job.js';
import { CairnError, type ErrorCode } from '../../model/errors.js';
import type { Event } from '../../model/event.js';
import type { EventLimits } from '../../model/normalize.js';
import type { EncodedRows } from '../../store/duckdb/batch-encoder.js';
import type { ColumnLog } from '../../store/store.js';
import type { PipelineOutcome } from '../catalog.js';
import {
  type CatalogSnapshot,
  type FromWorker,
  type IngestFormat,
  NEEDS_GEOIP,
  type RowsMessage,
  type ToWorker,
} from './protocol.js';
import type { GeoIpSource } from './resources.js';
import { decodeEvents, decodeOutcomes, encodeEvents } from './transfer.js';

/** A body for an ingest worker to decode (see PipelineWorkerPool.decode). */
export interface DecodeJob {
  body: Buffer;
  format: IngestFormat;
  receivedUs: number;
  limits: EventLimits;
  pipelines: { pipeline: string | null } | null;
  columns: ColumnLog;
}

function fromRowsMessage(rows: RowsMessage): EncodedRows {
  const { deferred, ...rest } = rows;
  return { ...rest, deferred: { positions: deferred.positions, events: decodeEvents(deferred.events) } };
}

/** Newlines in a body (bulk bodies have one line per action and per document). */
function countLines(body: Buffer): number {
  let n = 0;
  for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) n++;
  return n + 1;
}

export interface WorkerPoolOptions {
  /** Threads to start (at least 1). */
  size: number;
  /** Events in flight (sent to workers, not yet back) before new batches are refused with 429. */
  maxPendingEvents: number;
  /** Events per message to a worker; a request larger than this is spread over the workers. */
  chunkEvents?: number;
  /** The catalog as it is now. */
  snapshot: () => CatalogSnapshot;
  /** The catalog's version (default: the snapshot's), checked before every job. */
  version?: () => number;
  /** The GeoIP data for workers when running `pipeline` (null: the route table) needs it, else null. */
  geoip: (pipeline: string | null) => GeoIpSource | null;
  /**
   * The GeoIP data, loaded if need be: for a job a worker sends back because a pipeline its
   * documents name needs it. Absent: such a job fails.
   */
  loadGeoip?: () => GeoIpSource;
  nowOffsetUs: () => number;
}

interface Pending {
  /** Takes the worker's answer (anything but `failed`). */
  resolve: (message: FromWorker) => void;
  reject: (err: unknown) => void;
  events: number;
  slot: Slot;
}

interface Slot {
  worker: Worker;
  version: number;
  geoipSent: boolean;
  inflight: number;
  /** How much of the store's column log this worker has. */
  fieldsSent: number;
  overflowSent: number;
}

/**
 * The ingest worker threads, so that parsing does not hold up the thread that serves HTTP and writes
 * to the store. `decode` hands a whole request body to the least busy worker, which parses it, runs
 * pipelines and encodes store rows; `run` cuts decoded events into chunks for the workers' pipelines
 * and puts the outcomes back together in request order. When more than `maxPendingEvents` are in
 * flight, both refuse at once with CairnError `too_many_requests` (HTTP 429 with Retry-After), so a
 * slow pipeline pushes back on shippers instead of growing memory.
 */
export class PipelineWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private inflightEvents = 0;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  get inflight(): number {
    return this.inflightEvents;
  }

  private start(): void {
    const size = Math.max(1, this.options.size) - this.slots.length;
    // From source (tests, `npm run dev`) the worker is TypeScript: it starts through tsx's loader.
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
    for (let i = 0; i < size; i++) {
      const worker = fromSource ? new Worker(bootstrap, { eval: true }) : new Worker(url);
      const slot: Slot = {
        worker,
        version: -1,
        geoipSent: false,
        inflight: 0,
        fieldsSent: 0,
        overflowSent: 0,
      };
      worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
      // A worker that dies fails its batches (the requests answer 500; nothing was acknowledged)
      // and is replaced on the next batch.
      worker.on('error', (err) => this.retire(slot, err));
      worker.on('exit', (code) => this.retire(slot, new Error(`exit code ${code}`)));
      worker.unref();
      this.slots.push(slot);
    }
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    slot.inflight -= pending.events;
    this.inflightEvents -= pending.events;
    // An idle worker does not keep the process alive; a busy one must, or Node exits mid-batch.
    if (slot.inflight === 0) slot.worker.unref();
    if (message.type !== 'failed') pending.resolve(message);
    else
      pending.reject(
        new CairnError(
          message.code as ErrorCode,
          message.message,
          message.details !== undefined ? { details: message.details } : {},
        ),
      );
  }

  private retire(slot: Slot, err: unknown): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      this.inflightEvents -= p.events;
      p.reject(new CairnError('internal', `A pipeline worker stopped: ${String(err)}`));
    }
  }

  /** Runs events through `pipeline` (null: the route table) on the workers; outcomes in input order. */
  async run(events: Event[], pipeline: string | null, limits: EventLimits): Promise<PipelineOutcome[]> {
    if (this.closed) throw new CairnError('store_unavailable', 'Cairn is shutting down');
    if (events.length === 0) return [];
    this.refuseWhenSaturated(events.length);
    if (this.slots.length < Math.max(1, this.options.size)) this.start();
    const chunk = Math.max(1, this.options.chunkEvents ?? 2000);
    const parts: Promise<PipelineOutcome[]>[] = [];
    for (let i = 0; i < events.length; i += chunk)
      parts.push(this.send(events.slice(i, i + chunk), pipeline, limits));
    const results = await Promise.all(parts);
    return results.length === 1 ? results[0]! : results.flat();
  }

  /** Refuses at once (429 with Retry-After) when `events` more would pass maxPendingEvents. */
  private refuseWhenSaturated(events: number): void {
    if (this.inflightEvents > 0 && this.inflightEvents + events > this.options.maxPendingEvents) {
      throw new CairnError(
        'too_many_requests',
        `Ingest workers are saturated: ${this.inflightEvents} events are being parsed (limit ${this.options.maxPendingEvents}). Retry after a second.`,
        {
          details: {
            pending: this.inflightEvents,
            limit: this.options.maxPendingEvents,
            retryAfterSeconds: 1,
          },
        },
      );
    }
  }

  private send(events: Event[], pipeline: string | null, limits: EventLimits): Promise<PipelineOutcome[]> {
    return this.dispatch(events.length, pipeline, (id) => ({
      type: 'run',
      id,
      pipeline,
      events: encodeEvents(events),
      limits,
    })).then((message) => decodeOutcomes((message as Extract<FromWorker, { type: 'done' }>).outcomes));
  }

  /**
   * Decodes a request body on a worker: parse, normalise, run pipelines (`pipelines`: null when none
   * apply), and encode rows against the store's columns (`columns`), kept in sync per worker.
   */
  async decode(job: DecodeJob & { format: Extract<IngestFormat, { kind: 'bulk' }> }): Promise<DecodedBulk>;
  async decode(job: DecodeJob & { format: Exclude<IngestFormat, { kind: 'bulk' }> }): Promise<DecodedLines>;
  async decode(job: DecodeJob): Promise<DecodedBulk | DecodedLines> {
    if (this.closed) throw new CairnError('store_unavailable', 'Cairn is shutting down');
    // Events in flight, for back-pressure: a bulk body has two lines per document.
    const lines = countLines(job.body);
    const events = job.format.kind === 'bulk' ? Math.ceil(lines / 2) : lines;
    this.refuseWhenSaturated(events);
    if (this.slots.length < Math.max(1, this.options.size)) this.start();
    // A _bulk document may name a pipeline in its action line: bulk jobs always get the catalog.
    const send = (geoip: 'as needed' | 'send') =>
      this.dispatch(
        events,
        job.pipelines === null ? null : job.pipelines.pipeline,
        (id) => ({
          type: 'decode',
          id,
          body: job.body,
          format: job.format,
          receivedUs: job.receivedUs,
          limits: job.limits,
          pipelines: job.pipelines,
        }),
        job.columns,
        job.pipelines !== null || job.format.kind === 'bulk',
        geoip,
      );
    let message: FromWorker;
    try {
      message = await send('as needed');
    } catch (err) {
      const needsGeoip = err instanceof CairnError && err.details?.[NEEDS_GEOIP] === true;
      if (!needsGeoip || this.options.loadGeoip === undefined) throw err;
      message = await send('send');
    }
    if (message.type === 'bulk-done')
      return {
        items: message.items,
        droppedItems: message.droppedItems,
        rows: fromRowsMessage(message.rows),
      };
    const done = message as Extract<FromWorker, { type: 'lines-done' }>;
    return { rejected: done.rejected, dropped: done.dropped, rows: fromRowsMessage(done.rows) };
  }

  /** Sends a job to the least busy worker, first bringing its catalog and columns up to date. */
  private dispatch(
    events: number,
    pipeline: string | null,
    job: (id: number) => ToWorker,
    columns?: ColumnLog,
    usesPipelines = true,
    geoipWanted: 'as needed' | 'send' = 'as needed',
  ): Promise<FromWorker> {
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.inflight < slot.inflight) slot = s;
    if (usesPipelines) {
      const geoip = slot.geoipSent
        ? null
        : geoipWanted === 'send' && this.options.loadGeoip !== undefined
          ? this.options.loadGeoip()
          : this.options.geoip(pipeline);
      const version = this.options.version?.() ?? this.options.snapshot().version;
      if (slot.version !== version || geoip !== null) {
        const snapshot = this.options.snapshot();
        const sync: ToWorker = { type: 'sync', snapshot, geoip, nowOffsetUs: this.options.nowOffsetUs() };
        slot.worker.postMessage(sync);
        slot.version = snapshot.version;
        if (geoip !== null) slot.geoipSent = true;
      }
    }
    if (
      columns !== undefined &&
      (slot.fieldsSent < columns.fields.length || slot.overflowSent < columns.overflow.length)
    ) {
      const update: ToWorker = {
        type: 'columns',
        maxColumns: columns.maxColumns,
        fields: columns.fields.slice(slot.fieldsSent),
        overflow: columns.overflow.slice(slot.overflowSent),
      };
      slot.worker.postMessage(update);
      slot.fieldsSent = columns.fields.length;
      slot.overflowSent = columns.overflow.length;
    }
    const id = this.nextId++;
    if (slot.inflight === 0) slot.worker.ref();
    slot.inflight += events;
    this.inflightEvents += events;
    return new Promise<FromWorker>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, events, slot });
      slot.worker.postMessage(job(id));
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = [...this.slots];
    for (const slot of slots) this.retire(slot, new Error('Cairn is shutting down'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
