import { describe, expect, it } from 'vitest';
import { withTempStore } from '../../../test/support/temp-store.js';
import type { Event } from '../../model/event.js';
import { parseQuery } from '../../query/index.js';
import type { AggregationResult } from '../store.js';

const MIN = 60_000_000;

describe('filtered aggregation trees', () => {
  it('answer from the matches read once as from the rows: terms, histograms, metrics, lists, overflow', async () => {
    // 9 base columns and 5 of these fill the 14 allowed: `note`, first seen later, goes to the overflow.
    await withTempStore('cairn-aggs-', { maxColumns: 14 }, async (store) => {
      const t0 = Date.UTC(2025, 5, 1, 12) * 1000;
      const events: Event[] = [];
      for (let i = 0; i < 600; i++) {
        events.push({
          timestampUs: t0 + i * 6_000_000,
          stream: i % 2 ? 'a' : 'b',
          fields: {
            message: `request ${i}`,
            status: [200, 200, 404, 500, 503][i % 5]!,
            path: `/p${i % 4}`,
            duration_ms: i % 97,
            tags: i % 3 ? ['x', `t${i % 2}`] : ['y'],
            seen: new Date((t0 + (i % 7) * MIN) / 1000).toISOString(),
          },
        });
      }
      for (let i = 3; i < 600; i += 10) events[i]!.fields['note'] = `n${i % 30}`;
      await store.append(events);
      await store.refresh();
      const range = { fromUs: t0, toUs: t0 + 3_600_000_000 };
      const matching = events.filter((e) => (e.fields['status'] as number) >= 500);
      const res = await store.aggregate({
        query: parseQuery('status:>=500'),
        range,
        aggs: {
          paths: {
            kind: 'terms',
            field: 'path',
            size: 2,
            aggs: {
              t: {
                kind: 'date_histogram',
                interval: '10m',
                aggs: { d: { kind: 'stats', field: 'duration_ms' } },
              },
              seen: { kind: 'date_histogram', field: 'seen', interval: '1m' },
            },
          },
          tags: {
            kind: 'terms',
            field: 'tags',
            size: 5,
            aggs: { paths: { kind: 'cardinality', field: 'path' } },
          },
          notes: { kind: 'terms', field: 'note', size: 3 },
        },
      });
      expect(res.total).toBe(matching.length);
      const count = (pred: (e: Event) => boolean) => matching.filter(pred).length;
      const paths = res.aggs['paths'] as Extract<AggregationResult, { kind: 'terms' }>;
      const byPath = ['/p0', '/p1', '/p2', '/p3']
        .map((p) => ({ key: p, count: count((e) => e.fields['path'] === p) }))
        .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
      expect(paths.buckets.map((b) => ({ key: b.key, count: b.count }))).toStrictEqual(byPath.slice(0, 2));
      expect(paths.otherCount).toBe(byPath[2]!.count + byPath[3]!.count);
      for (const bucket of paths.buckets) {
        const inPath = matching.filter((e) => e.fields['path'] === bucket.key);
        const t = bucket.aggs?.['t'] as Extract<AggregationResult, { kind: 'date_histogram' }>;
        expect(t.buckets).toHaveLength(6);
        for (const b of t.buckets) {
          const rows = inPath.filter((e) => e.timestampUs >= b.keyUs && e.timestampUs < b.keyUs + 10 * MIN);
          expect(b.count).toBe(rows.length);
          const d = rows.map((e) => e.fields['duration_ms'] as number);
          expect(b.aggs?.['d']).toMatchObject({ count: d.length, sum: d.reduce((x, y) => x + y, 0) });
        }
        const seen = bucket.aggs?.['seen'] as Extract<AggregationResult, { kind: 'date_histogram' }>;
        expect(seen.buckets.reduce((n, b) => n + b.count, 0)).toBe(inPath.length);
      }
      const tags = res.aggs['tags'] as Extract<AggregationResult, { kind: 'terms' }>;
      const tagCounts = new Map<string, number>();
      for (const e of matching)
        for (const t of e.fields['tags'] as string[]) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
      expect(new Map(tags.buckets.map((b) => [b.key, b.count]))).toStrictEqual(tagCounts);
      for (const b of tags.buckets) {
        const paths = new Set(
          matching
            .filter((e) => (e.fields['tags'] as string[]).includes(String(b.key)))
            .map((e) => e.fields['path']),
        );
        expect(b.aggs?.['paths'], String(b.key)).toStrictEqual({ kind: 'cardinality', value: paths.size });
      }
      expect(tags.buckets).toHaveLength(4);
      const notes = res.aggs['notes'] as Extract<AggregationResult, { kind: 'terms' }>;
      const noted = matching.filter((e) => e.fields['note'] !== undefined);
      expect(notes.buckets.reduce((n, b) => n + b.count, 0) + notes.otherCount).toBe(noted.length);
      expect(noted.length).toBeGreaterThan(0);
      // Without a query nothing is copied: the rows themselves answer.
      const all = await store.aggregate({
        query: null,
        range,
        aggs: {
          paths: {
            kind: 'terms',
            field: 'path',
            size: 4,
            aggs: { t: { kind: 'date_histogram', interval: '1h' } },
          },
        },
      });
      expect(all.total).toBe(600);
      const allPaths = all.aggs['paths'] as Extract<AggregationResult, { kind: 'terms' }>;
      expect(allPaths.buckets.map((b) => [b.key, b.count])).toStrictEqual([
        ['/p0', 150],
        ['/p1', 150],
        ['/p2', 150],
        ['/p3', 150],
      ]);
    });
  });
});
