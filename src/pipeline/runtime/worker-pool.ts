import { Worker } from 'node:worker_threads';
import { CairnError, type ErrorCode } from '../../model/errors.js';
import type { Event } from '../../model/event.js';
import type { EventLimits } from '../../model/normalize.js';
import type { PipelineOutcome } from '../catalog.js';
import type { CatalogSnapshot, FromWorker, ToWorker } from './protocol.js';
import type { GeoIpSource } from './resources.js';
import { decodeOutcomes, encodeEvents } from './transfer.js';

export interface WorkerPoolOptions {
  /** Threads to start (at least 1). */
  size: number;
  /** Events in flight (sent to workers, not yet back) before new batches are refused with 429. */
  maxPendingEvents: number;
  /** Events per message to a worker; a request larger than this is spread over the workers. */
  chunkEvents?: number;
  /** The catalog as it is now. */
  snapshot: () => CatalogSnapshot;
  /** The GeoIP data for workers when running `pipeline` (null: the route table) needs it, else null. */
  geoip: (pipeline: string | null) => GeoIpSource | null;
  nowOffsetUs: () => number;
}

interface Pending {
  resolve: (outcomes: PipelineOutcome[]) => void;
  reject: (err: unknown) => void;
  events: number;
  slot: Slot;
}

interface Slot {
  worker: Worker;
  version: number;
  geoipSent: boolean;
  inflight: number;
}

/**
 * Runs pipelines on worker threads, so parsing does not hold up the thread that serves HTTP and
 * writes to the store. A request's events are cut into chunks, each sent to the least busy worker;
 * the chunks' outcomes are put back together in request order. When more than `maxPendingEvents`
 * are in flight, `run` refuses at once with CairnError `too_many_requests` (HTTP 429 with
 * Retry-After), so a slow pipeline pushes back on shippers instead of growing memory.
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
      const slot: Slot = { worker, version: -1, geoipSent: false, inflight: 0 };
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
    if (message.type === 'done') pending.resolve(decodeOutcomes(message.outcomes));
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
    if (this.inflightEvents > 0 && this.inflightEvents + events.length > this.options.maxPendingEvents) {
      throw new CairnError(
        'too_many_requests',
        `Pipelines are saturated: ${this.inflightEvents} events are being parsed (limit ${this.options.maxPendingEvents}). Retry after a second.`,
        {
          details: {
            pending: this.inflightEvents,
            limit: this.options.maxPendingEvents,
            retryAfterSeconds: 1,
          },
        },
      );
    }
    if (this.slots.length < Math.max(1, this.options.size)) this.start();
    const chunk = Math.max(1, this.options.chunkEvents ?? 2000);
    const parts: Promise<PipelineOutcome[]>[] = [];
    for (let i = 0; i < events.length; i += chunk)
      parts.push(this.send(events.slice(i, i + chunk), pipeline, limits));
    const results = await Promise.all(parts);
    return results.length === 1 ? results[0]! : results.flat();
  }

  private send(events: Event[], pipeline: string | null, limits: EventLimits): Promise<PipelineOutcome[]> {
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.inflight < slot.inflight) slot = s;
    const snapshot = this.options.snapshot();
    const geoip = slot.geoipSent ? null : this.options.geoip(pipeline);
    if (slot.version !== snapshot.version || geoip !== null) {
      const sync: ToWorker = { type: 'sync', snapshot, geoip, nowOffsetUs: this.options.nowOffsetUs() };
      slot.worker.postMessage(sync);
      slot.version = snapshot.version;
      if (geoip !== null) slot.geoipSent = true;
    }
    const id = this.nextId++;
    if (slot.inflight === 0) slot.worker.ref();
    slot.inflight += events.length;
    this.inflightEvents += events.length;
    return new Promise<PipelineOutcome[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, events: events.length, slot });
      const run: ToWorker = { type: 'run', id, pipeline, events: encodeEvents(events), limits };
      slot.worker.postMessage(run);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = [...this.slots];
    for (const slot of slots) this.retire(slot, new Error('Cairn is shutting down'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
