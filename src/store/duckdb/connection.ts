import { availableParallelism } from 'node:os';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { CairnError } from '../../model/errors.js';
import { translateRegexError } from './compile-where.js';

/** JS values a query can bind; numbers that are integers bind as BIGINT-compatible doubles. */
export type SqlParam = string | number | boolean | bigint | null;

/** Opens the database file, translating "locked by another process" into an actionable error. */
export async function openDatabase(
  path: string,
  dataDir: string,
  memoryLimitMb: number,
): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(path, {
      threads: String(Math.max(2, availableParallelism())),
      // Needed for per-column zstd; the file is readable by this DuckDB version and later.
      storage_compatibility_version: 'latest',
      // DuckDB's buffer pool; the OS page cache holds the rest of the file.
      memory_limit: `${memoryLimitMb}MB`,
      // DuckDB's allocator (jemalloc) keeps freed pages for reuse: after each load and query larger
      // than this it hands them back to the OS, and a background thread returns the rest as they
      // age, so the resident set follows what is in use rather than the largest load so far.
      allocator_flush_threshold: '16MB',
      allocator_background_threads: 'true',
    });
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (/lock/i.test(text)) {
      const pid = /PID (\d+)/.exec(text)?.[1];
      throw new CairnError(
        'data_dir_locked',
        `Cannot open data directory "${dataDir}": it is in use by another Cairn process${pid ? ` (pid ${pid})` : ''}. ` +
          'Stop that process or start this one with a different --data-dir.',
        { cause: err, details: { dataDir, ...(pid ? { pid: Number(pid) } : {}) } },
      );
    }
    throw new CairnError('store_unavailable', `Cannot open the embedded store at "${path}": ${text}`, {
      cause: err,
    });
  }
}

/**
 * A connection for searches and aggregations. Every query Cairn reads results from in a given order
 * says so with ORDER BY, so these connections let DuckDB return rows in any order: a `LIMIT` over a
 * filtered scan then runs in parallel instead of keeping the table's order (a needle search over
 * millions of rows took 1.5–1.7× as long with it). Loads keep the default on the writer, so rows stay
 * in time order on disk and zone maps keep pruning.
 */
export async function openReader(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const conn = await instance.connect();
  await conn.run('SET SESSION preserve_insertion_order = false');
  return conn;
}

/** Runs a query and returns its rows as plain JS objects (BIGINT → number when safe). */
export async function queryRows(
  conn: DuckDBConnection,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql, params as DuckDBValue[]);
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
  for (const row of rows) {
    for (const key in row) {
      const v = row[key];
      if (typeof v === 'bigint') row[key] = bigintToNumber(v);
    }
  }
  return rows;
}

function bigintToNumber(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(v)
    : v.toString();
}

/** Translates a DuckDB error raised while running a user query. */
export function translateQueryError(err: unknown, what: string): CairnError {
  if (err instanceof CairnError) return err;
  const text = err instanceof Error ? err.message : String(err);
  if (/INTERRUPT/i.test(text)) return new CairnError('bad_request', `${what} was cancelled`, { cause: err });
  const regex = translateRegexError(err);
  if (regex) return regex;
  if (/Out of Memory Error/i.test(text)) {
    // Elasticsearch's circuit breakers answer 429 too: the request may fit once others finish.
    return new CairnError(
      'too_many_requests',
      `${what} needs more memory than the store's buffer pool allows (${text.split('\n')[0]}). ` +
        'Narrow the time range or the query, or raise store.memoryLimitMb (--memory-limit-mb).',
      { cause: err },
    );
  }
  if (/Conversion Error|Could not convert|Invalid Input Error/i.test(text)) {
    return new CairnError('invalid_query', `${what} failed: ${text.split('\n')[0]}`, { cause: err });
  }
  return new CairnError('internal', `${what} failed in the embedded store: ${text.split('\n')[0]}`, {
    cause: err,
  });
}

/** Serialises async work: DuckDB has one writer; appends and schema changes take turns. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
