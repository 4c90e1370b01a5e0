import { CairnError } from '../../model/errors.js';
import { formatTimestamp } from '../../model/timestamp.js';
import type { Hit, SearchRequest, SearchResult, SortKey } from '../store.js';
import { formatSeqId } from './batch-encoder.js';
import { quoteIdent } from './catalog.js';
import { queryRows, type SqlParam } from './connection.js';
import type { QueryContext } from './duckdb-store.js';
import { PARTITION_TAG, taggedFrom, whereOf } from './query-source.js';
import { MAX_CANDIDATE_SHARE } from './skip-index.js';

const DEFAULT_SORT: SortKey[] = [{ field: '@timestamp', order: 'desc' }];
const DEFAULT_TOTAL_CAP = 10_000;
/**
 * The most matches a time-sorted search reads into memory (time, sequence number, partition) to
 * answer from them alone. A search asking for an exact total past this many counts and pages them
 * inside DuckDB (`countAndPage`): carrying 728,642 matches of `level:ERROR` out of it took a second.
 */
const GATHER_MAX = 10_000;

/**
 * A cursor pins the snapshot (the last sequence number committed when the first page was read), so
 * pages stay stable while ingestion goes on. Time-sorted pages continue after the last (time, seq)
 * seen; other sorts page by offset within the same snapshot.
 */
interface Cursor {
  m: number;
  t?: number;
  s?: number;
  o?: number;
}

export async function runSearch(ctx: QueryContext, req: SearchRequest): Promise<SearchResult> {
  const cursor = req.cursor ? decodeCursor(req.cursor) : null;
  if (ctx.source.partitions.length === 0)
    return { hits: [], total: { value: 0, relation: 'eq' }, nextCursor: null };

  const sort = req.sort && req.sort.length > 0 ? req.sort : DEFAULT_SORT;
  for (const key of sort) {
    if (key.field !== '@timestamp' && !ctx.source.resolver.column(key.field)) {
      throw new CairnError('bad_request', `Cannot sort on field "${key.field}": no event in range has it`, {
        details: { field: key.field },
      });
    }
  }
  const timeSorted = sort.length === 1 && sort[0]!.field === '@timestamp';
  const order = sort[0]!.order === 'asc' ? 'ASC' : 'DESC';
  const snapshot = cursor?.m ?? ctx.committedSeq;

  const { where, params } = whereOf(ctx, req.range, req.query);
  params.push(snapshot);
  const base = `${where} AND e._seq <= $${params.length}`;
  // A needle search the skip index narrowed to few blocks reads little anyway: probing time windows
  // would only repeat that work. Windows pay off for broad queries.
  const share = ctx.source.narrowed?.share;
  const probeWindows = timeSorted && (share === undefined || share > MAX_CANDIDATE_SHARE);
  const tagged = taggedFrom(ctx.source);

  const pageParams = [...params];
  let page = base;
  if (timeSorted && cursor?.t !== undefined && cursor.s !== undefined) {
    pageParams.push(cursor.t, cursor.s);
    const t = `make_timestamp($${pageParams.length - 1}::BIGINT)`;
    const cmp = order === 'DESC' ? '<' : '>';
    page += ` AND (e."@timestamp" ${cmp} ${t} OR (e."@timestamp" = ${t} AND e._seq ${cmp} $${pageParams.length}))`;
  }
  const orderBy = timeSorted
    ? `e."@timestamp" ${order}, e._seq ${order}`
    : `${sort.map((k) => `e.${quoteIdent(k.field)} ${k.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`).join(', ')}, e._seq DESC`;
  const offset = timeSorted ? 0 : (cursor?.o ?? 0);
  const limit = Math.max(0, Math.floor(req.limit));

  // Two phases: find the page's rows reading only the filtered and sorted columns, then fetch whole
  // rows by `_seq` (zone maps skip everything else). Materialising every column of every candidate
  // row before the filter and the top-N would cost far more on wide tables.
  const sortCols = timeSorted ? '' : sort.map((k) => `, e.${quoteIdent(k.field)}`).join('');
  const pageSql = (extra: string) =>
    `SELECT e._seq AS s, e.${PARTITION_TAG} AS p${sortCols} FROM ${tagged} WHERE ${page}${extra} ORDER BY ${orderBy} LIMIT ${limit + 1} OFFSET ${offset}`;
  const cap = req.totalCap ?? DEFAULT_TOTAL_CAP;
  const matchAll = req.query === null || req.query.kind === 'match_all';
  let pageRows: Record<string, unknown>[];
  let n: number;
  // The page of a time-sorted search matching more than the cap: probed for in windows, from the
  // cursor rather than the end of the range (a deep page's rows lie just past it), unless the skip
  // index narrowed it to few blocks, which one top-N reads anyway.
  const pageOfMany = (): Promise<Record<string, unknown>[]> => {
    if (!probeWindows) return queryRows(ctx.conn, pageSql(''), pageParams);
    const t = cursor?.t;
    const span =
      order === 'DESC'
        ? {
            fromUs: req.range.fromUs,
            toUs: t === undefined ? req.range.toUs : Math.min(req.range.toUs, t + 1),
          }
        : {
            fromUs: t === undefined ? req.range.fromUs : Math.max(req.range.fromUs, t),
            toUs: req.range.toUs,
          };
    const widthUs = matchAll ? densityWidth(ctx, limit + 1) : null;
    return newestFirst(ctx, { span, widthUs }, order, pageSql, pageParams, limit + 1);
  };
  // Counting without reading the rows: every event when it matches all, and the matches of other
  // sorts.
  const countUpToCap = async () =>
    Number(
      (
        await queryRows(
          ctx.conn,
          `SELECT count(*)::BIGINT AS n FROM (SELECT 1 FROM ${ctx.source.from} WHERE ${base} LIMIT ${cap + 1})`,
          params,
        )
      )[0]?.['n'] ?? 0,
    );
  if (timeSorted && matchAll) {
    n = await countUpToCap();
    pageRows = n <= cap ? await queryRows(ctx.conn, pageSql(''), pageParams) : await pageOfMany();
  } else if (timeSorted && cap > GATHER_MAX) {
    // An exact total asked for past GATHER_MAX: the matches' times stay in DuckDB, which counts
    // them and picks the page in the same scan (a phrase or a regex is costly to test twice).
    const counted = await countAndPage(ctx, { tagged, base, params, cap, cursor, order, want: limit + 1 });
    n = counted.n;
    pageRows = n <= cap ? counted.page : await pageOfMany();
  } else if (timeSorted) {
    // One scan gathers the time and sequence number of up to cap + 1 matches. When that is all of
    // them (needle searches: a rare token, an IP range, a phrase) it is both the exact total and
    // everything the page needs, so nothing is scanned twice; a common term stops it early.
    const matches = await queryRows(
      ctx.conn,
      `SELECT epoch_us(e."@timestamp") AS t, e._seq AS s, e.${PARTITION_TAG} AS p FROM ${tagged} WHERE ${base} LIMIT ${cap + 1}`,
      params,
    );
    n = matches.length;
    pageRows = n <= cap ? pageOfMatches(matches, cursor, order, limit + 1) : await pageOfMany();
  } else {
    [pageRows, n] = await Promise.all([queryRows(ctx.conn, pageSql(''), pageParams), countUpToCap()]);
  }
  const refs = pageRows.slice(0, limit).map((r) => ({ seq: Number(r['s']), partition: Number(r['p']) }));
  const rows = refs.length > 0 ? await fetchRows(ctx, refs) : [];

  const more = pageRows.length > limit;
  const hits = rows.map((row) => toHit(row, ctx));
  let nextCursor: string | null = null;
  if (more && hits.length > 0) {
    const last = rows[rows.length - 1]!;
    nextCursor = encodeCursor(
      timeSorted
        ? { m: snapshot, t: Number(last['@timestamp']), s: Number(last['_seq']) }
        : { m: snapshot, o: offset + limit },
    );
  }
  return {
    hits,
    total: n > cap ? { value: cap, relation: 'gte' } : { value: n, relation: 'eq' },
    nextCursor,
  };
}

/**
 * The number of matches of `base` (up to cap + 1) and the `want` first after the cursor, from one
 * scan whose matches' times and sequence numbers stay in DuckDB.
 */
async function countAndPage(
  ctx: QueryContext,
  o: {
    tagged: string;
    base: string;
    params: readonly SqlParam[];
    cap: number;
    cursor: Cursor | null;
    order: 'ASC' | 'DESC';
    want: number;
  },
): Promise<{ n: number; page: Record<string, unknown>[] }> {
  const params = [...o.params];
  let after = '';
  if (o.cursor?.t !== undefined && o.cursor.s !== undefined) {
    params.push(o.cursor.t, o.cursor.s);
    const [t, seq] = [`$${params.length - 1}::BIGINT`, `$${params.length}::BIGINT`];
    const cmp = o.order === 'DESC' ? '<' : '>';
    after = ` WHERE t ${cmp} ${t} OR (t = ${t} AND s ${cmp} ${seq})`;
  }
  const sorted = `t ${o.order}, s ${o.order}`;
  const matches = `SELECT epoch_us(e."@timestamp") AS t, e._seq AS s, e.${PARTITION_TAG} AS p FROM ${o.tagged} WHERE ${o.base} LIMIT ${o.cap + 1}`;
  const page = `SELECT list({'s': s::DOUBLE, 'p': p} ORDER BY ${sorted}) FROM (SELECT * FROM m${after} ORDER BY ${sorted} LIMIT ${o.want})`;
  const [row] = await queryRows(
    ctx.conn,
    `WITH m AS MATERIALIZED (${matches}) SELECT (SELECT count(*) FROM m)::BIGINT AS n, (${page}) AS page`,
    params,
  );
  return { n: Number(row?.['n'] ?? 0), page: (row?.['page'] as Record<string, unknown>[] | null) ?? [] };
}

/**
 * A time-sorted page picked from every match's time `t`, sequence number `s` and partition `p`: those
 * after the cursor, in (time, seq) order, `want` of them, as rows like the page query's.
 */
export function pageOfMatches(
  matches: readonly Record<string, unknown>[],
  cursor: Cursor | null,
  order: 'ASC' | 'DESC',
  want: number,
): Record<string, unknown>[] {
  const sign = order === 'DESC' ? -1 : 1;
  let list = matches.map((m) => ({ t: Number(m['t']), s: Number(m['s']), p: Number(m['p']) }));
  const ct = cursor?.t;
  const cs = cursor?.s;
  if (ct !== undefined && cs !== undefined)
    list = list.filter((m) => sign * (m.t - ct) > 0 || (m.t === ct && sign * (m.s - cs) > 0));
  list.sort((a, b) => sign * (a.t - b.t || a.s - b.s));
  return list.slice(0, want).map((m) => ({ s: m.s, p: m.p }));
}

/** Where a time-sorted page's rows are probed for: the times they can have, and the first window. */
interface ProbeWindows {
  span: { fromUs: number; toUs: number };
  /** The first window's width; null: a 64th of the span (the matches' density is unknown). */
  widthUs: number | null;
}

const MIN_WINDOW_US = 60_000_000;

/**
 * A time-sorted page of a broad query, probed for in windows at the near end of the span, each four
 * times as wide as the last, so that the top-N reads the newest rows rather than all of them.
 */
async function newestFirst(
  ctx: QueryContext,
  { span, widthUs }: ProbeWindows,
  order: 'ASC' | 'DESC',
  pageSql: (extra: string) => string,
  params: SqlParam[],
  want: number,
): Promise<Record<string, unknown>[]> {
  // Windows start at the newest (oldest) event the partitions hold, not at the range's end, which
  // often lies past the data ("the last 24 hours" of a source that stopped sending). Only the far
  // edge of a window is a condition, so events loaded since those bounds were read still count.
  const { oldest, newest } = heldEvents(ctx);
  const near =
    order === 'DESC'
      ? Math.max(span.fromUs, Math.min(span.toUs, newest + 1))
      : Math.min(span.toUs, Math.max(span.fromUs, oldest));
  const length = order === 'DESC' ? near - span.fromUs : span.toUs - near;
  let width = Math.max(MIN_WINDOW_US, widthUs ?? Math.floor((span.toUs - span.fromUs) / 64));
  for (;;) {
    if (width >= length) return queryRows(ctx.conn, pageSql(''), params);
    const edge = order === 'DESC' ? near - width : near + width;
    const clause =
      order === 'DESC'
        ? ` AND e."@timestamp" >= make_timestamp(${edge}::BIGINT)`
        : ` AND e."@timestamp" < make_timestamp(${edge}::BIGINT)`;
    const rows = await queryRows(ctx.conn, pageSql(clause), params);
    if (rows.length >= want) return rows;
    width *= 4;
  }
}

/**
 * A window that should hold `want` events when every event matches, from the partitions' rows per
 * µs of the time they cover (twice that, for uneven rates).
 */
function densityWidth(ctx: QueryContext, want: number): number | null {
  const { rows, oldest, newest } = heldEvents(ctx);
  if (rows === 0 || newest <= oldest) return null;
  return Math.ceil((2 * want * (newest - oldest)) / rows);
}

/** The rows the query's partitions hold and the times of their oldest and newest events. */
function heldEvents(ctx: QueryContext): { rows: number; oldest: number; newest: number } {
  let rows = 0;
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (const p of ctx.source.partitions) {
    rows += p.rows;
    oldest = Math.min(oldest, p.minUs);
    newest = Math.max(newest, p.maxUs);
  }
  return { rows, oldest, newest };
}

/**
 * Whole rows (as stored: timestamps in µs) of the newest `n` events in the range, newest first:
 * their times are found first, reading one column, then only those rows are read whole.
 */
export async function newestRows(
  ctx: QueryContext,
  range: { fromUs: number; toUs: number },
  n: number,
): Promise<Record<string, unknown>[]> {
  if (ctx.source.partitions.length === 0 || n <= 0) return [];
  const { where, params } = whereOf(ctx, range, null);
  const tagged = taggedFrom(ctx.source);
  const pageSql = (extra: string) =>
    `SELECT e._seq AS s, e.${PARTITION_TAG} AS p FROM ${tagged} WHERE ${where}${extra} ORDER BY e."@timestamp" DESC, e._seq DESC LIMIT ${n}`;
  const windows = { span: range, widthUs: densityWidth(ctx, n) };
  const page = await newestFirst(ctx, windows, 'DESC', pageSql, params, n);
  const refs = page.map((r) => ({ seq: Number(r['s']), partition: Number(r['p']) }));
  return refs.length > 0 ? fetchRows(ctx, refs) : [];
}

/** A hit to fetch: its sequence number and the index of its partition in the query's source. */
interface RowRef {
  seq: number;
  partition: number;
}

/**
 * Whole rows for the given hits, in that order. Each hit is read from its own partition's table,
 * through that table's `_seq` index (see `seqIndexSql`).
 */
async function fetchRows(ctx: QueryContext, refs: readonly RowRef[]): Promise<Record<string, unknown>[]> {
  const timestampCols = ctx.source.resolver.allColumns().filter((c) => c.type === 'timestamp' && !c.list);
  const byPartition = new Map<number, number[]>();
  for (const r of refs) {
    const seqs = byPartition.get(r.partition);
    if (seqs) seqs.push(r.seq);
    else byPartition.set(r.partition, [r.seq]);
  }
  const selects: string[] = [];
  for (const [index, seqs] of byPartition) {
    const p = ctx.source.partitions[index];
    if (!p) throw new Error(`search hit names partition ${index} of ${ctx.source.partitions.length}`);
    const replace = timestampCols
      .filter((c) => p.columns.has(c.name))
      .map((c) => `epoch_us(${quoteIdent(c.name)}) AS ${quoteIdent(c.name)}`);
    const select = `SELECT * REPLACE (${replace.join(', ')}) FROM ${quoteIdent(p.table)} AS e`;
    for (const lookup of seqLookups(seqs)) selects.push(`${select} WHERE ${lookup}`);
  }
  const bySeq = new Map<number, Record<string, unknown>>();
  for (const row of await queryRows(ctx.conn, selects.join(' UNION ALL BY NAME ')))
    bySeq.set(Number(row['_seq']), row);
  const out: Record<string, unknown>[] = [];
  for (const { seq } of refs) {
    const row = bySeq.get(seq);
    if (row) out.push(row);
  }
  return out;
}

/**
 * DuckDB looks rows up through an index only while a scan asks for at most this many
 * (`index_scan_max_count`, 2,048 by default); a longer `IN` list would scan the table.
 */
export const INDEX_LOOKUP_MAX = 2048;

/** Rows DuckDB decompresses together: reading one row of a vector costs what reading all does. */
const VECTOR_ROWS = 2048;

/** Hits no further apart than this may share a range read (about what one lookup costs to scan). */
const RUN_GAP = 8192;

/**
 * A run of hits is read as a range once it saves at least this many vector decompressions: a range
 * read costs a scan (3–7 ms) and each vector it touches, an index lookup each hit's vector (0.2–0.3 ms
 * on the demo data, most of it the zstd-compressed message).
 */
const RANGE_MIN_SHARED = 16;

/**
 * WHERE clauses that find the given rows. Scattered rows are looked up through the partition's
 * `_seq` index, at most INDEX_LOOKUP_MAX to a clause. Runs of hits that share vectors (a page of
 * a busy search) are read as one range scan, which decompresses each shared vector once: their
 * test is `list_contains`, since DuckDB would answer an `IN` list through the index even next to a
 * range (100 hits in 44,000 rows: 9–11 ms scanned, 15–21 ms looked up). Sequence numbers stand in
 * for row positions: other partitions' rows between them only make a run look sparser. They are
 * ours (integers), so they are written inline.
 */
export function seqLookups(seqs: readonly number[]): string[] {
  const sorted = [...seqs].sort((a, b) => a - b);
  const clauses: string[] = [];
  const lookups: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j]! - sorted[j - 1]! <= RUN_GAP) j++;
    const run = sorted.slice(i, j);
    const vectors = new Set(run.map((s) => Math.floor(s / VECTOR_ROWS))).size;
    if (run.length - vectors >= RANGE_MIN_SHARED)
      clauses.push(
        `e._seq BETWEEN ${run[0]} AND ${run.at(-1)} AND list_contains([${run.join(', ')}], e._seq)`,
      );
    else lookups.push(...run);
    i = j;
  }
  for (let i = 0; i < lookups.length; i += INDEX_LOOKUP_MAX) {
    const chunk = lookups.slice(i, i + INDEX_LOOKUP_MAX);
    clauses.push(chunk.length === 1 ? `e._seq = ${chunk[0]}` : `e._seq IN (${chunk.join(', ')})`);
  }
  return clauses;
}

function toHit(row: Record<string, unknown>, ctx: QueryContext): Hit {
  const fields: Record<string, unknown> = {};
  const resolver = ctx.source.resolver;
  for (const key in row) {
    const value = row[key];
    if (value === null || value === undefined) continue;
    switch (key) {
      case '@timestamp':
      case '_seq':
      case '_id':
      case '_extra':
      case 'stream':
        continue;
    }
    const col = resolver.column(key);
    fields[key] = col?.type === 'timestamp' && !col.list ? formatTimestamp(Number(value)) : value;
  }
  if (typeof row['_extra'] === 'string')
    Object.assign(fields, JSON.parse(row['_extra']) as Record<string, unknown>);
  return {
    id: typeof row['_id'] === 'string' ? row['_id'] : formatSeqId(Number(row['_seq'])),
    stream: String(row['stream']),
    timestampUs: Number(row['@timestamp']),
    fields,
  };
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.m === 'number') return c;
  } catch {
    // fall through to the error below
  }
  throw new CairnError(
    'bad_request',
    `Cannot use cursor "${text.slice(0, 40)}": it is not a cursor Cairn issued`,
    {
      details: { cursor: text },
    },
  );
}
