import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CairnError } from '../../model/errors.js';
import type { Event } from '../../model/event.js';
import type {
  AggregateRequest,
  AggregateResult,
  AppendResult,
  FieldsRequest,
  FieldsResult,
  SearchRequest,
  SearchResult,
  Store,
  StoreStats,
  StreamInfo,
} from '../store.js';
import { runAggregations } from './aggregate.js';
import { encodeBatch, type PartitionRows } from './batch-encoder.js';
import {
  BASE_COLUMNS,
  Catalog,
  type ColumnDef,
  columnDdl,
  LONG_TEXT_CHARS,
  type Partition,
  quoteIdent,
  quoteLiteral,
  transportType,
} from './catalog.js';
import { Mutex, openDatabase, queryRows, type SqlParam, translateQueryError } from './connection.js';
import { collectFields } from './fields.js';
import { buildSource, type QuerySource } from './query-source.js';
import { runSearch } from './search.js';

export interface DuckDBStoreOptions {
  dataDir: string;
  /** Typed columns across all streams before new fields go to the overflow column. */
  maxColumns?: number;
  /** Read connections (concurrent queries). */
  readers?: number;
  /** Injected clock, µs since epoch. */
  nowUs?: () => number;
}

/** Context the query modules (search, aggregate, fields) run in. */
export interface QueryContext {
  conn: DuckDBConnection;
  source: QuerySource;
  nowUs: number;
  committedSeq: number;
}

/**
 * The embedded store: one DuckDB database file in the data directory, one table per stream per UTC
 * day (retention drops whole tables), a typed column per field, and NDJSON batches loaded through
 * DuckDB's native reader inside one transaction per group commit.
 */
export class DuckDBStore implements Store {
  private readonly writeLock = new Mutex();
  private readonly overflow = new Set<string>();
  private committedSeq = 0;
  private batchCounter = 0;
  private closed = false;
  private readerIndex = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: DuckDBConnection[],
    readonly catalog: Catalog,
    private readonly opts: Required<DuckDBStoreOptions>,
  ) {}

  static async open(options: DuckDBStoreOptions): Promise<DuckDBStore> {
    const opts: Required<DuckDBStoreOptions> = {
      maxColumns: 1000,
      readers: 4,
      nowUs: () => Date.now() * 1000,
      ...options,
    };
    await mkdir(join(opts.dataDir, 'tmp'), { recursive: true });
    const instance = await openDatabase(join(opts.dataDir, 'cairn.duckdb'), opts.dataDir);
    const writer = await instance.connect();
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < opts.readers; i++) readers.push(await instance.connect());
    const store = new DuckDBStore(instance, writer, readers, new Catalog(opts.maxColumns), opts);
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    await this.writer.run(`CREATE TABLE IF NOT EXISTS _cairn_fields (name VARCHAR PRIMARY KEY, type VARCHAR NOT NULL, list BOOLEAN NOT NULL, overflow BOOLEAN NOT NULL DEFAULT false);
      CREATE TABLE IF NOT EXISTS _cairn_partitions ("table" VARCHAR PRIMARY KEY, stream VARCHAR NOT NULL, day_us BIGINT NOT NULL);`);
    for (const row of await queryRows(this.writer, 'SELECT name, type, list, overflow FROM _cairn_fields')) {
      const name = String(row['name']);
      if (row['overflow']) this.overflow.add(name);
      else
        this.catalog.fields.set(name, {
          name,
          type: row['type'] as ColumnDef['type'],
          list: Boolean(row['list']),
        });
    }
    const columns = new Map<string, Set<string>>();
    for (const row of await queryRows(
      this.writer,
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
    for (const row of await queryRows(this.writer, 'SELECT "table", stream, day_us FROM _cairn_partitions')) {
      const table = String(row['table']);
      const [stats] = await queryRows(
        this.writer,
        `SELECT count(*)::BIGINT AS n, epoch_us(min("@timestamp")) AS lo, epoch_us(max("@timestamp")) AS hi, max(_seq) AS seq FROM ${quoteIdent(table)}`,
      );
      const seq = Number(stats?.['seq'] ?? 0);
      if (seq > this.committedSeq) this.committedSeq = seq;
      this.catalog.addPartition({
        table,
        stream: String(row['stream']),
        dayUs: Number(row['day_us']),
        rows: Number(stats?.['n'] ?? 0),
        minUs: Number(stats?.['lo'] ?? row['day_us']),
        maxUs: Number(stats?.['hi'] ?? row['day_us']),
        columns: columns.get(table) ?? new Set(BASE_COLUMNS.map((c) => c.name)),
      });
    }
  }

  /** Appends one group commit. Resolves once DuckDB has committed it to its write-ahead log. */
  append(batch: Event[]): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new CairnError('store_unavailable', 'The store is closed'));
    if (batch.length === 0) return Promise.resolve({ appended: 0, ids: [] });
    return this.writeLock.run(() => this.appendLocked(batch));
  }

  private async appendLocked(batch: Event[]): Promise<AppendResult> {
    const encoded = encodeBatch(batch, {
      catalog: this.catalog,
      overflow: this.overflow,
      firstSeq: this.committedSeq + 1,
    });
    const files: string[] = [];
    const created: Partition[] = [];
    const altered: { partition: Partition; column: string }[] = [];
    const newFields = new Map(encoded.newFields.map((f) => [f.name, f]));
    await this.writer.run('BEGIN TRANSACTION');
    try {
      for (const f of encoded.newFields) {
        await this.writer.run('INSERT INTO _cairn_fields VALUES ($1, $2, $3, false)', [
          f.name,
          f.type,
          f.list,
        ]);
      }
      for (const name of encoded.newOverflow) {
        await this.writer.run('INSERT OR IGNORE INTO _cairn_fields VALUES ($1, $2, false, true)', [
          name,
          'string',
        ]);
      }
      for (const rows of encoded.partitions) {
        let partition = this.catalog.findPartition(rows.stream, rows.dayUs);
        if (!partition) {
          partition = await this.createPartition(rows);
          created.push(partition);
        }
        for (const column of rows.columns) {
          if (partition.columns.has(column)) continue;
          const def = this.catalog.fields.get(column) ?? newFields.get(column)!;
          const longText = (rows.textChars.get(column) ?? 0) / rows.lines.length >= LONG_TEXT_CHARS;
          await this.writer.run(
            `ALTER TABLE ${quoteIdent(partition.table)} ADD COLUMN ${columnDdl(def, { longText })}`,
          );
          partition.columns.add(column);
          altered.push({ partition, column });
        }
        files.push(await this.insertRows(partition, rows, newFields));
      }
      await this.writer.run('COMMIT');
    } catch (err) {
      await this.writer.run('ROLLBACK').catch(() => undefined);
      for (const p of created) this.catalog.removePartition(p);
      for (const { partition, column } of altered) partition.columns.delete(column);
      throw new CairnError(
        'store_unavailable',
        `Cannot store a batch of ${batch.length} events: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    } finally {
      await Promise.all(files.map((f) => rm(f, { force: true })));
    }
    for (const f of encoded.newFields) this.catalog.fields.set(f.name, f);
    for (const name of encoded.newOverflow) this.overflow.add(name);
    for (const rows of encoded.partitions) {
      const p = this.catalog.findPartition(rows.stream, rows.dayUs)!;
      p.rows += rows.lines.length;
      if (rows.minUs < p.minUs) p.minUs = rows.minUs;
      if (rows.maxUs > p.maxUs) p.maxUs = rows.maxUs;
    }
    this.committedSeq = encoded.lastSeq;
    return { appended: batch.length, ids: encoded.ids };
  }

  private async createPartition(rows: PartitionRows): Promise<Partition> {
    const table = this.catalog.newTableName();
    const cols = BASE_COLUMNS.map((c) => columnDdl(c, { longText: c.name === 'message' })).join(', ');
    await this.writer.run(`CREATE TABLE ${quoteIdent(table)} (${cols})`);
    await this.writer.run('INSERT INTO _cairn_partitions VALUES ($1, $2, $3)', [
      table,
      rows.stream,
      rows.dayUs,
    ]);
    const partition: Partition = {
      table,
      stream: rows.stream,
      dayUs: rows.dayUs,
      minUs: rows.minUs,
      maxUs: rows.maxUs,
      rows: 0,
      columns: new Set(BASE_COLUMNS.map((c) => c.name)),
    };
    this.catalog.addPartition(partition);
    return partition;
  }

  private async insertRows(
    partition: Partition,
    rows: PartitionRows,
    newFields: ReadonlyMap<string, ColumnDef>,
  ): Promise<string> {
    const file = join(this.opts.dataDir, 'tmp', `batch-${process.pid}-${this.batchCounter++}.ndjson`);
    await writeFile(file, rows.lines.join('\n'));
    const defs = [...rows.columns].map((name) => this.catalog.fields.get(name) ?? newFields.get(name)!);
    const spec = defs.map((d) => `${quoteLiteral(d.name)}: ${quoteLiteral(transportType(d))}`).join(', ');
    const select = defs
      .map((d) =>
        d.type === 'timestamp' && !d.list
          ? `make_timestamp(${quoteIdent(d.name)}) AS ${quoteIdent(d.name)}`
          : quoteIdent(d.name),
      )
      .join(', ');
    await this.writer.run(
      `INSERT INTO ${quoteIdent(partition.table)} BY NAME SELECT ${select} FROM read_ndjson(${quoteLiteral(file)}, columns = {${spec}}, format = 'newline_delimited', maximum_object_size = 67108864)`,
    );
    return file;
  }

  private reader(): DuckDBConnection {
    const conn = this.readers[this.readerIndex++ % this.readers.length]!;
    return conn;
  }

  private context(range: { fromUs: number; toUs: number }, streams?: string[]): QueryContext {
    if (this.closed) throw new CairnError('store_unavailable', 'The store is closed');
    return {
      conn: this.reader(),
      source: buildSource(this.catalog, this.overflow, range, streams),
      nowUs: this.opts.nowUs(),
      committedSeq: this.committedSeq,
    };
  }

  async search(req: SearchRequest): Promise<SearchResult> {
    const ctx = this.context(req.range, req.streams);
    try {
      return await runSearch(ctx, req);
    } catch (err) {
      throw translateQueryError(err, 'Search');
    }
  }

  async aggregate(req: AggregateRequest): Promise<AggregateResult> {
    const ctx = this.context(req.range, req.streams);
    try {
      return await runAggregations(ctx, req);
    } catch (err) {
      throw translateQueryError(err, 'Aggregation');
    }
  }

  async fields(req: FieldsRequest): Promise<FieldsResult> {
    const ctx = this.context(req.range, req.streams);
    try {
      return await collectFields(ctx, req);
    } catch (err) {
      throw translateQueryError(err, 'Listing fields');
    }
  }

  async streams(): Promise<StreamInfo[]> {
    const bytes = await this.bytesOnDisk();
    const totalRows = [...this.catalog.partitions.values()].reduce((n, p) => n + p.rows, 0);
    const byStream = new Map<string, StreamInfo>();
    for (const p of this.catalog.partitions.values()) {
      let s = byStream.get(p.stream);
      if (!s) {
        s = { name: p.stream, events: 0, bytes: 0, partitions: 0, firstUs: null, lastUs: null };
        byStream.set(p.stream, s);
      }
      s.events += p.rows;
      s.partitions++;
      if (p.rows > 0) {
        s.firstUs = s.firstUs === null ? p.minUs : Math.min(s.firstUs, p.minUs);
        s.lastUs = s.lastUs === null ? p.maxUs : Math.max(s.lastUs, p.maxUs);
      }
    }
    // Sizes per stream are apportioned by row count: DuckDB does not account storage per table cheaply.
    for (const s of byStream.values())
      s.bytes = totalRows === 0 ? 0 : Math.round((bytes * s.events) / totalRows);
    return [...byStream.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async stats(): Promise<StoreStats> {
    const parts = [...this.catalog.partitions.values()];
    return {
      events: parts.reduce((n, p) => n + p.rows, 0),
      bytesOnDisk: await this.bytesOnDisk(),
      partitions: parts.length,
      streams: new Set(parts.map((p) => p.stream)).size,
    };
  }

  /** Drops every partition of `stream` (or all streams) whose day ended before `beforeUs`. */
  async dropPartitionsBefore(beforeUs: number, stream?: string): Promise<Partition[]> {
    return this.writeLock.run(async () => {
      const victims = [...this.catalog.partitions.values()].filter(
        (p) => p.dayUs + 86_400_000_000 <= beforeUs && (stream === undefined || p.stream === stream),
      );
      for (const p of victims) {
        await this.writer.run('BEGIN TRANSACTION');
        await this.writer.run(`DROP TABLE ${quoteIdent(p.table)}`);
        await this.writer.run('DELETE FROM _cairn_partitions WHERE "table" = $1', [p.table]);
        await this.writer.run('COMMIT');
        this.catalog.removePartition(p);
      }
      return victims;
    });
  }

  /** Folds the write-ahead log into the database file (DuckDB CHECKPOINT). */
  async flush(): Promise<void> {
    await this.writeLock.run(() => this.writer.run('CHECKPOINT'));
  }

  get lastCommittedSeq(): number {
    return this.committedSeq;
  }

  async bytesOnDisk(): Promise<number> {
    let total = 0;
    for (const f of ['cairn.duckdb', 'cairn.duckdb.wal']) {
      total += await stat(join(this.opts.dataDir, f)).then(
        (s) => s.size,
        () => 0,
      );
    }
    return total;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writeLock.run(async () => {
      this.closed = true;
      await this.writer.run('CHECKPOINT').catch(() => undefined);
    });
    for (const c of [...this.readers, this.writer]) c.closeSync();
    this.instance.closeSync();
  }
}

export type { SqlParam };
