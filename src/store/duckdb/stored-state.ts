import type { DuckDBConnection } from '@duckdb/node-api';
import { BASE_COLUMNS, type Catalog, type ColumnDef, quoteIdent } from './catalog.js';
import { queryRows } from './connection.js';
import { ROLLUP_SCHEMA } from './rollup.js';
import { SkipIndex } from './skip-index.js';
import { TokenBloom } from './token-bloom.js';
import type { SealedSegment } from './wal.js';

/** What the store knows about itself, read back from its bookkeeping tables at start-up. */
export interface StoredState {
  /** Field names kept only in the overflow column. */
  overflow: Set<string>;
  /** Fields and overflow names already in `_cairn_fields`. */
  persistedFields: Set<string>;
  persistedOverflow: Set<string>;
  /** The highest `_seq` loaded. */
  committedSeq: number;
  /** The highest `_seq` loaded per partition (`stream\0dayUs`), for the skip index's gaps. */
  partitionMaxSeq: Map<string, number>;
}

/** Creates the bookkeeping tables when missing. */
export async function createSchema(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS _cairn_fields (name VARCHAR PRIMARY KEY, type VARCHAR NOT NULL, list BOOLEAN NOT NULL, overflow BOOLEAN NOT NULL DEFAULT false);
      CREATE TABLE IF NOT EXISTS _cairn_partitions ("table" VARCHAR PRIMARY KEY, stream VARCHAR NOT NULL, day_us BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS _cairn_meta (key VARCHAR PRIMARY KEY, value BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS _cairn_blooms (stream VARCHAR NOT NULL, day_us BIGINT NOT NULL, seq_lo BIGINT NOT NULL, seq_hi BIGINT NOT NULL, "rows" INTEGER NOT NULL, bits BLOB NOT NULL);
      ${ROLLUP_SCHEMA}`);
  // Filters written before the hash count was kept used three hashes.
  await conn.run('ALTER TABLE _cairn_blooms ADD COLUMN IF NOT EXISTS hashes INTEGER DEFAULT 3');
}

/**
 * The index that finds a partition's row by `_seq`. A page of hits is fetched by its sequence
 * numbers; without it DuckDB finds each one by scanning its row group and decompressing a vector of
 * every column (1–7 ms a hit), with it DuckDB reads just the row (20 hits scattered over a 525,000-row
 * partition: 7 ms against 48–50 ms). It costs about 8 bytes a row on disk. Tables with an index
 * cannot drop, rename or retype columns in DuckDB; partitions only ever gain columns.
 */
export function seqIndexSql(table: string): string {
  return `CREATE INDEX IF NOT EXISTS ${quoteIdent(seqIndexName(table))} ON ${quoteIdent(table)} (_seq)`;
}

function seqIndexName(table: string): string {
  return `${table}_seq`;
}

/**
 * Indexes `_seq` in partitions written before the index existed (about 0.15 s per million rows,
 * once).
 */
export async function indexSeqColumns(conn: DuckDBConnection, catalog: Catalog): Promise<void> {
  const indexes = new Set(
    (await queryRows(conn, 'SELECT index_name FROM duckdb_indexes()')).map((r) => String(r['index_name'])),
  );
  for (const p of catalog.partitions.values())
    if (p.inDb && !indexes.has(seqIndexName(p.table))) await conn.run(seqIndexSql(p.table));
}

/** Fills the catalog with the fields and partitions in the database. */
export async function readCatalog(conn: DuckDBConnection, catalog: Catalog): Promise<StoredState> {
  const state: StoredState = {
    overflow: new Set(),
    persistedFields: new Set(),
    persistedOverflow: new Set(),
    committedSeq: 0,
    partitionMaxSeq: new Map(),
  };
  for (const row of await queryRows(conn, 'SELECT name, type, list, overflow FROM _cairn_fields')) {
    const name = String(row['name']);
    if (row['overflow']) {
      state.overflow.add(name);
      state.persistedOverflow.add(name);
      continue;
    }
    state.persistedFields.add(name);
    catalog.fields.set(name, { name, type: row['type'] as ColumnDef['type'], list: Boolean(row['list']) });
  }
  const columns = new Map<string, Set<string>>();
  for (const row of await queryRows(
    conn,
    "SELECT table_name, column_name FROM duckdb_columns() WHERE table_name LIKE 'p\\_%' ESCAPE '\\'",
  )) {
    const t = String(row['table_name']);
    let set = columns.get(t);
    if (!set) {
      set = new Set();
      columns.set(t, set);
    }
    set.add(String(row['column_name']));
  }
  for (const row of await queryRows(conn, 'SELECT "table", stream, day_us FROM _cairn_partitions')) {
    const table = String(row['table']);
    const [stats] = await queryRows(
      conn,
      `SELECT count(*)::BIGINT AS n, epoch_us(min("@timestamp")) AS lo, epoch_us(max("@timestamp")) AS hi, max(_seq) AS seq FROM ${quoteIdent(table)}`,
    );
    const maxSeq = Number(stats?.['seq'] ?? 0);
    state.committedSeq = Math.max(state.committedSeq, maxSeq);
    state.partitionMaxSeq.set(catalog.partitionKey(String(row['stream']), Number(row['day_us'])), maxSeq);
    catalog.addPartition({
      table,
      stream: String(row['stream']),
      dayUs: Number(row['day_us']),
      rows: Number(stats?.['n'] ?? 0),
      minUs: Number(stats?.['lo'] ?? row['day_us']),
      maxUs: Number(stats?.['hi'] ?? row['day_us']),
      columns: columns.get(table) ?? new Set(BASE_COLUMNS.map((c) => c.name)),
      inDb: true,
      textChars: new Map(),
      textRows: 0,
    });
  }
  return state;
}

/**
 * Reads the token blooms back. Rows that no persisted block covers (an earlier process stopped before
 * writing its last blocks, or left log segments to load) are marked to be always scanned.
 */
export async function readSkipIndex(
  conn: DuckDBConnection,
  opts: {
    catalog: Catalog;
    leftovers: readonly SealedSegment[];
    partitionMaxSeq: ReadonlyMap<string, number>;
  },
): Promise<SkipIndex> {
  const skip = new SkipIndex();
  const rows = await queryRows(
    conn,
    'SELECT stream, day_us, seq_lo, seq_hi, "rows", bits, hashes FROM _cairn_blooms ORDER BY stream, day_us, seq_lo',
  );
  for (const row of rows) {
    const bloom = new TokenBloom(
      Number(row['seq_lo']),
      Number(row['seq_hi']),
      row['bits'] as Uint8Array,
      Number(row['hashes']),
    );
    bloom.rows = Number(row['rows']);
    skip.restore(String(row['stream']), Number(row['day_us']), bloom);
  }
  skip.markGaps(
    [...opts.catalog.partitions.values()].map((p) => ({
      stream: p.stream,
      dayUs: p.dayUs,
      maxSeq: opts.partitionMaxSeq.get(opts.catalog.partitionKey(p.stream, p.dayUs)) ?? 0,
    })),
  );
  skip.markGaps(opts.leftovers.map((seg) => ({ stream: seg.stream, dayUs: seg.dayUs, maxSeq: seg.maxSeq })));
  return skip;
}

/** Records that the persisted blooms cover every row up to `seq` (written at a clean shutdown). */
export async function recordBloomCoverage(conn: DuckDBConnection, seq: number): Promise<void> {
  await conn.run("INSERT OR REPLACE INTO _cairn_meta VALUES ('blooms_cover_seq', $1)", [seq]);
}
