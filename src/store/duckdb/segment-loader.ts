import { DuckDBBlobValue, type DuckDBConnection } from '@duckdb/node-api';
import { CairnError } from '../../model/errors.js';
import {
  BASE_COLUMNS,
  type Catalog,
  type ColumnDef,
  columnDdl,
  LONG_TEXT_CHARS,
  type Partition,
  quoteIdent,
  quoteLiteral,
  transportType,
} from './catalog.js';
import { queryRows } from './connection.js';
import type { RollupChange, Rollups } from './rollup.js';
import type { PersistableBlock, SkipIndex } from './skip-index.js';
import { type StoredState, seqIndexSql } from './stored-state.js';
import type { SealedSegment } from './wal.js';

/**
 * Moves sealed write-ahead log segments into DuckDB: one transaction creates the partitions and
 * columns they need, loads every segment through DuckDB's NDJSON reader, and records new fields and
 * finished skip-index blocks. On failure nothing changes and the segments stay to be retried.
 */
export class SegmentLoader {
  constructor(
    private readonly conn: DuckDBConnection,
    private readonly catalog: Catalog,
    private readonly state: StoredState,
    private readonly skip: () => SkipIndex,
    private readonly rollups: Rollups,
  ) {}

  /** Loads the segments; returns the highest `_seq` now searchable. */
  async load(segments: readonly SealedSegment[]): Promise<number> {
    const byTable = new Map<string, SealedSegment[]>();
    for (const s of segments) {
      const list = byTable.get(s.table) ?? [];
      list.push(s);
      byTable.set(s.table, list);
    }
    const added: { partition: Partition; columns: string[]; created: boolean }[] = [];
    let blooms: PersistableBlock[] = [];
    const rolled: RollupChange[] = [];
    await this.conn.run('BEGIN TRANSACTION');
    try {
      for (const [table, segs] of byTable) added.push(await this.prepareTable(table, segs));
      for (const [table, segs] of byTable) await this.insertSegments(table, segs);
      for (const change of added) {
        const segs = byTable.get(change.partition.table)!;
        const rows = change.partition.rows + segs.reduce((n, s) => n + s.rows, 0);
        if (!this.rollups.due(change.partition.table, rows)) continue;
        const columns = new Set([...change.partition.columns, ...change.columns]);
        const seqHi = Math.max(...segs.map((s) => s.maxSeq));
        rolled.push(
          await this.rollups.rollUp(this.conn, this.catalog, change.partition, columns, seqHi, rows),
        );
      }
      blooms = await this.persistBlooms(false);
      for (const name of this.state.overflow) {
        if (this.state.persistedOverflow.has(name)) continue;
        await this.conn.run('INSERT OR IGNORE INTO _cairn_fields VALUES ($1, $2, false, true)', [
          name,
          'string',
        ]);
      }
      await this.rollups.commit(this.conn, rolled);
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      this.skip().returnUnpersisted(blooms);
      throw new CairnError(
        'store_unavailable',
        `Cannot load ${segments.length} write-ahead log segments into the store: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    for (const name of this.state.overflow) this.state.persistedOverflow.add(name);
    for (const { partition, columns, created } of added) {
      for (const c of columns) partition.columns.add(c);
      if (created) partition.inDb = true;
    }
    for (const seg of segments) {
      const p = this.catalog.partitionByTable(seg.table)!;
      const wasEmpty = p.rows === 0;
      p.rows += seg.rows;
      p.minUs = wasEmpty ? seg.minUs : Math.min(p.minUs, seg.minUs);
      p.maxUs = wasEmpty ? seg.maxUs : Math.max(p.maxUs, seg.maxUs);
    }
    return Math.max(0, ...segments.map((s) => s.maxSeq));
  }

  /**
   * Rolls up the partitions with rows loaded since their last roll-up: all of them (`all`, a flush:
   * the rollup then covers everything searchable, presence counts included), or those with a batch
   * of them (at start-up: a data directory written before rollups existed). One transaction; on
   * failure nothing changes.
   */
  async rollUpPending(all: boolean): Promise<void> {
    await this.rollUpPartitions(
      [...this.catalog.partitions.values()].filter(
        (p) =>
          p.inDb &&
          (all
            ? this.rollups.pending(p.table, p.rows) > 0 || this.rollups.presenceBehind(p.table)
            : this.rollups.due(p.table, p.rows)),
      ),
    );
  }

  /** Whether a partition's presence counts lag its rollup (see `catchUpPresence`). */
  presenceBehind(): boolean {
    for (const p of this.catalog.partitions.values())
      if (p.inDb && this.rollups.presenceBehind(p.table)) return true;
    return false;
  }

  /**
   * Counts the presence of one partition rolled up before presence counts existed. The store calls
   * this while idle, one partition at a time, rather than at start-up, which would hold a large
   * data directory's start back by a scan of every column; until then the field list counts such a
   * partition from its rows.
   */
  async catchUpPresence(): Promise<void> {
    const behind = [...this.catalog.partitions.values()].find(
      (p) => p.inDb && this.rollups.presenceBehind(p.table),
    );
    if (behind) await this.rollUpPartitions([behind]);
  }

  private async rollUpPartitions(due: readonly Partition[]): Promise<void> {
    if (due.length === 0) return;
    const rolled: RollupChange[] = [];
    await this.conn.run('BEGIN TRANSACTION');
    try {
      for (const p of due) {
        const [row] = await queryRows(this.conn, `SELECT max(_seq) AS hi FROM ${quoteIdent(p.table)}`);
        rolled.push(
          await this.rollups.rollUp(this.conn, this.catalog, p, p.columns, Number(row?.['hi'] ?? 0), p.rows),
        );
      }
      await this.rollups.commit(this.conn, rolled);
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw new CairnError(
        'store_unavailable',
        `Cannot roll up ${due.length} partitions: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }

  /** Creates the partition's table and adds the columns its segments use (inside the transaction). */
  private async prepareTable(table: string, segs: readonly SealedSegment[]) {
    const first = segs[0]!;
    let partition = this.catalog.partitionByTable(table);
    if (!partition) {
      // Recovered from a previous process: the catalog has not seen it.
      partition = {
        table,
        stream: first.stream,
        dayUs: first.dayUs,
        minUs: first.minUs,
        maxUs: first.maxUs,
        rows: 0,
        columns: new Set(),
        inDb: false,
        textChars: new Map(),
        textRows: 0,
      };
      this.catalog.addPartition(partition);
    }
    const change = { partition, columns: [] as string[], created: !partition.inDb };
    if (!partition.inDb) {
      const cols = BASE_COLUMNS.map((c) => columnDdl(c, { longText: c.name === 'message' })).join(', ');
      await this.conn.run(`CREATE TABLE ${quoteIdent(table)} (${cols})`);
      await this.conn.run(seqIndexSql(table));
      await this.conn.run('INSERT INTO _cairn_partitions VALUES ($1, $2, $3)', [
        table,
        partition.stream,
        partition.dayUs,
      ]);
      for (const c of BASE_COLUMNS) change.columns.push(c.name);
    }
    const present = new Set([...partition.columns, ...change.columns]);
    for (const def of segmentColumns(segs)) {
      if (present.has(def.name)) continue;
      await this.persistField(def);
      const longText =
        partition.textRows > 0 &&
        (partition.textChars.get(def.name) ?? 0) / partition.textRows >= LONG_TEXT_CHARS;
      await this.conn.run(`ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${columnDdl(def, { longText })}`);
      change.columns.push(def.name);
    }
    return change;
  }

  private async persistField(def: ColumnDef): Promise<void> {
    if (this.state.persistedFields.has(def.name)) return;
    await this.conn.run('INSERT OR IGNORE INTO _cairn_fields VALUES ($1, $2, $3, false)', [
      def.name,
      def.type,
      def.list,
    ]);
    this.state.persistedFields.add(def.name);
  }

  /** Writes finished blooms (and with `includeOpen` the partial ones) inside the current transaction. */
  async persistBlooms(includeOpen: boolean): Promise<PersistableBlock[]> {
    const blocks = this.skip().takeUnpersisted(includeOpen);
    for (const b of blocks) {
      await this.conn.run(
        'INSERT INTO _cairn_blooms (stream, day_us, seq_lo, seq_hi, "rows", bits, hashes) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          b.stream,
          b.dayUs,
          b.bloom.seqLo,
          b.bloom.seqHi,
          b.bloom.rows,
          new DuckDBBlobValue(b.bloom.bits),
          b.bloom.hashes,
        ],
      );
    }
    return blocks;
  }

  private async insertSegments(table: string, segs: readonly SealedSegment[]): Promise<void> {
    const defs = segmentColumns(segs);
    const spec = defs.map((d) => `${quoteLiteral(d.name)}: ${quoteLiteral(transportType(d))}`).join(', ');
    const select = defs
      .map((d) =>
        d.type === 'timestamp' && !d.list
          ? `make_timestamp(${quoteIdent(d.name)}) AS ${quoteIdent(d.name)}`
          : quoteIdent(d.name),
      )
      .join(', ');
    const files = `[${segs.map((s) => quoteLiteral(s.file)).join(', ')}]`;
    // The reader's buffers are twice its maximum object size, per thread: sized to the longest line
    // these segments hold rather than to the largest event one could send, they stay small.
    const maxObject = readerObjectSize(Math.max(...segs.map((s) => s.maxLineBytes)));
    // Declaration lines of the log have no @timestamp: the filter skips them.
    await this.conn.run(
      `INSERT INTO ${quoteIdent(table)} BY NAME SELECT ${select} FROM read_ndjson(${files}, columns = {${spec}}, format = 'newline_delimited', maximum_object_size = ${maxObject}) WHERE "@timestamp" IS NOT NULL`,
    );
  }
}

/** DuckDB's maximum_object_size for lines of up to `longest` bytes: a power of two, 1 MiB to 1 GiB. */
export function readerObjectSize(longest: number): number {
  let size = 1 << 20;
  while (size < longest + 1 && size < 1 << 30) size *= 2;
  return size;
}

function segmentColumns(segs: readonly SealedSegment[]): ColumnDef[] {
  const columns = new Map<string, ColumnDef>();
  for (const seg of segs) for (const c of seg.columns) columns.set(c.name, c);
  return [...columns.values()];
}
