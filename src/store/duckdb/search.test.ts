import { describe, expect, it } from 'vitest';
import { pageOfMatches, seqClusters } from './search.js';

describe('seqClusters', () => {
  it('looks up a lone row by equality and nearby rows by one range', () => {
    expect(seqClusters([5])).toStrictEqual(['e._seq = 5']);
    expect(seqClusters([900_000, 10, 12, 30_000])).toStrictEqual([
      'e._seq BETWEEN 10 AND 30000 AND e._seq IN (10, 12, 30000)',
      'e._seq = 900000',
    ]);
  });

  it('splits rows further apart than a cluster gap (32,768)', () => {
    expect(seqClusters([1, 40_000, 80_000])).toStrictEqual([
      'e._seq = 1',
      'e._seq = 40000',
      'e._seq = 80000',
    ]);
    expect(seqClusters([1, 32_769, 65_537])).toStrictEqual([
      'e._seq BETWEEN 1 AND 65537 AND e._seq IN (1, 32769, 65537)',
    ]);
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
