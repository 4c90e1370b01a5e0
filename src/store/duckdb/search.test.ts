import { describe, expect, it } from 'vitest';
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
