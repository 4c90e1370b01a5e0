import { describe, expect, it } from 'vitest';
import { withTempStore } from '../../../test/support/temp-store.js';
import { parseQuery } from '../../query/index.js';
import { INDEX_LOOKUP_MAX, pageOfMatches, seqLookups } from './search.js';

describe('seqLookups', () => {
  it('looks scattered rows up by one sorted IN list, a lone row by equality, with no range next to it', () => {
    expect(seqLookups([5])).toStrictEqual(['e._seq = 5']);
    expect(seqLookups([900_000, 10, 12, 30_000])).toStrictEqual(['e._seq IN (10, 12, 30000, 900000)']);
  });

  it('keeps each list within what DuckDB looks up through an index', () => {
    const seqs = Array.from({ length: INDEX_LOOKUP_MAX + 1 }, (_, i) => (INDEX_LOOKUP_MAX + 1 - i) * 10_000);
    const clauses = seqLookups(seqs);
    expect(clauses).toHaveLength(2);
    expect(clauses[0]).toBe(`e._seq IN (${seqs.slice(1).reverse().join(', ')})`);
    expect(clauses[1]).toBe(`e._seq = ${(INDEX_LOOKUP_MAX + 1) * 10_000}`);
  });

  it('reads a run of hits sharing vectors as one range, and the hits around it by the index', () => {
    // 40 hits 100 apart share 3 vectors; the two far hits and a sparse pair go to the index.
    const dense = Array.from({ length: 40 }, (_, i) => 1_000_000 + i * 100);
    const clauses = seqLookups([5, ...dense, 50_000, 57_000, 9_000_000]);
    expect(clauses).toStrictEqual([
      `e._seq BETWEEN 1000000 AND 1003900 AND list_contains([${dense.join(', ')}], e._seq)`,
      'e._seq IN (5, 50000, 57000, 9000000)',
    ]);
  });

  it('looks a run up by the index when its hits lie in different vectors', () => {
    const sparse = Array.from({ length: 40 }, (_, i) => i * 4096);
    expect(seqLookups(sparse)).toStrictEqual([`e._seq IN (${sparse.join(', ')})`]);
  });
});

describe('pageOfMatches', () => {
  const matches = [
    { t: 30, s: 3, p: 0 },
    { t: 10, s: 1, p: 1 },
    { t: 20, s: 5, p: 0 },
    { t: 20, s: 2, p: 1 },
    { t: 40, s: 4, p: 2 },
  ];
  const seqs = (rows: Record<string, unknown>[]) => rows.map((r) => r['s']);

  it('orders by time, then sequence number', () => {
    expect(seqs(pageOfMatches(matches, null, 'DESC', 10))).toStrictEqual([4, 3, 5, 2, 1]);
    expect(seqs(pageOfMatches(matches, null, 'ASC', 3))).toStrictEqual([1, 2, 5]);
  });

  it('keeps the partition each match came from', () => {
    expect(pageOfMatches(matches, null, 'ASC', 2)).toStrictEqual([
      { s: 1, p: 1 },
      { s: 2, p: 1 },
    ]);
  });

  it('starts after the cursor, breaking time ties by sequence number', () => {
    expect(seqs(pageOfMatches(matches, { m: 9, t: 20, s: 5 }, 'DESC', 10))).toStrictEqual([2, 1]);
    expect(seqs(pageOfMatches(matches, { m: 9, t: 20, s: 2 }, 'ASC', 10))).toStrictEqual([5, 3, 4]);
  });
});

describe('time-sorted searches over many matches', () => {
  // 24,000 events in a burst over 4 minutes, then 60 spread over the 23 hours before, in two streams.
  const t0 = Date.UTC(2025, 5, 1, 0) * 1000;
  const burstUs = t0 + 23 * 3_600_000_000;
  const events = () => {
    const out = [];
    for (let i = 0; i < 60; i++)
      out.push({
        timestampUs: t0 + i * 1_380_000_000,
        stream: i % 2 ? 'a' : 'b',
        fields: { message: `early ${i}`, level: 'WARN' },
      });
    for (let i = 0; i < 24_000; i++)
      out.push({
        timestampUs: burstUs + i * 10_000,
        stream: i % 2 ? 'a' : 'b',
        fields: { message: `burst ${i}`, level: i % 4 === 0 ? 'WARN' : 'INFO' },
      });
    return out;
  };

  it('count exact totals past the matches they read, and page through every event by cursor', async () => {
    await withTempStore('cairn-pages-', {}, async (store) => {
      await store.append(events());
      await store.refresh();
      const range = { fromUs: t0, toUs: t0 + 86_400_000_000 };
      const search = (q: string | null, extra: { limit?: number; totalCap?: number; cursor?: string } = {}) =>
        store.search({ query: q === null ? null : parseQuery(q), range, limit: extra.limit ?? 10, ...extra });
      expect((await search(null)).total).toStrictEqual({ value: 10_000, relation: 'gte' });
      expect((await search(null, { totalCap: 1_000_000 })).total).toStrictEqual({
        value: 24_060,
        relation: 'eq',
      });
      expect((await search('*', { totalCap: 24_060 })).total).toStrictEqual({
        value: 24_060,
        relation: 'eq',
      });
      const warn = await search('level:WARN', { totalCap: 1_000_000 });
      expect(warn.total).toStrictEqual({ value: 6_060, relation: 'eq' });
      const info = await search('level:INFO', { totalCap: 1_000_000 });
      expect(info.total).toStrictEqual({ value: 18_000, relation: 'eq' });
      expect(info.hits.map((h) => h.fields['message'])).toStrictEqual(
        [23_999, 23_998, 23_997, 23_995, 23_994, 23_993, 23_991, 23_990, 23_989, 23_987].map(
          (i) => `burst ${i}`,
        ),
      );
      expect((await search('level:INFO', { totalCap: 15_000 })).total).toStrictEqual({
        value: 15_000,
        relation: 'gte',
      });
      // A range that runs far past the data (or starts far before it) still pages from its end.
      const wide = { fromUs: t0 - 10 * 86_400_000_000, toUs: t0 + 30 * 86_400_000_000 };
      const newest = await store.search({ query: null, range: wide, limit: 3 });
      expect(newest.hits.map((h) => h.fields['message'])).toStrictEqual([
        'burst 23999',
        'burst 23998',
        'burst 23997',
      ]);
      const oldest = await store.search({
        query: parseQuery('level:INFO'),
        range: wide,
        limit: 2,
        sort: [{ field: '@timestamp', order: 'asc' }],
      });
      expect(oldest.hits.map((h) => h.fields['message'])).toStrictEqual(['burst 1', 'burst 2']);
      // Every event, newest first, by cursor: the burst and then the sparse hours before it, with
      // the default total and with exact totals (which count and page inside DuckDB).
      const cases: [string | null, number | undefined, number][] = [
        [null, undefined, 24_060],
        ['level:WARN', undefined, 6_060],
        ['level:WARN', 1_000_000, 6_060],
        ['level:INFO', 1_000_000, 18_000],
      ];
      for (const [q, totalCap, want] of cases) {
        const seen: number[] = [];
        let cursor: string | undefined;
        for (;;) {
          const page = await search(q, {
            limit: 1000,
            ...(totalCap ? { totalCap } : {}),
            ...(cursor ? { cursor } : {}),
          });
          if (totalCap) expect(page.total).toStrictEqual({ value: want, relation: 'eq' });
          seen.push(...page.hits.map((h) => h.timestampUs));
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        expect(seen, `${q} ${totalCap}`).toHaveLength(want);
        expect(seen.every((t, i) => i === 0 || t < seen[i - 1]!)).toBe(true);
        expect(seen.at(-1)).toBe(q === 'level:INFO' ? burstUs + 10_000 : t0);
      }
    });
  }, 60_000);
});
