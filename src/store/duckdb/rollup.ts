import type { DuckDBConnection } from '@duckdb/node-api';
import type { Catalog, Partition } from './catalog.js';
import { INTERNAL_COLUMNS, quoteIdent, quoteLiteral } from './catalog.js';
import { queryRows } from './connection.js';
import { bucketSql, type Interval } from './intervals.js';
import { MinuteCounts, ROLLUP_STEP_US } from './minute-counts.js';

export { ROLLUP_STEP_US };

/**
 * Minute rollups: per partition, the number of events per minute and, for each rollup field (short
 * keyword fields such as `level`, `service` and `host`), per minute and value. Counting
 * aggregations on one of these fields (`terms`, `date_histogram` on `@timestamp`, and the two
 * nested) then add up a few thousand counts instead of scanning millions of rows, as Elasticsearch
 * rollup jobs and ClickHouse projections do, but kept exact and up to date by the store itself.
 *
 * A partition's rollup covers its rows up to a watermark (`_cairn_rollup_marks.seq_hi`): the rows
 * loaded since stay raw until at least `ROLLUP_BATCH_ROWS` of them have gathered (or a flush), so
 * small loads do not leave one count per value per load. Queries read the rollup below the
 * watermark and the raw rows above it (see rollup-source.ts). Rollups are written in the load's own
 * transaction, so the counts and the rows they count become visible together; and a roll-up
 * commits only while no query is reading rollups (`reading`, `commit`), so the watermarks a
 * query takes from memory are those of the snapshot it reads. The same goes for the copy of the
 * counts kept in memory (`counts`, see minute-counts.ts): a roll-up's rows are added to it as it
 * commits.
 */

/** A rollup bucket as a histogram interval. */
const ROLLUP_MINUTE: Interval = { kind: 'fixed', us: ROLLUP_STEP_US, text: '1m' };

/** SQL for the start of the minute of `"@timestamp"`, µs since the epoch. */
export const MINUTE_SQL = bucketSql(ROLLUP_MINUTE, '"@timestamp"');

/** Raw rows a partition gathers before they are rolled up (by default). */
export const ROLLUP_BATCH_ROWS = 50_000;

/** Rollup rows kept in memory (by default): 16 bytes each, about 32 MB. */
export const ROLLUP_MEMORY_ROWS = 2_000_000;

/** `field` of the rows that count every event, whatever its fields. */
export const ALL_EVENTS = '*';

export const DEFAULT_ROLLUP_FIELDS: readonly string[] = ['level', 'service', 'host'];

export const ROLLUP_SCHEMA = `CREATE TABLE IF NOT EXISTS _cairn_rollup (tbl VARCHAR NOT NULL, field VARCHAR NOT NULL, minute_us BIGINT NOT NULL, v VARCHAR, n BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS _cairn_rollup_marks (tbl VARCHAR PRIMARY KEY, seq_hi BIGINT NOT NULL, "rows" BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS _cairn_rollup_fields (tbl VARCHAR NOT NULL, field VARCHAR NOT NULL);
      CREATE TABLE IF NOT EXISTS _cairn_presence (tbl VARCHAR NOT NULL, minute_us BIGINT NOT NULL, field VARCHAR NOT NULL, n BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS _cairn_presence_marks (tbl VARCHAR PRIMARY KEY, seq_hi BIGINT NOT NULL);`;

interface Mark {
  /** Highest `_seq` rolled up, and how many rows that is. */
  seqHi: number;
  rows: number;
  /** Rollup fields whose counts cover every row up to `seqHi`. */
  fields: Set<string>;
  /** Whether the database also holds counts of fields no longer configured (dropped at the next roll-up). */
  unconfigured: boolean;
}

/** What one roll-up changed, applied to memory by `commit` once its transaction commits. */
export interface RollupChange {
  table: string;
  mark: Mark;
  /** Fields whose counts were deleted before `rows` were written (all but these, for `keepOnly`). */
  dropped: readonly string[];
  keepOnly: ReadonlySet<string> | null;
  /** The rollup rows written, by statement. */
  rows: readonly CountRows[];
  /** Highest `_seq` whose columns' presence is counted in `_cairn_presence` (see `presenceMark`). */
  presenceSeqHi: number;
}

/** Rollup rows as columns. */
interface CountRows {
  field: string[];
  minuteUs: number[];
  value: (string | null)[];
  n: number[];
}

/** The columns of `_cairn_rollup` a `CountRows` holds, in `countRows`' order. */
const COUNT_COLUMNS = 'field, minute_us, v, n';

/** Rollup rows from the first four columns of a result that selected COUNT_COLUMNS. */
function countRows(columns: unknown[][]): CountRows {
  const [fields = [], minutes = [], values = [], counts = []] = columns;
  return {
    field: fields.map(String),
    minuteUs: minutes.map(Number),
    value: values.map((v) => (v === null ? null : String(v))),
    n: counts.map(Number),
  };
}

export class Rollups {
  private readonly marks = new Map<string, Mark>();
  /** Per table, the highest `_seq` whose presence counts `_cairn_presence` holds. */
  private readonly presenceMarks = new Map<string, number>();
  /** Queries reading rollups now. */
  private readers = 0;
  /** Set while a roll-up commits: resolves when it is done. */
  private committingNow: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  private constructor(
    readonly fields: ReadonlySet<string>,
    readonly batchRows: number,
    /** The counts in memory; read them inside `reading`. */
    readonly counts: MinuteCounts,
  ) {}

  static async read(
    conn: DuckDBConnection,
    opts: { fields: readonly string[]; batchRows: number; memoryRows: number },
  ): Promise<Rollups> {
    const rollups = new Rollups(
      new Set(opts.fields),
      Math.max(1, opts.batchRows),
      new MinuteCounts(Math.max(0, opts.memoryRows)),
    );
    for (const row of await queryRows(conn, 'SELECT tbl, seq_hi, "rows" FROM _cairn_rollup_marks')) {
      rollups.marks.set(String(row['tbl']), {
        seqHi: Number(row['seq_hi']),
        rows: Number(row['rows']),
        fields: new Set(),
        unconfigured: false,
      });
    }
    for (const row of await queryRows(conn, 'SELECT tbl, seq_hi FROM _cairn_presence_marks'))
      rollups.presenceMarks.set(String(row['tbl']), Number(row['seq_hi']));
    for (const row of await queryRows(conn, 'SELECT tbl, field FROM _cairn_rollup_fields')) {
      // A field no longer configured stops counting as covered: rows rolled up while it was not
      // configured have no counts for it, so if it comes back its counts are rebuilt (see rollUp).
      const field = String(row['field']);
      const mark = rollups.marks.get(String(row['tbl']));
      if (!mark) continue;
      if (rollups.fields.has(field)) mark.fields.add(field);
      else mark.unconfigured = true;
    }
    const configured = [ALL_EVENTS, ...rollups.fields].map(quoteLiteral).join(', ');
    const reader = await conn.runAndReadAll(
      `SELECT ${COUNT_COLUMNS}, tbl FROM _cairn_rollup WHERE field IN (${configured})`,
    );
    const columns = reader.getColumnsJS();
    const rows = countRows(columns);
    const tables = columns[4] ?? [];
    for (let i = 0; i < tables.length; i++) {
      rollups.counts.add(String(tables[i]), rows.field[i]!, rows.minuteUs[i]!, rows.value[i]!, rows.n[i]!);
    }
    return rollups;
  }

  /** Runs a query that reads rollups: no roll-up commits until it is done. */
  async reading<T>(fn: () => Promise<T>): Promise<T> {
    while (this.committingNow) await this.committingNow;
    this.readers++;
    try {
      return await fn();
    } finally {
      this.readers--;
      if (this.readers === 0) this.drained?.();
    }
  }

  /**
   * Commits the caller's transaction and, when it rolled something up, applies `changes` to memory:
   * once the queries reading rollups are done, with new ones waiting, so that a query never pairs
   * one snapshot with another's watermarks. Loads are serialised by the store, so one roll-up
   * commits at a time.
   */
  async commit(conn: DuckDBConnection, changes: readonly RollupChange[]): Promise<void> {
    if (changes.length === 0) {
      await conn.run('COMMIT');
      return;
    }
    let done!: () => void;
    this.committingNow = new Promise((resolve) => {
      done = resolve;
    });
    try {
      if (this.readers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      await conn.run('COMMIT');
      for (const change of changes) {
        this.marks.set(change.table, change.mark);
        this.apply(change);
      }
    } finally {
      this.drained = null;
      this.committingNow = null;
      done();
    }
  }

  /** Applies a committed roll-up to the counts in memory, as its SQL applied it to the tables. */
  private apply({ table, dropped, keepOnly, rows, presenceSeqHi }: RollupChange): void {
    this.presenceMarks.set(table, presenceSeqHi);
    if (keepOnly) this.counts.dropAllBut(table, keepOnly);
    for (const field of dropped) this.counts.drop(table, field);
    for (const r of rows)
      for (let i = 0; i < r.field.length; i++)
        this.counts.add(table, r.field[i]!, r.minuteUs[i]!, r.value[i]!, r.n[i]!);
  }

  /** The highest `_seq` of `table` rolled up (0: none). Read it inside `reading`. */
  watermark(table: string): number {
    return this.marks.get(table)?.seqHi ?? 0;
  }

  /**
   * The highest `_seq` of `table` whose columns' presence (non-null values per column per minute)
   * `_cairn_presence` counts (0: none). Read it inside `reading`. Behind the watermark only for
   * partitions rolled up before presence was counted, until their next roll-up.
   */
  presenceMark(table: string): number {
    return this.presenceMarks.get(table) ?? 0;
  }

  /** Whether `table`'s presence counts lag its rollup (a data directory from before they existed). */
  presenceBehind(table: string): boolean {
    return this.presenceMark(table) < this.watermark(table);
  }

  /** Whether the rollup of `table` counts `field` for every row up to its watermark. */
  covers(table: string, field: string): boolean {
    return this.marks.get(table)?.fields.has(field) ?? false;
  }

  /** Whether `field` is counted for a rollup at all: queries on other fields scan rows. */
  isRollupField(field: string): boolean {
    return this.fields.has(field);
  }

  /** Rows of `table` the rollup counts. */
  rolledUp(table: string): number {
    return this.marks.get(table)?.rows ?? 0;
  }

  /** Rows of `partition` loaded but not rolled up yet, given it holds `rows` rows. */
  pending(table: string, rows: number): number {
    return rows - (this.marks.get(table)?.rows ?? 0);
  }

  /** Whether a partition holding `rows` rows has gathered enough raw rows to roll them up. */
  due(table: string, rows: number): boolean {
    return this.pending(table, rows) >= this.batchRows;
  }

  /**
   * Rolls up the rows of `partition` above its watermark, up to `seqHi` (its highest `_seq`, with
   * `rows` rows in all), inside the caller's transaction. Fields the partition gained since the
   * last roll-up are counted over all its rows (earlier rows have no value, and count as missing).
   * Pass the result to `commit`.
   */
  async rollUp(
    conn: DuckDBConnection,
    catalog: Catalog,
    partition: Partition,
    columns: ReadonlySet<string>,
    seqHi: number,
    rows: number,
  ): Promise<RollupChange> {
    const table = partition.table;
    const old = this.marks.get(table);
    const from = old?.seqHi ?? 0;
    const rolled = [...this.fields].filter((f) => {
      const def = catalog.fields.get(f);
      return columns.has(f) && def?.type === 'string' && !def.list;
    });
    // A partition's first roll-up counts every field in its one scan.
    const known = old ? rolled.filter((f) => old.fields.has(f)) : rolled;
    const added = old ? rolled.filter((f) => !old.fields.has(f)) : [];
    const source = quoteIdent(table);
    const counted: CountRows[] = [];
    const collect = async (sql: string) => {
      const reader = await conn.runAndReadAll(`${sql} RETURNING ${COUNT_COLUMNS}`);
      counted.push(countRows(reader.getColumnsJS()));
    };
    let keepOnly: Set<string> | null = null;
    if (old?.unconfigured) {
      // Fields counted before but no longer configured: their counts stop here, so they go (a
      // field configured again later is counted afresh).
      keepOnly = new Set([ALL_EVENTS, ...this.fields]);
      const configured = [...keepOnly].map(quoteLiteral).join(', ');
      for (const t of ['_cairn_rollup', '_cairn_rollup_fields'])
        await conn.run(
          `DELETE FROM ${t} WHERE tbl = ${quoteLiteral(table)} AND field NOT IN (${configured})`,
        );
    }
    // Rows new since the watermark: every event, and the fields already rolled up.
    await collect(insertCounts(table, source, `_seq > ${from} AND _seq <= ${seqHi}`, known, true));
    // Fields new to the rollup: over every row up to seqHi.
    if (added.length > 0) {
      // Counts left from an earlier configuration that had the field are incomplete: start over.
      const names = added.map(quoteLiteral).join(', ');
      await conn.run(`DELETE FROM _cairn_rollup WHERE tbl = ${quoteLiteral(table)} AND field IN (${names})`);
      await conn.run(
        `DELETE FROM _cairn_rollup_fields WHERE tbl = ${quoteLiteral(table)} AND field IN (${names})`,
      );
      await collect(insertCounts(table, source, `_seq <= ${seqHi}`, added, false));
    }
    await conn.run('INSERT OR REPLACE INTO _cairn_rollup_marks VALUES ($1, $2, $3)', [table, seqHi, rows]);
    // Presence: from its own mark, which lags the rollup's in data directories from before it.
    const presenceFrom = this.presenceMark(table);
    const present = [...columns].filter((c) => !INTERNAL_COLUMNS.has(c)).sort();
    if (seqHi > presenceFrom && present.length > 0)
      await conn.run(insertPresence(table, source, `_seq > ${presenceFrom} AND _seq <= ${seqHi}`, present));
    await conn.run('INSERT OR REPLACE INTO _cairn_presence_marks VALUES ($1, $2)', [
      table,
      Math.max(seqHi, presenceFrom),
    ]);
    for (const f of old ? added : rolled)
      await conn.run('INSERT INTO _cairn_rollup_fields VALUES ($1, $2)', [table, f]);
    const fields = new Set([...(old?.fields ?? []), ...known, ...added]);
    return {
      table,
      mark: { seqHi, rows, fields, unconfigured: false },
      dropped: added,
      keepOnly,
      rows: counted,
      presenceSeqHi: Math.max(seqHi, presenceFrom),
    };
  }
}

/**
 * One scan of the rows matching `where`, grouped by minute alone (when `everyEvent`) and by minute
 * and each field, written as rollup rows.
 */
function insertCounts(
  table: string,
  source: string,
  where: string,
  fields: readonly string[],
  everyEvent: boolean,
): string {
  const sets = [...(everyEvent ? ['(m)'] : []), ...fields.map((f) => `(m, ${quoteIdent(f)})`)];
  const fieldName =
    fields.length === 0
      ? quoteLiteral(ALL_EVENTS)
      : `CASE ${fields.map((f) => `WHEN GROUPING(${quoteIdent(f)}) = 0 THEN ${quoteLiteral(f)}`).join(' ')} ELSE ${quoteLiteral(ALL_EVENTS)} END`;
  const value =
    fields.length === 0
      ? 'NULL'
      : `coalesce(${fields.map((f) => `CASE WHEN GROUPING(${quoteIdent(f)}) = 0 THEN ${quoteIdent(f)} END`).join(', ')})`;
  const columns = fields.map((f) => `, ${quoteIdent(f)}`).join('');
  return `INSERT INTO _cairn_rollup SELECT ${quoteLiteral(table)}, ${fieldName}, m, ${value}, count(*) FROM (SELECT ${MINUTE_SQL} AS m${columns} FROM ${source} WHERE ${where}) GROUP BY GROUPING SETS (${sets.join(', ')})`;
}

/**
 * Presence counts of the rows matching `where`: per minute, how many have a value in each of
 * `columns`, as `_cairn_presence` rows (none for a count of zero). The field list adds these up
 * rather than reading every column of every row in its range.
 */
function insertPresence(table: string, source: string, where: string, columns: readonly string[]): string {
  const names = columns.map(quoteLiteral).join(', ');
  const counts = columns.map((c) => `count(${quoteIdent(c)})`).join(', ');
  const perMinute = `SELECT m, [${names}] AS f, [${counts}] AS c FROM (SELECT ${MINUTE_SQL} AS m, ${columns.map(quoteIdent).join(', ')} FROM ${source} WHERE ${where}) GROUP BY m`;
  return `INSERT INTO _cairn_presence SELECT ${quoteLiteral(table)}, m, field, n FROM (SELECT m, unnest(f) AS field, unnest(c) AS n FROM (${perMinute})) WHERE n > 0`;
}
