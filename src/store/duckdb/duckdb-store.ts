import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CairnError } from '../../model/errors.js';
import type { Event } from '../../model/event.js';
import type { QueryNode } from '../../query/ast.js';
import type {
  AggregateRequest,
  AggregateResult,
  AppendResult,
  ColumnLog,
  FieldsRequest,
  FieldsResult,
  QueryRequest,
  QueryResult,
  SearchRequest,
  SearchResult,
  Store,
  StoreStats,
  StreamInfo,
  WriteBatch,
} from '../store.js';
import { runAggregations } from './aggregate.js';
import { encodeRows, mergeDeferred, numberRows } from './batch-encoder.js';
import { Catalog, type ColumnDef, type Partition } from './catalog.js';
import { Mutex, openDatabase, openReader, type SqlParam, translateQueryError } from './connection.js';
import { collectFields } from './fields.js';
import { runPipeline } from './pipes/run-pipeline.js';
import { buildSource, type QuerySource } from './query-source.js';
import { DEFAULT_ROLLUP_FIELDS, ROLLUP_BATCH_ROWS, ROLLUP_MEMORY_ROWS, Rollups } from './rollup.js';
import { runSearch } from './search.js';
import { SegmentLoader } from './segment-loader.js';
import { SkipIndex } from './skip-index.js';
import {
  createSchema,
  indexSeqColumns,
  readCatalog,
  readSkipIndex,
  recordBloomCoverage,
  type StoredState,
} from './stored-state.js';
import { PartitionWal, type SealedSegment, type SegmentGroup } from './wal.js';

/** One load of the write-ahead log into DuckDB. */
export interface RefreshInfo {
  rows: number;
  segments: number;
  durationMs: number;
}

/**
 * Waiting rows that trigger a load, and the most one load takes. DuckDB writes a table's rows
 * straight into the database file, compressed, when one transaction inserts at least a row group
 * (122,880 rows) into it; smaller inserts go to its own log first and are compressed again by the
 * checkpoint at commit (1.5–3 s per 100,000 demo rows). Loads of 500,000 rows give each table of a
 * typical mix a row group or more: 10M demo events ingested at 44,800 events/s against 35,500 with
 * loads of 100,000, without the slowdown as the tables grew, at a similar peak RSS.
 */
const DEFAULT_REFRESH_ROWS = 500_000;

export interface DuckDBStoreOptions {
  dataDir: string;
  /** Typed columns across all streams before new fields go to the overflow column. */
  maxColumns?: number;
  /** Read connections (concurrent queries). */
  readers?: number;
  /** Injected clock, µs since epoch. */
  nowUs?: () => number;
  /** How often appended events are loaded and become searchable (Elasticsearch's refresh_interval). */
  refreshIntervalMs?: number;
  /** Pending rows that trigger a load before the interval is up (DEFAULT_REFRESH_ROWS). */
  refreshRows?: number;
  /**
   * Acknowledged rows not yet loaded beyond which appends are refused with 429 (Elasticsearch's
   * rejected bulk requests): when writes outrun loading, clients slow down instead of events
   * becoming searchable ever later.
   */
  maxUnloadedRows?: number;
  /**
   * After this long without a search the interval loads pause while writes keep coming
   * (Elasticsearch's search-idle shards, `index.search.idle.after`): rows gather into fewer, larger
   * loads, which DuckDB writes for less CPU; the next search, or a pause in writes, loads the rest.
   */
  searchIdleAfterMs?: number;
  /** DuckDB's buffer pool size. */
  memoryLimitMb?: number;
  /**
   * Short keyword fields whose per-minute value counts the store keeps (see rollup.ts): counting
   * aggregations on them read the counts instead of the rows. Empty: no rollups by value (the
   * per-minute event counts are always kept).
   */
  rollupFields?: readonly string[];
  /** Rows a partition gathers after its last roll-up before they are rolled up too. */
  rollupBatchRows?: number;
  /**
   * Rollup rows kept in memory as well (16 bytes each), so counting aggregations need no SQL. Past
   * it, a partition's field is counted from DuckDB's copy (0: always).
   */
  rollupMemoryRows?: number;
  /** Called after each load, for metrics and logs. */
  onRefresh?: (info: RefreshInfo) => void;
}

/** Context the query modules (search, aggregate, fields) run in. */
export interface QueryContext {
  conn: DuckDBConnection;
  source: QuerySource;
  nowUs: number;
  committedSeq: number;
  rollups: Rollups;
}

/**
 * The embedded store: one DuckDB database file in the data directory, one table per stream per UTC
 * day (retention drops whole tables), a typed column per field, and NDJSON batches loaded through
 * DuckDB's native reader inside one transaction per group commit.
 */
export class DuckDBStore implements Store {
  private readonly writeLock = new Mutex();
  private readonly loadLock = new Mutex();
  private readonly overflow: Set<string>;
  private readonly loader: SegmentLoader;
  /** Last sequence number loaded into DuckDB (what queries see). */
  private committedSeq: number;
  /** Last sequence number written to the write-ahead log. */
  private assignedSeq = 0;
  private refreshing: Promise<void> | null = null;
  /** Whether an idle catch-up of presence counts is running (see `SegmentLoader.catchUpPresence`). */
  private catchingUp = false;
  /**
   * Sealed segments still to be loaded, oldest first, in the groups they were sealed in. Every row
   * of a group has a higher sequence number than every row of the groups before it, so loading
   * them in order keeps `committedSeq` exact (all rows up to it are searchable).
   */
  private sealedGroups: SealedSegment[][] = [];
  private timer: NodeJS.Timeout | undefined;
  private skip = new SkipIndex();
  private closed = false;
  private readerIndex = 0;
  /** When the last search ran (ms, performance.now()); -Infinity: none yet, so idle from the start. */
  private lastSearchMs = Number.NEGATIVE_INFINITY;
  /** When the last write was acknowledged (ms, performance.now()). */
  private lastAppendMs = Number.NEGATIVE_INFINITY;
  /** Typed columns and overflow fields in the order they appeared (see columnLog). */
  private readonly fieldLog: ColumnDef[];
  private readonly overflowLog: string[];

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: DuckDBConnection[],
    readonly catalog: Catalog,
    private readonly wal: PartitionWal,
    state: StoredState,
    private readonly rollups: Rollups,
    private readonly opts: Required<Omit<DuckDBStoreOptions, 'onRefresh'>> &
      Pick<DuckDBStoreOptions, 'onRefresh'>,
  ) {
    this.overflow = state.overflow;
    this.fieldLog = [...catalog.fields.values()];
    this.overflowLog = [...state.overflow];
    this.committedSeq = state.committedSeq;
    this.loader = new SegmentLoader(writer, catalog, state, () => this.skip, rollups);
  }

  static async open(options: DuckDBStoreOptions): Promise<DuckDBStore> {
    const opts = {
      maxColumns: 1000,
      readers: 4,
      nowUs: () => Date.now() * 1000,
      refreshIntervalMs: 1000,
      refreshRows: DEFAULT_REFRESH_ROWS,
      maxUnloadedRows: 1_000_000,
      searchIdleAfterMs: 30_000,
      memoryLimitMb: 256,
      rollupFields: DEFAULT_ROLLUP_FIELDS,
      rollupBatchRows: ROLLUP_BATCH_ROWS,
      rollupMemoryRows: ROLLUP_MEMORY_ROWS,
      ...options,
    };
    await mkdir(opts.dataDir, { recursive: true });
    // DuckDB takes an exclusive lock on its file: a second process is refused before it touches the log.
    const instance = await openDatabase(join(opts.dataDir, 'cairn.duckdb'), opts.dataDir, opts.memoryLimitMb);
    const writer = await instance.connect();
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < opts.readers; i++) readers.push(await openReader(instance));
    const { wal, leftovers } = await PartitionWal.create(join(opts.dataDir, 'wal'));
    const catalog = new Catalog(opts.maxColumns);
    await createSchema(writer);
    const state = await readCatalog(writer, catalog);
    await indexSeqColumns(writer, catalog);
    const rollups = await Rollups.read(writer, {
      fields: opts.rollupFields,
      batchRows: opts.rollupBatchRows,
      memoryRows: opts.rollupMemoryRows,
    });
    const store = new DuckDBStore(instance, writer, readers, catalog, wal, state, rollups, opts);
    // Events acknowledged by a previous process but not yet loaded (it crashed or was killed).
    store.assignedSeq = Math.max(store.committedSeq, ...leftovers.map((s) => s.maxSeq));
    if (leftovers.length > 0) store.sealedGroups.push(leftovers);
    store.skip = await readSkipIndex(writer, {
      catalog,
      leftovers,
      partitionMaxSeq: state.partitionMaxSeq,
    });
    await store.refresh();
    // Partitions written before rollups existed (or by a process killed before a roll-up).
    await store.loadLock.run(() => store.loader.rollUpPending(false));
    store.timer = setInterval(() => {
      // While search-idle, rows gather as long as writes keep coming; once they stop, the rest loads.
      const quiet = performance.now() - store.lastAppendMs >= opts.refreshIntervalMs;
      const due = store.sealedGroups.length > 0 || (store.wal.pending > 0 && (!store.searchIdle() || quiet));
      if (due) void store.refresh().catch(() => undefined);
      else if (quiet && !store.catchingUp && store.loader.presenceBehind()) {
        // Idle: count one more partition written before presence counts existed.
        store.catchingUp = true;
        void store.loadLock
          .run(() => store.loader.catchUpPresence())
          .catch(() => undefined)
          .finally(() => {
            store.catchingUp = false;
          });
      }
    }, opts.refreshIntervalMs);
    store.timer.unref();
    return store;
  }

  /**
   * Appends events: encodes them, writes them to the write-ahead log and fsyncs. Resolves once they
   * are durable; they become searchable at the next refresh (at most `refreshIntervalMs` later, or
   * at once through `refresh()`).
   */
  async append(batch: Event[]): Promise<AppendResult> {
    const [result] = await this.appendBatches([{ events: batch }]);
    return result!;
  }

  /**
   * Appends one group commit of batches, each either events or rows an ingest worker encoded against
   * `columnLog()`, with one write-ahead log write and fsync. Returns each batch's ids.
   */
  appendBatches(batches: readonly WriteBatch[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new CairnError('store_unavailable', 'The store is closed'));
    const unloaded = this.unloadedRows;
    if (unloaded >= this.opts.maxUnloadedRows) {
      const limit = this.opts.maxUnloadedRows;
      return Promise.reject(
        new CairnError(
          'too_many_requests',
          `Loading is behind: ${unloaded} acknowledged events are not searchable yet (limit ${limit}, store.maxUnloadedRows). Retry after a second.`,
          { details: { unloaded, limit, retryAfterSeconds: 1 } },
        ),
      );
    }
    // Writes waiting on a slow fsync still count as writes coming (see the search-idle timer).
    this.lastAppendMs = performance.now();
    return this.writeLock.run(() => this.appendLocked(batches));
  }

  columnLog(): ColumnLog {
    return { maxColumns: this.catalog.maxColumns, fields: this.fieldLog, overflow: this.overflowLog };
  }

  private async appendLocked(batches: readonly WriteBatch[]): Promise<AppendResult[]> {
    const view = {
      fields: this.catalog.fields,
      overflow: this.overflow,
      maxColumns: this.catalog.maxColumns,
    };
    // Columns defined by this commit, shared by its batches so that they agree on each new field.
    const pending = new Map<string, ColumnDef>();
    const encoded = batches.map((b) => {
      if ('events' in b) return encodeRows(b.events, view, pending);
      const rows = b.rows;
      if (rows.deferred.events.length > 0)
        mergeDeferred(rows, encodeRows(rows.deferred.events, view, pending));
      return rows;
    });
    const newFields = new Map<string, ColumnDef>();
    const newOverflow = new Set<string>();
    for (const rows of encoded) {
      for (const f of rows.newFields) newFields.set(f.name, f);
      for (const name of rows.newOverflow) if (!this.overflow.has(name)) newOverflow.add(name);
    }
    const groups: SegmentGroup[] = [];
    const born = new Map<string, Partition>();
    const results: AppendResult[] = [];
    let seq = this.assignedSeq + 1;
    for (const rows of encoded) {
      const numbered = numberRows(rows, seq);
      seq = numbered.lastSeq + 1;
      results.push({ appended: rows.count, ids: numbered.ids });
      for (const { group, minSeq, maxSeq } of numbered.groups) {
        const rowCount = maxSeq - minSeq + 1;
        const key = this.catalog.partitionKey(group.stream, group.dayUs);
        let partition = this.catalog.findPartition(group.stream, group.dayUs) ?? born.get(key);
        if (!partition) {
          partition = {
            table: this.catalog.newTableName(),
            stream: group.stream,
            dayUs: group.dayUs,
            minUs: group.minUs,
            maxUs: group.maxUs,
            rows: 0,
            columns: new Set(),
            inDb: false,
            textChars: new Map(),
            textRows: 0,
          };
          born.set(key, partition);
        }
        this.skip.addRows(group.stream, group.dayUs, minSeq, group.hashes, group.hashEnds);
        groups.push({
          table: partition.table,
          stream: group.stream,
          dayUs: group.dayUs,
          data: group.rows,
          rows: rowCount,
          maxRowBytes: group.maxRowBytes,
          columns: [...group.columns].map((n) => this.catalog.fields.get(n) ?? newFields.get(n)!),
          minSeq,
          maxSeq,
          minUs: group.minUs,
          maxUs: group.maxUs,
        });
        for (const [name, chars] of group.textChars)
          partition.textChars.set(name, (partition.textChars.get(name) ?? 0) + chars);
        partition.textRows += rowCount;
      }
    }
    if (groups.length === 0) return results;
    const events = groups.reduce((n, g) => n + g.rows, 0);
    try {
      await this.wal.append(groups);
    } catch (err) {
      throw new CairnError(
        'store_unavailable',
        `Cannot write ${events} events to the write-ahead log in "${this.wal.dir}": ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    // Durable: from here on the catalog knows the new fields and partitions.
    for (const f of newFields.values()) {
      this.catalog.fields.set(f.name, f);
      this.fieldLog.push(f);
    }
    for (const name of newOverflow) {
      this.overflow.add(name);
      this.overflowLog.push(name);
    }
    for (const p of born.values()) this.catalog.addPartition(p);
    this.assignedSeq = seq - 1;
    this.lastAppendMs = performance.now();
    if (this.wal.pending >= this.opts.refreshRows) {
      // While a load runs, rows keep coming: sealed now, they load as a transaction of their own
      // instead of joining one ever larger load (DuckDB's memory grows with a load's size).
      if (this.refreshing) {
        const sealed = await this.wal.seal();
        if (sealed.length > 0) this.sealedGroups.push(sealed);
      }
      void this.refresh().catch(() => undefined);
    }
    return results;
  }

  /**
   * Loads everything written to the write-ahead log into DuckDB, in one transaction per refresh, and
   * makes it searchable. Runs on a timer, when enough rows are pending, and on demand
   * (Elasticsearch's `refresh`). Concurrent callers share one load.
   */
  refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing.then(() => (this.hasUnloaded() ? this.refresh() : undefined));
    this.refreshing = this.loadLock
      .run(async () => {
        const sealed = await this.writeLock.run(() => this.wal.seal());
        if (sealed.length > 0) this.sealedGroups.push(sealed);
        // Groups sealed while this runs are left to the next refresh, so that this one ends.
        let due = this.sealedGroups.length;
        while (due > 0) {
          const take = groupsToLoad(this.sealedGroups, due, this.maxLoadRows);
          const segments = this.sealedGroups.slice(0, take).flat();
          const started = performance.now();
          // On failure the groups stay queued and load at the next refresh: nothing is lost.
          this.committedSeq = Math.max(this.committedSeq, await this.loader.load(segments));
          this.sealedGroups.splice(0, take);
          due -= take;
          await this.wal.remove(segments);
          this.opts.onRefresh?.({
            rows: rowsOf(segments),
            segments: segments.length,
            durationMs: performance.now() - started,
          });
        }
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /**
   * Rows per load transaction (small sealed groups are loaded together up to this; a larger group
   * loads on its own): a backlog loads as a series of refreshRows-sized transactions.
   */
  private get maxLoadRows(): number {
    return Math.max(1, this.opts.refreshRows);
  }

  private hasUnloaded(): boolean {
    return this.wal.pending > 0 || this.sealedGroups.length > 0;
  }

  private reader(): DuckDBConnection {
    const conn = this.readers[this.readerIndex++ % this.readers.length]!;
    return conn;
  }

  private searchIdle(): boolean {
    return performance.now() - this.lastSearchMs >= this.opts.searchIdleAfterMs;
  }

  /** Records a read; when the store was search-idle, loads what is pending first. */
  private async noteSearch(): Promise<void> {
    const idle = this.searchIdle();
    this.lastSearchMs = performance.now();
    if (idle && this.hasUnloaded()) await this.refresh();
  }

  /**
   * Where every read starts: a search that finds the store search-idle first loads what is pending
   * (the interval loads stopped meanwhile), so it sees every acknowledged event, as in Elasticsearch.
   */
  private async context(
    range: { fromUs: number; toUs: number },
    streams?: string[],
    prune: QueryNode | null = null,
  ): Promise<QueryContext> {
    if (this.closed) throw new CairnError('store_unavailable', 'The store is closed');
    await this.noteSearch();
    const nowUs = this.opts.nowUs();
    return {
      conn: this.reader(),
      source: buildSource(this.catalog, this.overflow, range, streams, this.skip, { query: prune, nowUs }),
      nowUs,
      committedSeq: this.committedSeq,
      rollups: this.rollups,
    };
  }

  async search(req: SearchRequest): Promise<SearchResult> {
    // Partitions that cannot match are left out, unless a sort field might be known only to them.
    const timeSorted = (req.sort ?? []).every((k) => k.field === '@timestamp');
    try {
      const ctx = await this.context(req.range, req.streams, timeSorted ? req.query : null);
      return await runSearch(ctx, req);
    } catch (err) {
      throw translateQueryError(err, 'Search');
    }
  }

  async aggregate(req: AggregateRequest): Promise<AggregateResult> {
    try {
      const ctx = await this.context(req.range, req.streams, req.query);
      return await runAggregations(ctx, req);
    } catch (err) {
      throw translateQueryError(err, 'Aggregation');
    }
  }

  async query(req: QueryRequest): Promise<QueryResult> {
    const ctx = await this.context(req.range, req.streams);
    try {
      return await runPipeline(ctx, req);
    } catch (err) {
      throw translateQueryError(err, 'Query');
    }
  }

  async fields(req: FieldsRequest): Promise<FieldsResult> {
    const ctx = await this.context(req.range, req.streams);
    try {
      return await collectFields(ctx, req);
    } catch (err) {
      throw translateQueryError(err, 'Listing fields');
    }
  }

  async streams(): Promise<StreamInfo[]> {
    await this.noteSearch();
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
      unloadedEvents: this.unloadedRows,
      rolledUpEvents: parts.reduce((n, p) => n + Math.min(p.rows, this.rollups.rolledUp(p.table)), 0),
      rollupMemory: { rows: this.rollups.counts.rows, leftOut: this.rollups.counts.leftOut },
    };
  }

  /**
   * Loads everything pending, rolls up every row not yet rolled up, then folds DuckDB's own log into
   * the database file (CHECKPOINT).
   */
  async flush(): Promise<void> {
    await this.refresh();
    await this.loadLock.run(async () => {
      await this.loader.rollUpPending(true);
      await this.writer.run('CHECKPOINT');
    });
  }

  get lastCommittedSeq(): number {
    return this.committedSeq;
  }

  /** Acknowledged rows not yet loaded into DuckDB (so not yet searchable). */
  get unloadedRows(): number {
    return this.assignedSeq - this.committedSeq;
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

  /** Loads what is pending and closes. Anything that cannot be loaded stays in the log for next time. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    await this.writeLock.run(async () => {
      this.closed = true;
    });
    await this.refresh().catch(() => undefined);
    await this.wal.close();
    // Partial blocks too, so that the next process starts with every row indexed.
    await this.loadLock
      .run(async () => {
        await this.writer.run('BEGIN TRANSACTION');
        await this.loader.persistBlooms(true);
        await recordBloomCoverage(this.writer, this.committedSeq);
        await this.writer.run('COMMIT');
      })
      .catch(() => this.writer.run('ROLLBACK').catch(() => undefined));
    await this.loadLock.run(() => this.writer.run('CHECKPOINT')).catch(() => undefined);
    for (const c of [...this.readers, this.writer]) c.closeSync();
    this.instance.closeSync();
  }
}

export type { SqlParam };

/** How many of the first `due` groups one load takes: at least one, then more while under `maxRows`. */
export function groupsToLoad(groups: readonly SealedSegment[][], due: number, maxRows: number): number {
  let rows = rowsOf(groups[0] ?? []);
  let take = 1;
  while (take < due && rows + rowsOf(groups[take]!) <= maxRows) rows += rowsOf(groups[take++]!);
  return take;
}

function rowsOf(segments: readonly SealedSegment[]): number {
  return segments.reduce((n, s) => n + s.rows, 0);
}
