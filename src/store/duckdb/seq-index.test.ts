import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event } from '../../model/event.js';
import { parseQuery } from '../../query/index.js';
import { DuckDBStore } from './duckdb-store.js';
import { seqLookups } from './search.js';

const BASE_US = Date.parse('2024-06-01T00:00:00Z') * 1000;
const DAY_US = 86_400_000_000;

/** 3,000 events over two streams and two days: four partitions. */
function events(): Event[] {
  return Array.from({ length: 3000 }, (_, i) => ({
    timestampUs: BASE_US + (i % 2) * DAY_US + i * 1000,
    stream: i % 3 === 0 ? 'access' : 'app',
    fields: { message: `line ${i}${i % 500 === 7 ? ' needle' : ''}`, n: i },
  }));
}

/** Index name → table of the database in `dataDir`, read with the store closed. */
async function seqIndexes(dataDir: string, drop = false): Promise<Map<string, string>> {
  const db = await DuckDBInstance.create(join(dataDir, 'cairn.duckdb'));
  const conn = await db.connect();
  try {
    const rows = (
      await conn.runAndReadAll('SELECT index_name, table_name, sql FROM duckdb_indexes()')
    ).getRows();
    const out = new Map(
      rows.filter((r) => String(r[2]).includes('(_seq)')).map((r) => [String(r[0]), String(r[1])]),
    );
    if (drop) for (const name of out.keys()) await conn.run(`DROP INDEX "${name}"`);
    return out;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('the _seq index of each partition', () => {
  let dataDir: string;
  const range = { fromUs: BASE_US, toUs: BASE_US + 3 * DAY_US };
  const needles = async (store: DuckDBStore) =>
    (await store.search({ query: parseQuery('needle'), range, limit: 100, totalCap: 1_000_000 })).hits.map(
      (h) => h.fields['n'],
    );

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-seq-index-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is created with every partition table, and whole hits are fetched through it', async () => {
    const store = await DuckDBStore.open({ dataDir });
    await store.append(events());
    await store.refresh();
    const tables = [...store.catalog.partitions.values()].map((p) => p.table).sort();
    expect(tables).toHaveLength(4);
    const found = await needles(store);
    const newest = (
      await store.search({ query: parseQuery('line'), range, limit: 100, totalCap: 1_000_000 })
    ).hits.map((h) => h.fields['n']);
    await store.close();
    expect(found).toStrictEqual([2507, 2007, 1507, 1007, 507, 7]);
    // The newest 100 lie close together in two partitions: each is read by one range scan.
    expect(newest).toStrictEqual(Array.from({ length: 100 }, (_, i) => 2999 - 2 * i));
    const indexes = await seqIndexes(dataDir);
    expect([...indexes.values()].sort()).toStrictEqual(tables);
    for (const [name, table] of indexes) expect(name).toBe(`${table}_seq`);
  });

  it('is added at start-up to partitions written before it existed', async () => {
    let store = await DuckDBStore.open({ dataDir });
    await store.append(events());
    await store.refresh();
    const before = await needles(store);
    await store.close();
    expect((await seqIndexes(dataDir, true)).size).toBe(4);
    expect((await seqIndexes(dataDir)).size).toBe(0);

    store = await DuckDBStore.open({ dataDir });
    expect(await needles(store)).toStrictEqual(before);
    await store.close();
    expect((await seqIndexes(dataDir)).size).toBe(4);
  });

  it('serves the lookups the fetch writes for scattered hits: DuckDB reads the rows through it, not by a scan', async () => {
    const store = await DuckDBStore.open({ dataDir });
    await store.append(events());
    await store.refresh();
    const table = [...store.catalog.partitions.values()][0]!.table;
    await store.close();
    const db = await DuckDBInstance.create(join(dataDir, 'cairn.duckdb'));
    const conn = await db.connect();
    try {
      const seqs = (
        await conn.runAndReadAll(`SELECT _seq FROM "${table}" WHERE _seq % 300 = 0 ORDER BY _seq LIMIT 3`)
      )
        .getRows()
        .map((r) => Number(r[0]));
      const plan = async (where: string) =>
        (await conn.runAndReadAll(`EXPLAIN ANALYZE SELECT * FROM "${table}" AS e WHERE ${where}`))
          .getRows()
          .map((r) => String(r[1]))
          .join('\n');
      for (const lookup of [seqLookups(seqs.slice(0, 1)), seqLookups(seqs)]) {
        expect(lookup).toHaveLength(1);
        expect(await plan(lookup[0]!)).toContain('Index Scan');
      }
      // A run sharing vectors is scanned: looking each row up would decompress its vector again.
      const run = (await conn.runAndReadAll(`SELECT _seq FROM "${table}" ORDER BY _seq LIMIT 40`))
        .getRows()
        .map((r) => Number(r[0]));
      const [range] = seqLookups(run);
      expect(range).toContain('BETWEEN');
      expect(await plan(range!)).toContain('Sequential Scan');
      const rows = (await conn.runAndReadAll(`SELECT _seq FROM "${table}" AS e WHERE ${range}`)).getRows();
      expect(rows.map((r) => Number(r[0])).sort((a, b) => a - b)).toStrictEqual(run);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
