import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CairnError } from '../model/errors.js';
import type { Event } from '../model/event.js';
import { parseSeqId } from '../store/duckdb/batch-encoder.js';
import { DuckDBStore } from '../store/duckdb/duckdb-store.js';
import type { AppendResult } from '../store/store.js';
import { GroupCommitQueue } from './group-commit.js';

const T0 = Date.UTC(2024, 0, 15, 10) * 1000;
const RANGE = { fromUs: T0 - 3_600_000_000, toUs: T0 + 3_600_000_000 };

function events(tag: string, n: number, opts: { ids?: boolean } = {}): Event[] {
  return Array.from({ length: n }, (_, i) => ({
    timestampUs: T0 + i,
    stream: 'app',
    ...(opts.ids ? { id: `${tag}-${i}` } : {}),
    fields: { message: `${tag} ${i}`, tag },
  }));
}

type Commit = { events: number; requests: number; durationMs: number };

let dir: string;
let store: DuckDBStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-group-commit-'));
  store = await DuckDBStore.open({ dataDir: dir, refreshIntervalMs: 60_000 });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function searchTags(): Promise<Map<string, string>> {
  await store.refresh();
  const res = await store.search({ query: null, range: RANGE, limit: 1000 });
  return new Map(res.hits.map((h) => [h.id, String(h.fields['message'])]));
}

describe('GroupCommitQueue', () => {
  it('returns each request its own ids, in order, and makes the events durable', async () => {
    const queue = new GroupCommitQueue(store);
    const a = await queue.submit(events('a', 3));
    const b = await queue.submit(events('b', 2, { ids: true }));
    const c = await queue.submit(events('c', 1));

    expect(a.appended).toBe(3);
    expect(b).toStrictEqual({ appended: 2, ids: ['b-0', 'b-1'] });
    expect(c.appended).toBe(1);
    const seqs = [...a.ids, ...c.ids].map(parseSeqId);
    expect(seqs.every((s) => s !== null)).toBe(true);
    expect(seqs).toStrictEqual([...seqs].sort((x, y) => x! - y!));
    expect(new Set(seqs).size).toBe(4);

    const stored = await searchTags();
    expect(stored.get(a.ids[0]!)).toBe('a 0');
    expect(stored.get(a.ids[2]!)).toBe('a 2');
    expect(stored.get('b-1')).toBe('b 1');
    expect(stored.get(c.ids[0]!)).toBe('c 0');
    await queue.close();
  });

  it('answers an empty request at once without a commit', async () => {
    const commits: Commit[] = [];
    const queue = new GroupCommitQueue(store, { onCommit: (c) => commits.push(c) });
    expect(await queue.submit([])).toStrictEqual({ appended: 0, ids: [] });
    expect(commits).toStrictEqual([]);
    await queue.close();
  });

  it('groups requests that arrive during a commit into one commit, and splits the ids back', async () => {
    const commits: Commit[] = [];
    const queue = new GroupCommitQueue(store, { onCommit: (c) => commits.push(c) });
    const first = queue.submit(events('first', 2, { ids: true }));
    // These arrive while the first commit is being written.
    const rest = [
      queue.submit(events('r1', 3, { ids: true })),
      queue.submit(events('r2', 1, { ids: true })),
      queue.submit(events('r3', 2, { ids: true })),
    ];
    expect(queue.pending).toBe(8);
    const results = await Promise.all([first, ...rest]);

    expect(results.map((r) => r.ids)).toStrictEqual([
      ['first-0', 'first-1'],
      ['r1-0', 'r1-1', 'r1-2'],
      ['r2-0'],
      ['r3-0', 'r3-1'],
    ]);
    expect(commits.map(({ events, requests }) => ({ events, requests }))).toStrictEqual([
      { events: 2, requests: 1 },
      { events: 6, requests: 3 },
    ]);
    expect(commits.every((c) => c.durationMs >= 0)).toBe(true);
    expect(queue.pending).toBe(0);
    expect((await searchTags()).size).toBe(8);
    await queue.close();
  });

  it('keeps commits within maxBatchEvents, but never splits one request', async () => {
    const commits: Commit[] = [];
    const queue = new GroupCommitQueue(store, { maxBatchEvents: 4, onCommit: (c) => commits.push(c) });
    const all = [
      queue.submit(events('a', 1)),
      queue.submit(events('b', 2)),
      queue.submit(events('c', 2)),
      queue.submit(events('d', 6)),
      queue.submit(events('e', 1)),
    ];
    const results = await Promise.all(all);
    expect(results.map((r) => r.appended)).toStrictEqual([1, 2, 2, 6, 1]);
    expect(commits.map(({ events, requests }) => ({ events, requests }))).toStrictEqual([
      { events: 1, requests: 1 },
      { events: 4, requests: 2 },
      { events: 6, requests: 1 },
      { events: 1, requests: 1 },
    ]);
    await queue.close();
  });

  it('refuses with 429 and retryAfterSeconds when a request would pass maxPendingEvents during a commit', async () => {
    const queue = new GroupCommitQueue(store, { maxPendingEvents: 10 });
    const inFlight = queue.submit(events('a', 6));
    let refused: unknown;
    await queue.submit(events('b', 5)).catch((err) => {
      refused = err;
    });
    expect(refused).toBeInstanceOf(CairnError);
    const err = refused as CairnError;
    expect({ code: err.code, status: err.status, details: err.details }).toStrictEqual({
      code: 'too_many_requests',
      status: 429,
      details: { pending: 6, limit: 10, retryAfterSeconds: 1 },
    });
    expect(err.message).toBe(
      'Ingestion is saturated: 6 events are waiting to be written (limit 10). Retry after a second.',
    );
    // Exactly up to the limit is still accepted.
    const fits = queue.submit(events('c', 4));
    expect((await inFlight).appended).toBe(6);
    expect((await fits).appended).toBe(4);
    const stored = [...(await searchTags()).values()];
    expect(stored.filter((m) => m.startsWith('b '))).toStrictEqual([]);
    expect(stored).toHaveLength(10);
    await queue.close();
  });

  it('accepts a request larger than maxPendingEvents when nothing is pending', async () => {
    const queue = new GroupCommitQueue(store, { maxPendingEvents: 3 });
    expect((await queue.submit(events('big', 5))).appended).toBe(5);
    await queue.close();
  });

  it('close() waits for queued work, then refuses new requests', async () => {
    const queue = new GroupCommitQueue(store);
    const settled: string[] = [];
    const submits = ['a', 'b', 'c'].map((tag) =>
      queue.submit(events(tag, 2)).then((r: AppendResult) => {
        settled.push(tag);
        return r;
      }),
    );
    await queue.close();
    expect(settled).toStrictEqual(['a', 'b', 'c']);
    expect(queue.pending).toBe(0);
    expect((await Promise.all(submits)).map((r) => r.appended)).toStrictEqual([2, 2, 2]);
    expect((await searchTags()).size).toBe(6);

    await expect(queue.submit(events('late', 1))).rejects.toMatchObject({
      code: 'store_unavailable',
      status: 503,
      message: 'Cairn is shutting down',
    });
  });

  it('rejects every request of a failed commit and reports each failure', async () => {
    const errors: unknown[] = [];
    const queue = new GroupCommitQueue(store, { onError: (e) => errors.push(e) });
    await store.close(); // the real store now refuses appends
    const results = await Promise.allSettled([queue.submit(events('a', 1)), queue.submit(events('b', 1))]);
    expect(results.map((r) => r.status)).toStrictEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'store_unavailable' });
    expect(errors).toHaveLength(2);
    expect(queue.pending).toBe(0);
    // Reopen so afterEach has a live store to close.
    store = await DuckDBStore.open({ dataDir: dir, refreshIntervalMs: 60_000 });
  });
});
