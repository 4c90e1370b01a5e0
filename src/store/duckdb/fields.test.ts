import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { withStore, withTempDir, withTempStore } from '../../../test/support/temp-store.js';
import type { Event } from '../../model/event.js';
import type { DuckDBStore } from './duckdb-store.js';

describe('field list', () => {
  it('counts presence over the whole range and top values over the newest 10,000 events', async () => {
    await withTempStore('cairn-fields-', {}, async (store) => {
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
    });
  });
});

describe('presence counts', () => {
  it('add the rolled-up minutes to the rows they leave out, exactly, before and after a restart', async () => {
    await withTempDir('cairn-presence-', async (dir) => {
      const t0 = Date.UTC(2025, 5, 1, 22) * 1000;
      // Two streams over a UTC midnight (four partitions), one event every 1.7 s; `late` appears
      // only after the first roll-ups, `sparse` on every seventh event.
      const sent: Event[] = [];
      const batch = (from: number, to: number) => {
        const out: Event[] = [];
        for (let i = from; i < to; i++)
          out.push({
            timestampUs: t0 + i * 1_700_000,
            stream: i % 3 === 0 ? 'b' : 'a',
            fields: {
              message: `event ${i}`,
              ...(i % 7 === 0 ? { sparse: i } : {}),
              ...(i >= 2500 && i % 2 === 0 ? { late: 'x' } : {}),
            },
          });
        sent.push(...out);
        return out;
      };
      const expected = (fromUs: number, toUs: number, name: string) =>
        sent.filter((e) => e.timestampUs >= fromUs && e.timestampUs < toUs && name in e.fields).length;
      const ranges: [number, number][] = [
        [t0, t0 + 4 * 3_600_000_000],
        [t0 + 123_456_789, t0 + 5_432_100_000],
        [t0 + 3_500_000_000, t0 + 3_700_000_001],
        [t0 + 7_000_000, t0 + 40_000_000],
      ];
      const check = async (store: DuckDBStore) => {
        for (const [fromUs, toUs] of ranges) {
          const res = await store.fields({ range: { fromUs, toUs }, topValues: 0 });
          const byName = new Map(res.fields.map((f) => [f.name, f.count]));
          for (const name of ['message', 'sparse', 'late'])
            expect(byName.get(name) ?? 0, `${name} in [${fromUs}, ${toUs})`).toBe(
              expected(fromUs, toUs, name),
            );
        }
      };
      await withStore(dir, { rollupBatchRows: 500 }, async (store) => {
        for (const [from, to] of [
          [0, 2000],
          [2000, 4000],
          [4000, 4300],
        ] as const) {
          await store.append(batch(from, to));
          await store.refresh();
        }
        // Some rows of each partition are rolled up, the newest are not.
        await check(store);
        await store.flush();
        await check(store);
      });
      // A data directory from before presence counts: its partitions are counted from their rows,
      // and their presence counts are made while the store is idle.
      const marks = async (sql: string) => {
        const db = await DuckDBInstance.create(join(dir, 'cairn.duckdb'));
        const conn = await db.connect();
        const reader = await conn.runAndReadAll(sql);
        conn.closeSync();
        db.closeSync();
        return reader.getRows();
      };
      await marks('DELETE FROM _cairn_presence; DELETE FROM _cairn_presence_marks');
      await withStore(dir, { refreshIntervalMs: 20, rollupBatchRows: 500 }, async (store) => {
        await check(store);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await check(store);
      });
      expect(await marks('SELECT count(*)::INTEGER FROM _cairn_presence_marks')).toStrictEqual([[4]]);
      await withStore(dir, { rollupBatchRows: 500 }, check);
    });
  }, 60_000);
});
