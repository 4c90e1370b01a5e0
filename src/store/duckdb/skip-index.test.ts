import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../model/event.js';
import { parseQuery } from '../../query/index.js';
import { DuckDBStore } from './duckdb-store.js';
import { requiredTokens, SkipIndex, textFieldHashes } from './skip-index.js';
import { createSchema } from './stored-state.js';
import { BLOCK_ROWS, HashBuffer, hashPhrase, hashToken, TokenBloom } from './token-bloom.js';

describe('TokenBloom', () => {
  it.each([
    ['Connection refused by 10.0.0.1', ['connection', 'REFUSED', 'by', '10', '0', '1']],
    ['user_id=42;ÉCOLE Straße', ['user_id', '42', 'école', 'straße']],
    ['emoji 🙂 and 𝐀bc', ['emoji', 'and', '𝐀bc']],
  ])('holds every token of %j, case-insensitively', (text, tokens) => {
    const bloom = new TokenBloom(1, 1);
    bloom.addText(text);
    for (const t of tokens) expect(bloom.mayContainAll([hashToken(t)])).toBe(true);
  });

  it('rejects most tokens it never saw', () => {
    const bloom = new TokenBloom(1, 1);
    for (let i = 0; i < 20_000; i++) bloom.addText(`token${i} value${i % 500}`);
    let falsePositives = 0;
    for (let i = 0; i < 10_000; i++) if (bloom.mayContainAll([hashToken(`absent${i}`)])) falsePositives++;
    expect(falsePositives / 10_000).toBeLessThan(0.1);
  });

  it('folds when sealed as far as three hashes would, passing far fewer absent tokens', () => {
    const fill = (hashes: number) => {
      const bloom = new TokenBloom(1, 1, undefined, hashes);
      for (let i = 0; i < 16_384; i++) bloom.addText(`pi_${10_000_000 + i} req ${i % 700}`);
      return { bloom, sealed: bloom.seal() };
    };
    const falsePositives = (bloom: TokenBloom) => {
      let n = 0;
      for (let i = 0; i < 40_000; i++) if (bloom.mayContainAll([hashToken(`pi_${i}`)])) n++;
      return n / 40_000;
    };
    const seven = fill(7);
    const three = fill(3);
    expect(seven.bloom.hashes).toBe(7); // the default
    expect(seven.sealed.hashes).toBe(7);
    expect(seven.sealed.bits.length).toBeLessThan(seven.bloom.bits.length);
    // The same bytes as three hashes…
    expect(seven.sealed.bits.length).toBe(three.sealed.bits.length);
    for (let i = 0; i < 16_384; i += 97) {
      expect(seven.sealed.mayContainAll([hashToken(`pi_${10_000_000 + i}`)])).toBe(true);
    }
    // …for a quarter of the false positives or fewer.
    expect(falsePositives(three.sealed)).toBeGreaterThan(0.001);
    expect(falsePositives(three.sealed)).toBeLessThan(0.02);
    expect(falsePositives(seven.sealed)).toBeLessThan(falsePositives(three.sealed) / 4);
  });

  it('probes a filter with the hash count it was written with', () => {
    const old = new TokenBloom(1, 1, undefined, 3);
    for (let i = 0; i < 2_000; i++) old.addText(`order ${i} shipped`);
    const restored = new TokenBloom(1, 1, old.seal().bits, 3);
    const misread = new TokenBloom(1, 1, old.seal().bits, 7);
    let missed = 0;
    for (let i = 0; i < 2_000; i++) {
      expect(restored.mayContainAll([hashToken(String(i))])).toBe(true);
      if (!misread.mayContainAll([hashToken(String(i))])) missed++;
    }
    expect(missed).toBeGreaterThan(0);
  });
});

describe('persisted filters of earlier versions', () => {
  it('are read as three-hash filters once the schema gains the hash count', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      // The table as versions before the hash count wrote it.
      await conn.run(
        'CREATE TABLE _cairn_blooms (stream VARCHAR NOT NULL, day_us BIGINT NOT NULL, seq_lo BIGINT NOT NULL, seq_hi BIGINT NOT NULL, "rows" INTEGER NOT NULL, bits BLOB NOT NULL)',
      );
      await conn.run("INSERT INTO _cairn_blooms VALUES ('app', 0, 1, 9, 9, '\\x00'::BLOB)");
      await createSchema(conn);
      await createSchema(conn); // idempotent
      const rows = (await conn.runAndReadAll('SELECT hashes FROM _cairn_blooms')).getRowsJS();
      expect(rows).toEqual([[3]]);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});

describe('requiredTokens', () => {
  const count = (q: string) => requiredTokens(parseQuery(q)).length;
  it.each([
    ['payment', 1],
    ['"card declined" AND level:ERROR', 3],
    ['message:"connection refused"', 3],
    ['a AND b AND c', 3],
    ['a OR b', 0],
    ['NOT a', 0],
    ['pay*', 0],
    ['service:payment', 0],
    ['"10.0.0.1"', 7],
  ])('%s → %i required tokens', (q, n) => {
    expect(count(q)).toBe(n);
  });
});

/** Indexes one row of `stream` (default `s`), day 0, whose message is `message`. */
function addMessage(index: SkipIndex, seq: number, message: string, stream = 's'): void {
  const hashes = new HashBuffer();
  textFieldHashes({ message }, hashes);
  index.addRow(stream, 0, seq, hashes.data, 0, hashes.length);
}

describe('SkipIndex.candidateRanges', () => {
  it('keeps only the blocks that may hold all tokens, merged, and scans rows from before the index', () => {
    const index = new SkipIndex();
    index.markGaps([{ stream: 's', dayUs: 0, maxSeq: 100 }]);
    for (let seq = 101; seq <= 100 + BLOCK_ROWS * 3; seq++) {
      const block = Math.floor((seq - 101) / BLOCK_ROWS);
      addMessage(index, seq, block === 1 ? `needle ${seq}` : `hay ${seq % 7}`);
    }
    const ranges = index.candidateRanges([{ stream: 's', dayUs: 0 }], [hashToken('needle')])?.ranges;
    expect(ranges).toEqual([
      [1, 100],
      [101 + BLOCK_ROWS, 100 + 2 * BLOCK_ROWS],
    ]);
    // "hay" is in two blocks of three: still worth pruning the third.
    expect(index.candidateRanges([{ stream: 's', dayUs: 0 }], [hashToken('hay')])?.ranges).toEqual([
      [1, 100 + BLOCK_ROWS],
      [101 + 2 * BLOCK_ROWS, 100 + 3 * BLOCK_ROWS],
    ]);
  });
});

describe('SkipIndex.candidateRanges over several partitions', () => {
  // Three streams interleaved row by row, three blocks each: "needle" is in every block of `all`,
  // in none of `none`, and in the middle block of `one`.
  const index = new SkipIndex();
  const streams = ['all', 'none', 'one'];
  for (let i = 0; i < BLOCK_ROWS * 3 * 3; i++) {
    const stream = streams[i % 3]!;
    const block = Math.floor(Math.floor(i / 3) / BLOCK_ROWS);
    const needle = stream === 'all' || (stream === 'one' && block === 1);
    addMessage(index, i + 1, needle ? `needle ${i}` : `hay ${i % 7}`, stream);
  }
  const part = (stream: string) => ({ stream, dayUs: 0 });
  const seqOf = (stream: string, row: number) => row * 3 + streams.indexOf(stream) + 1;

  it('skips a partition no block of which may match and reads whole one most blocks of which may', () => {
    const c = index.candidateRanges(streams.map(part), [hashToken('needle')]);
    expect(c).not.toBeNull();
    expect(c!.byPartition.has('all\u00000')).toBe(false);
    expect(c!.byPartition.get('none\u00000')).toEqual([]);
    expect(c!.byPartition.get('one\u00000')).toEqual([
      [seqOf('one', BLOCK_ROWS), seqOf('one', 2 * BLOCK_ROWS - 1)],
    ]);
    // Union-wide, `all` stands in with its whole span (which holds `one`'s block).
    expect(c!.ranges).toEqual([[seqOf('all', 0), seqOf('all', 3 * BLOCK_ROWS - 1)]]);
    // Blocks of the partitions read: 3 of `all` and 1 of `one`'s 3 may match.
    expect(c!.share).toBeCloseTo(4 / 6);
  });

  it('does not narrow when every partition would be read whole, and reads none when no block may match', () => {
    expect(index.candidateRanges([part('all')], [hashToken('needle')])).toBeNull();
    expect(
      index.candidateRanges([part('all'), part('none')], [hashToken('needle'), hashToken('hay')]),
    ).toEqual({
      ranges: [],
      byPartition: new Map([
        ['all\u00000', []],
        ['none\u00000', []],
      ]),
      share: 0,
    });
  });
});

describe('SkipIndex.markGaps', () => {
  it('marks only the rows of a partition above its own last block, up to its own highest number', () => {
    const index = new SkipIndex();
    for (let seq = 1; seq <= 10; seq++) addMessage(index, seq, 'hay');
    index.takeUnpersisted(true);
    // Later numbers went to other partitions: this one is fully covered.
    index.markGaps([{ stream: 's', dayUs: 0, maxSeq: 10 }]);
    expect(index.candidateRanges([{ stream: 's', dayUs: 0 }], [hashToken('needle')])?.ranges).toEqual([]);
    // Rows 11..15 were written but their block never persisted (a crash): scanned until re-indexed.
    index.markGaps([{ stream: 's', dayUs: 0, maxSeq: 15 }]);
    expect(index.candidateRanges([{ stream: 's', dayUs: 0 }], [hashToken('needle')])?.ranges).toEqual([
      [11, 15],
    ]);
  });
});

describe('skip index in the DuckDB store', () => {
  it('finds rare tokens exactly, before and after a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-skip-'));
    try {
      const base = Date.parse('2024-06-01T00:00:00Z') * 1000;
      const events: Event[] = Array.from({ length: BLOCK_ROWS * 3 + 100 }, (_, i) => ({
        timestampUs: base + i * 1000,
        stream: 'app',
        fields: { message: i % 20_000 === 7 ? `rare-needle found at ${i}` : `ordinary line ${i % 1000}` },
      }));
      const range = { fromUs: base, toUs: base + 86_400_000_000 };
      const count = async (store: DuckDBStore, q: string) =>
        (await store.search({ query: parseQuery(q), range, limit: 0, totalCap: 1_000_000 })).total.value;
      let store = await DuckDBStore.open({ dataDir });
      for (let i = 0; i < events.length; i += 5000) await store.append(events.slice(i, i + 5000));
      await store.refresh();
      expect(await count(store, 'needle')).toBe(3);
      expect(await count(store, '"rare needle" AND found')).toBe(3);
      expect(await count(store, 'ordinary')).toBe(events.length - 3);
      expect(await count(store, 'absent-token')).toBe(0);
      await store.close();
      store = await DuckDBStore.open({ dataDir });
      // After a clean shutdown every row is covered by a persisted block: an absent token scans nothing.
      const skip = (store as unknown as { skip: SkipIndex }).skip;
      const partitions = [...store.catalog.partitions.values()];
      expect(skip.candidateRanges(partitions, requiredTokens(parseQuery('absent-token')))?.ranges).toEqual(
        [],
      );
      expect(await count(store, 'needle')).toBe(3);
      expect(await count(store, 'line AND 999')).toBe(49);
      await store.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('scans nothing for an absent token after a restart when partitions were written one after another', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-skip-'));
    try {
      const base = Date.parse('2024-06-01T00:00:00Z') * 1000;
      const day = 86_400_000_000;
      const lines = (stream: string, dayUs: number, n: number): Event[] =>
        Array.from({ length: n }, (_, i) => ({
          timestampUs: dayUs + i * 1000,
          stream,
          fields: { message: `${stream} line ${i % 100}` },
        }));
      let store = await DuckDBStore.open({ dataDir });
      // Day one's partitions end long before the last sequence number, which day two's rows took.
      await store.append([...lines('app', base, 3000), ...lines('web', base, 2000)]);
      await store.append(lines('app', base + day, 4000));
      await store.close();
      store = await DuckDBStore.open({ dataDir });
      const skip = (store as unknown as { skip: SkipIndex }).skip;
      const partitions = [...store.catalog.partitions.values()];
      expect(partitions).toHaveLength(3);
      expect(skip.candidateRanges(partitions, requiredTokens(parseQuery('absent-token')))?.ranges).toEqual(
        [],
      );
      const range = { fromUs: base, toUs: base + 2 * day };
      const search = await store.search({
        query: parseQuery('web AND 42'),
        range,
        limit: 0,
        totalCap: 1_000_000,
      });
      expect(search.total.value).toBe(20);
      await store.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('query pruning', () => {
  it('restricts a needle search to candidate blocks, and to nothing for an absent token', async () => {
    const { buildWhere } = await import('./query-source.js');
    const index = new SkipIndex();
    for (let seq = 1; seq <= BLOCK_ROWS * 4; seq++) {
      addMessage(index, seq, seq === BLOCK_ROWS * 2 + 5 ? 'needle' : `hay ${seq % 13}`);
    }
    const source = {
      resolver: { resolve: () => [], names: () => [], defaultFields: () => [] },
      partitions: [{ stream: 's', dayUs: 0, table: 'p_1', columns: new Set(['_seq', 'message']) }] as never,
      skip: index,
    };
    const where = (q: string) =>
      buildWhere({ source, range: { fromUs: 0, toUs: 1 }, query: parseQuery(q), params: [], nowUs: 0 });
    expect(where('needle')).toContain(`e._seq BETWEEN ${BLOCK_ROWS * 2 + 1} AND ${BLOCK_ROWS * 3}`);
    expect(where('needle')).not.toContain('BETWEEN 1 AND');
    expect(where('absent')).toContain('AND FALSE');
    const src = { ...source, from: 'unpruned' };
    buildWhere({
      source: src,
      range: { fromUs: 0, toUs: 1 },
      query: parseQuery('needle'),
      params: [],
      nowUs: 0,
    });
    expect(src.from).toContain(`WHERE _seq BETWEEN ${BLOCK_ROWS * 2 + 1} AND ${BLOCK_ROWS * 3}`);
    expect(where('hay')).not.toContain('_seq BETWEEN');
  });
});

describe('phrase pairs', () => {
  it('tells apart blocks holding the words of a phrase from blocks holding the phrase', () => {
    const words = new TokenBloom(1, 1);
    for (let i = 0; i < 256; i++) words.addText(`from ${i} to ${(i * 7) % 256}`);
    const phrase = new TokenBloom(1, 1);
    phrase.addText('client 108.142.236.231 connected');
    const ip = hashPhrase(['108', '142', '236', '231']);
    expect(phrase.mayContainAll(ip)).toBe(true);
    expect(words.mayContainAll(hashPhrase(['108']))).toBe(true);
    expect(words.mayContainAll(ip)).toBe(false);
  });
});
