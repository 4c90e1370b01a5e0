import { describe, expect, it } from 'vitest';
import { compareUtf8 } from './count-aggregations.js';
import { MinuteCounts } from './minute-counts.js';

const MIN = 60_000_000;

function collect(counts: MinuteCounts, table: string, field: string, lo: number, hi: number) {
  const values = counts.values(field);
  const out: [number, string | null, number][] = [];
  const c = counts.columns(table, field);
  for (let i = 0; i < (c?.length ?? 0); i++) {
    const m = c!.minutes[i]! * MIN;
    if (m >= lo && m < hi) out.push([m, values[c!.ids[i]!]!, c!.n[i]!]);
  }
  return out;
}

describe('MinuteCounts', () => {
  it('holds the rows of each partition and field as columns, minutes before 1970 included', () => {
    const counts = new MinuteCounts(1_000);
    for (let m = 0; m < 100; m++) counts.add('p_1', 'level', m * MIN, m % 2 ? 'ERROR' : null, m + 1);
    counts.add('p_2', 'level', 5 * MIN, 'INFO', 7);
    expect(counts.rows).toBe(101);
    expect(collect(counts, 'p_1', 'level', 10 * MIN, 13 * MIN)).toEqual([
      [10 * MIN, null, 11],
      [11 * MIN, 'ERROR', 12],
      [12 * MIN, null, 13],
    ]);
    expect(collect(counts, 'p_2', 'level', 0, 100 * MIN)).toEqual([[5 * MIN, 'INFO', 7]]);
    expect(collect(counts, 'p_1', 'service', 0, 100 * MIN)).toEqual([]);
    // Minutes before 1970 too.
    counts.add('p_0', 'level', -3 * MIN, 'WARN', 1);
    expect(collect(counts, 'p_0', 'level', -3 * MIN, -2 * MIN)).toEqual([[-3 * MIN, 'WARN', 1]]);
  });

  it('leaves out the oldest partition field when memory is full, until it is counted afresh', () => {
    const counts = new MinuteCounts(10);
    for (let m = 0; m < 6; m++) counts.add('p_1', '*', m * MIN, null, 1);
    for (let m = 0; m < 6; m++) counts.add('p_1', 'host', m * MIN, `h${m}`, 1);
    expect(counts.holds('p_1', '*')).toBe(true);
    expect(counts.holds('p_1', 'host')).toBe(false);
    expect(counts.holds('p_2', 'host')).toBe(true); // nothing counted: nothing missing
    expect(collect(counts, 'p_1', 'host', 0, 10 * MIN)).toEqual([]);
    expect(counts.rows).toBe(6);
    counts.add('p_1', 'host', 9 * MIN, 'late', 1); // still left out
    expect(counts.holds('p_1', 'host')).toBe(false);
    counts.drop('p_1', 'host');
    counts.add('p_1', 'host', 9 * MIN, 'again', 1);
    expect(counts.holds('p_1', 'host')).toBe(true);
    expect(counts.rows).toBe(7);
    counts.dropAllBut('p_1', new Set(['host']));
    expect(counts.rows).toBe(1);
    expect(collect(counts, 'p_1', '*', 0, 10 * MIN)).toEqual([]);
  });
});

describe('MinuteCounts when memory is full', () => {
  it('keeps the most recent counts, leaving out older partitions, and older ones that come later', () => {
    const counts = new MinuteCounts(10);
    for (let m = 0; m < 6; m++) counts.add('p_old', 'level', m * MIN, 'INFO', 1);
    for (let m = 1000; m < 1006; m++) counts.add('p_new', 'level', m * MIN, 'INFO', 1);
    expect(counts.holds('p_old', 'level')).toBe(false);
    expect(counts.holds('p_new', 'level')).toBe(true);
    expect(counts.rows).toBe(6);
    expect(counts.leftOut).toBe(1);
    // Older than what is held: left out, and what is held stays.
    for (let m = 500; m < 505; m++) counts.add('p_mid', 'level', m * MIN, 'INFO', 1);
    expect(counts.holds('p_mid', 'level')).toBe(false);
    expect(counts.rows).toBe(6);
    // Newer: fits beside p_new while there is room, then p_new gives way.
    for (let m = 2000; m < 2004; m++) counts.add('p_newer', 'level', m * MIN, 'WARN', 1);
    expect(counts.holds('p_new', 'level')).toBe(true);
    expect(counts.rows).toBe(10);
    counts.add('p_newer', 'level', 2004 * MIN, 'WARN', 1);
    expect(counts.holds('p_new', 'level')).toBe(false);
    expect(counts.holds('p_newer', 'level')).toBe(true);
    expect(counts.rows).toBe(5);
    expect(counts.leftOut).toBe(3);
  });

  it('holds nothing with no room at all', () => {
    const counts = new MinuteCounts(0);
    counts.add('p_1', '*', 0, null, 1);
    expect(counts.holds('p_1', '*')).toBe(false);
    expect(counts.rows).toBe(0);
  });
});

describe('compareUtf8', () => {
  it('orders strings by code point, as DuckDB orders VARCHARs', () => {
    const words = ['b', 'a', '', 'ab', 'é', '\uffff', '😀', 'z', '\ue000', 'A'];
    const byCodePoint = [...words].sort((x, y) => {
      const a = [...x].map((c) => c.codePointAt(0)!);
      const b = [...y].map((c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return a.length - b.length;
    });
    expect([...words].sort(compareUtf8)).toEqual(byCodePoint);
    // UTF-16 order would put the emoji (a surrogate pair) before U+E000 and U+FFFF.
    expect(byCodePoint.slice(-3)).toEqual(['\ue000', '\uffff', '😀']);
  });
});
