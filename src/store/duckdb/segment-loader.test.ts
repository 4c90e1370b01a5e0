import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBStore } from './duckdb-store.js';
import { readerObjectSize } from './segment-loader.js';

describe('readerObjectSize', () => {
  it.each([
    [0, 1 << 20],
    [700, 1 << 20],
    [(1 << 20) - 1, 1 << 20],
    [1 << 20, 1 << 21],
    [5_000_000, 1 << 23],
    [2 ** 31, 1 << 30],
  ])('sizes DuckDB reader buffers for lines of %i bytes to %i', (longest, size) => {
    expect(readerObjectSize(longest)).toBe(size);
  });
});

describe('loading rows larger than the smallest reader buffer', () => {
  it('stores and finds an event of 3 MB next to small ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-loader-'));
    const store = await DuckDBStore.open({ dataDir: dir });
    try {
      const t = Date.UTC(2024, 0, 15, 10) * 1000;
      const big: Record<string, string> = { message: 'the big one' };
      for (let i = 0; i < 100; i++) big[`part${i}`] = String(i % 10).repeat(30_000);
      await store.append([
        { timestampUs: t, stream: 'app', fields: { message: 'small' } },
        { timestampUs: t + 1, stream: 'app', fields: big },
      ]);
      await store.refresh();
      const res = await store.search({
        query: null,
        range: { fromUs: t - 1, toUs: t + 10 },
        limit: 10,
      });
      expect(res.total.value).toBe(2);
      const hit = res.hits.find((h) => h.fields['message'] === 'the big one')!;
      expect(hit.fields['part99']).toBe('9'.repeat(30_000));
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
