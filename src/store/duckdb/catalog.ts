import type { FieldType } from '../../model/event.js';

/** Columns every partition table has, in this order. */
export const BASE_COLUMNS: readonly ColumnDef[] = [
  { name: '@timestamp', type: 'timestamp', list: false },
  { name: '_seq', type: 'number', list: false },
  { name: '_id', type: 'string', list: false },
  { name: 'stream', type: 'string', list: false },
  { name: 'message', type: 'string', list: false },
  { name: 'level', type: 'string', list: false },
  { name: 'service', type: 'string', list: false },
  { name: 'host', type: 'string', list: false },
  { name: '_extra', type: 'string', list: false },
];

/**
 * Internal columns that are not event fields; an event field of one of these names is kept in `_extra`.
 * `_cairn_partition` is never stored: searches add it to tell which partition a row came from.
 */
export const INTERNAL_COLUMNS = new Set(['_seq', '_id', '_extra', '_cairn_partition']);

/** Fields matched as analysed text (tokens, case-insensitive); every other string is a keyword. */
export const TEXT_FIELDS = new Set(['message', 'error.message', 'error.stack_trace']);

export interface ColumnDef {
  name: string;
  type: FieldType;
  list: boolean;
}

export interface Partition {
  table: string;
  stream: string;
  /** UTC day start, µs since epoch. */
  dayUs: number;
  minUs: number;
  maxUs: number;
  /** Rows loaded into DuckDB (queries see these). */
  rows: number;
  /** Columns the DuckDB table has. */
  columns: Set<string>;
  /** Whether the DuckDB table exists yet (a partition is born in the write-ahead log). */
  inDb: boolean;
  /** Characters of string values per field seen by this process, to pick zstd for long text. */
  textChars: Map<string, number>;
  textRows: number;
}

export const DAY_US = 86_400_000_000;

export function dayOf(timestampUs: number): number {
  return Math.floor(timestampUs / DAY_US) * DAY_US;
}

/** The SQL type of a column. `_seq` is an integer; timestamps are DuckDB TIMESTAMP (µs). */
export function sqlType(col: ColumnDef): string {
  const base =
    col.name === '_seq'
      ? 'BIGINT'
      : col.type === 'number'
        ? 'DOUBLE'
        : col.type === 'boolean'
          ? 'BOOLEAN'
          : col.type === 'timestamp'
            ? 'TIMESTAMP'
            : 'VARCHAR';
  return col.list ? `${base}[]` : base;
}

/** The type read_ndjson parses a value as before conversion (timestamps travel as µs integers). */
export function transportType(col: ColumnDef): string {
  if (col.type === 'timestamp' && !col.list) return 'BIGINT';
  return sqlType(col);
}

/**
 * Column DDL. Long free text (messages, stack traces, user agents) is stored with zstd, which
 * compresses it 2–3× better than DuckDB's default dictionary/FSST and scans it as fast; short
 * repetitive strings keep the default.
 */
export function columnDdl(col: ColumnDef, opts: { longText: boolean }): string {
  const zstd = col.type === 'string' && !col.list && opts.longText;
  return `${quoteIdent(col.name)} ${sqlType(col)}${zstd ? ' USING COMPRESSION zstd' : ''}`;
}

/** Average characters per value above which a string column is treated as long text. */
export const LONG_TEXT_CHARS = 32;

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The in-memory view of what is stored: the global field registry (one type per field name across
 * all streams, first seen wins, as an Elasticsearch index pattern would want) and the partitions.
 * Persisted in the `_cairn_fields` and `_cairn_partitions` tables by the store.
 */
export class Catalog {
  readonly fields = new Map<string, ColumnDef>();
  readonly partitions = new Map<string, Partition>();
  private nextTableId = 1;

  constructor(readonly maxColumns: number) {
    for (const col of BASE_COLUMNS) this.fields.set(col.name, col);
  }

  partitionKey(stream: string, dayUs: number): string {
    return `${stream}\u0000${dayUs}`;
  }

  partitionByTable(table: string): Partition | undefined {
    for (const p of this.partitions.values()) if (p.table === table) return p;
    return undefined;
  }

  findPartition(stream: string, dayUs: number): Partition | undefined {
    return this.partitions.get(this.partitionKey(stream, dayUs));
  }

  addPartition(p: Partition): void {
    this.partitions.set(this.partitionKey(p.stream, p.dayUs), p);
    const id = Number(p.table.slice(2));
    if (id >= this.nextTableId) this.nextTableId = id + 1;
  }

  removePartition(p: Partition): void {
    this.partitions.delete(this.partitionKey(p.stream, p.dayUs));
  }

  newTableName(): string {
    return `p_${this.nextTableId++}`;
  }

  /** Whether a new typed column may still be added. */
  hasRoomForColumn(): boolean {
    return this.fields.size < this.maxColumns;
  }

  /** Partitions overlapping a time range, optionally restricted to streams. */
  select(range: { fromUs: number; toUs: number }, streams?: string[]): Partition[] {
    const wanted = streams && streams.length > 0 ? new Set(streams) : null;
    const out: Partition[] = [];
    for (const p of this.partitions.values()) {
      if (wanted && !wanted.has(p.stream)) continue;
      if (p.rows === 0) continue;
      if (p.maxUs < range.fromUs || p.minUs >= range.toUs) continue;
      out.push(p);
    }
    return out.sort((a, b) => a.dayUs - b.dayUs || a.stream.localeCompare(b.stream));
  }
}
