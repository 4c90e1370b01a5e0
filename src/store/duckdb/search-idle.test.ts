import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event } from '../../model/event.js';
import { DuckDBStore, groupsToLoad } from './duckdb-store.js';
import type { SealedSegment } from './wal.js';

const T0 = Date.UTC(2024, 0, 15, 10) * 1000;
const RANGE = { fromUs: T0 - 3_600_000_000, toUs: T0 + 3_600_000_000 };

function events(n: number, tag: string): Event[] {
  return Array.from({ length: n }, (_, i) => ({
    timestampUs: T0 + i,
    stream: 'app',
    fields: { message: `${tag} ${i}` },
  }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let store: DuckDBStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-search-idle-'));
  store = await DuckDBStore.open({ dataDir: dir, refreshIntervalMs: 20, searchIdleAfterMs: 300 });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('search-idle loads (Elasticsearch index.search.idle.after)', () => {
  it('stops interval loads while writes come and nobody searches; the next search loads first', async () => {
    await store.close();
    // The interval is long next to the 20 ms between writes, so that a busy test machine stalling
    // this loop for a moment does not read as writes having paused; the loop spans several ticks.
    store = await DuckDBStore.open({ dataDir: dir, refreshIntervalMs: 1000, searchIdleAfterMs: 60_000 });
    let appended = 0;
    const until = performance.now() + 3500;
    while (performance.now() < until) {
      await store.append(events(5, `burst${appended}`));
      appended += 5;
      await sleep(20);
    }
    expect(store.lastCommittedSeq).toBe(0);
    const res = await store.search({ query: null, range: RANGE, limit: 10_000 });
    expect(res.total.value).toBe(appended);
  });

  it('loads what is pending once writes pause, without a search', async () => {
    await store.append(events(4, 'then-quiet'));
    const deadline = Date.now() + 10_000;
    while (store.lastCommittedSeq < 4 && Date.now() < deadline) await sleep(10);
    expect(store.lastCommittedSeq).toBe(4);
  });

  it('loads on the interval again while searches come in', async () => {
    await store.search({ query: null, range: RANGE, limit: 1 }); // no longer idle
    await store.append(events(3, 'busy'));
    const deadline = Date.now() + 10_000;
    while (store.lastCommittedSeq < 3 && Date.now() < deadline) await sleep(10);
    expect(store.lastCommittedSeq).toBe(3);
  });

  it('still loads at refreshRows without searches', async () => {
    await store.close();
    store = await DuckDBStore.open({ dataDir: dir, refreshRows: 10, searchIdleAfterMs: 60_000 });
    await store.append(events(12, 'many'));
    const deadline = Date.now() + 10_000;
    while (store.lastCommittedSeq < 12 && Date.now() < deadline) await sleep(10);
    expect(store.lastCommittedSeq).toBe(12);
  });
});

describe('unloaded backlog (store.maxUnloadedRows)', () => {
  it('refuses appends with 429 while loading is that far behind, and takes them again after a load', async () => {
    await store.close();
    store = await DuckDBStore.open({
      dataDir: dir,
      maxUnloadedRows: 10,
      refreshRows: 1000,
      refreshIntervalMs: 600_000,
    });
    await store.append(events(6, 'a'));
    await store.append(events(6, 'b')); // 6 waiting: under the limit
    expect((await store.stats()).unloadedEvents).toBe(12);
    await expect(store.append(events(1, 'c'))).rejects.toMatchObject({
      code: 'too_many_requests',
      details: { unloaded: 12, limit: 10, retryAfterSeconds: 1 },
    });
    await store.refresh();
    expect((await store.stats()).unloadedEvents).toBe(0);
    await store.append(events(1, 'd'));
    const res = await store.search({ query: null, range: RANGE, limit: 100 });
    expect(res.total.value).toBe(13);
  });
});

describe('load size', () => {
  it('seals rows that arrive during a load into loads of their own instead of one growing load', async () => {
    await store.close();
    const loads: number[] = [];
    store = await DuckDBStore.open({
      dataDir: dir,
      refreshRows: 10,
      refreshIntervalMs: 60_000,
      searchIdleAfterMs: 60_000,
      onRefresh: (info) => loads.push(info.rows),
    });
    // The first append starts a load; the others queue behind it on the write lock meanwhile.
    await Promise.all(Array.from({ length: 11 }, (_, i) => store.append(events(12, `wave${i}`))));
    await store.refresh();
    expect(store.lastCommittedSeq).toBe(132);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(132);
    // A group holds what was pending when it was sealed: here at most two appends (24 rows).
    expect(Math.max(...loads)).toBeLessThanOrEqual(24);
    expect(loads.length).toBeGreaterThanOrEqual(5);
    const res = await store.search({ query: null, range: RANGE, limit: 1000 });
    expect(res.total.value).toBe(132);
  });

  it('takes sealed groups in order, at least one, while they fit', () => {
    const group = (...rows: number[]) => rows.map((n) => ({ rows: n }) as SealedSegment);
    const groups = [group(5, 5), group(8), group(30), group(1)];
    expect(groupsToLoad(groups, 4, 20)).toBe(2);
    expect(groupsToLoad(groups, 1, 20)).toBe(1);
    expect(groupsToLoad(groups.slice(2), 2, 20)).toBe(1);
    expect(groupsToLoad(groups, 4, 100)).toBe(4);
  });
});
