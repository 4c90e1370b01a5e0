import { CairnError } from '../model/errors.js';
import type { Event } from '../model/event.js';
import type { AppendResult, Store, WriteBatch } from '../store/store.js';

export interface GroupCommitOptions {
  /** Most events written in one store transaction. */
  maxBatchEvents?: number;
  /** Events waiting (queued or being written) before new requests are refused with 429. */
  maxPendingEvents?: number;
  /** Called after every commit, for metrics and logs. */
  onCommit?: (info: { events: number; requests: number; durationMs: number }) => void;
  onError?: (err: unknown) => void;
}

interface Waiter {
  batch: WriteBatch;
  count: number;
  resolve: (r: AppendResult) => void;
  reject: (err: unknown) => void;
}

/**
 * The in-process queue between inputs and the store. Requests that arrive while a commit is running
 * wait and are then written together in one transaction (group commit), so many small requests cost
 * one fsync. Each request's promise resolves only after its events are durable.
 */
export class GroupCommitQueue {
  private queue: Waiter[] = [];
  private queuedEvents = 0;
  private inflightEvents = 0;
  private running = false;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private readonly maxBatchEvents: number;
  private readonly maxPendingEvents: number;

  constructor(
    private readonly store: Store,
    private readonly opts: GroupCommitOptions = {},
  ) {
    this.maxBatchEvents = opts.maxBatchEvents ?? 100_000;
    this.maxPendingEvents = opts.maxPendingEvents ?? 400_000;
  }

  /** Events accepted but not yet durable. */
  get pending(): number {
    return this.queuedEvents + this.inflightEvents;
  }

  /** Queues events; resolves with their ids once durable. Refuses with 429 when the queue is full. */
  submit(events: Event[]): Promise<AppendResult> {
    return this.submitBatch({ events }, events.length);
  }

  /** Queues a batch of `count` events (see WriteBatch); resolves with their ids once durable. */
  submitBatch(batch: WriteBatch, count: number): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new CairnError('store_unavailable', 'Cairn is shutting down'));
    if (count === 0) return Promise.resolve({ appended: 0, ids: [] });
    if (this.pending > 0 && this.pending + count > this.maxPendingEvents) {
      return Promise.reject(
        new CairnError(
          'too_many_requests',
          `Ingestion is saturated: ${this.pending} events are waiting to be written (limit ${this.maxPendingEvents}). Retry after a second.`,
          { details: { pending: this.pending, limit: this.maxPendingEvents, retryAfterSeconds: 1 } },
        ),
      );
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ batch, count, resolve, reject });
      this.queuedEvents += count;
      if (!this.running) this.idle = this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group: Waiter[] = [];
        let n = 0;
        while (this.queue.length > 0 && (n === 0 || n + this.queue[0]!.count <= this.maxBatchEvents)) {
          const w = this.queue.shift()!;
          group.push(w);
          n += w.count;
        }
        this.queuedEvents -= n;
        this.inflightEvents = n;
        const started = performance.now();
        try {
          const results = await this.store.appendBatches(group.map((w) => w.batch));
          for (let i = 0; i < group.length; i++) group[i]!.resolve(results[i]!);
          this.opts.onCommit?.({
            events: n,
            requests: group.length,
            durationMs: performance.now() - started,
          });
        } catch (err) {
          this.opts.onError?.(err);
          for (const w of group) w.reject(err);
        } finally {
          this.inflightEvents = 0;
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Waits for everything queued so far to be written, then refuses new work. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running) await this.idle;
  }
}
