import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBStore } from './duckdb-store.js';

describe('field list', () => {
  it('counts presence over the whole range and top values over the newest 10,000 events', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-fields-'));
    const store = await DuckDBStore.open({ dataDir: dir, refreshIntervalMs: 60_000 });
    try {
      const t0 = Date.UTC(2025, 5, 1, 0) * 1000;
      // 12,000 events, one every 10 s over two days (two partitions), sent newest first so that
      // arrival order is not time order: the 2,000 oldest are from service "old".
      const events = [];
      for (let i = 11_999; i >= 0; i--) {
        events.push({
          timestampUs: t0 + i * 10_000_000,
          stream: 'app',
          fields: {
            message: `event ${i}`,
            service: i < 2000 ? 'old' : `new-${i % 2}`,
            ...(i % 3 === 0 ? { n: i } : {}),
          },
        });
      }
      await store.append(events);
      await store.refresh();
      const res = await store.fields({ range: { fromUs: t0, toUs: t0 + 2 * 86_400_000_000 }, topValues: 3 });
      const byName = new Map(res.fields.map((f) => [f.name, f]));
      expect(res.sampleSize).toBe(10_000);
      expect(byName.get('service')).toMatchObject({
        count: 12_000,
        topValues: [
          { value: 'new-0', count: 5000 },
          { value: 'new-1', count: 5000 },
        ],
      });
      expect(byName.get('n')).toMatchObject({ type: 'number', count: 4000 });
      expect(byName.get('message')!.topValues).toHaveLength(3);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
