import type { DuckDBValue } from '@duckdb/node-api';
import { CairnError } from '../../../model/errors.js';
import { formatTimestamp } from '../../../model/timestamp.js';
import { type ColumnType, DEFAULT_QUERY_ROWS, type QueryRequest, type QueryResult } from '../../store.js';
import { BASE_COLUMNS, quoteIdent, sqlType } from '../catalog.js';
import type { QueryContext } from '../duckdb-store.js';
import { compilePipeline, type OutputColumn } from './compile-pipes.js';

/** An empty event table with the base columns, for a time range no partition overlaps. */
const NO_EVENTS = `(SELECT ${BASE_COLUMNS.map((c) => `CAST(NULL AS ${sqlType(c)}) AS ${quoteIdent(c.name)}`).join(', ')} WHERE FALSE) AS e`;

/** Runs a search with pipe commands and returns its table. */
export async function runPipeline(ctx: QueryContext, req: QueryRequest): Promise<QueryResult> {
  const rowLimit = Math.max(0, Math.floor(req.limit ?? DEFAULT_QUERY_ROWS));
  const hasEvents = ctx.source.partitions.length > 0;
  const compiled = compilePipeline({
    search: req.query,
    pipes: req.pipes,
    from: hasEvents ? ctx.source.from : NO_EVENTS,
    resolver: ctx.source.resolver,
    ...(hasEvents ? { prune: { partitions: ctx.source.partitions, skip: ctx.source.skip } } : {}),
    range: req.range,
    nowUs: ctx.nowUs,
    rowLimit,
  });
  throwIfAborted(req.signal);
  const reader = await ctx.conn.runAndReadAll(compiled.sql, compiled.params as DuckDBValue[]);
  throwIfAborted(req.signal);
  const raw = reader.getRowsJS();
  const truncated = raw.length > rowLimit;
  const rows = raw.slice(0, rowLimit).map((row) => compiled.columns.map((c, i) => toJson(row[i], c)));

  // Stored fields listed with returned events only when some returned row has them.
  const keep = compiled.columns.map((c, i) => !c.optional || rows.some((r) => r[i] !== null));
  return {
    columns: compiled.columns.filter((_, i) => keep[i]).map((c) => ({ name: c.name, type: columnType(c) })),
    rows: rows.map((r) => r.filter((_, i) => keep[i])),
    truncated,
  };
}

function columnType(c: OutputColumn): ColumnType {
  const t = c.column.type;
  return c.column.list && t !== 'null' ? `${t}[]` : t;
}

/** Plain JSON values: BIGINT as numbers (text beyond 2^53), timestamps as ISO 8601. */
function toJson(v: unknown, c: OutputColumn): unknown {
  if (v === null || v === undefined) return null;
  if (c.column.type === 'timestamp') {
    if (Array.isArray(v)) return v.map((x) => (x === null ? null : formatTimestamp(Number(x))));
    return formatTimestamp(Number(v));
  }
  return plain(v);
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  }
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CairnError('bad_request', 'The query was cancelled');
}
