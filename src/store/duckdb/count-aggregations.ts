import type { QueryNode } from '../../query/ast.js';
import type {
  AggregateRequest,
  AggregateResult,
  Aggregation,
  AggregationResult,
  HistogramBucket,
  NamedAggregations,
  TermsBucket,
} from '../store.js';
import { emptyResult, termsSize } from './aggregation-results.js';
import { quoteIdent, quoteLiteral } from './catalog.js';
import { compileWhere } from './compile-where.js';
import { queryRows, type SqlParam } from './connection.js';
import type { QueryContext } from './duckdb-store.js';
import { bucketStart, bucketStarts, histogramInterval } from './intervals.js';
import type { MinuteCounts } from './minute-counts.js';
import { ALL_EVENTS, MINUTE_SQL, ROLLUP_STEP_US } from './rollup.js';
import { type RollupPlan, rawBranches } from './rollup-source.js';

/**
 * Counting aggregations (terms, date histograms over `@timestamp`, nested) answered in JS from the
 * minute counts in memory: the rows of a rollup request are (minute, value, events) triples, from
 * memory for the rolled-up whole minutes and from one grouped SQL query for the raw rest (rows not
 * rolled up yet, partial minutes at the ends of the range), and the query, which tests the rollup
 * field alone (rollupPlan made sure), becomes a verdict per distinct value. Once the verdicts of a
 * query are known and every row is rolled up, a request runs no SQL at all.
 *
 * Answers are those of the SQL over the same relation (aggregate.ts): the same ranking and ties
 * (`n DESC, k ASC` in UTF-8 byte order), the same "other" counts and empty buckets.
 */

/** The rows a request counts, as columns: minute start, value (an index into `names`) and events. */
interface Rows {
  minuteUs: Float64Array;
  id: Int32Array;
  n: Float64Array;
  length: number;
  /** The field's values (null: events without it). */
  names: (string | null)[];
}

function allocateRows(capacity: number, names: (string | null)[]): Rows {
  return {
    minuteUs: new Float64Array(capacity),
    id: new Int32Array(capacity),
    n: new Float64Array(capacity),
    length: 0,
    names,
  };
}

/** Distinct queries whose verdicts are remembered, per store. */
const VERDICT_QUERIES = 256;

/** Per store (keyed by its counts): query and field → whether each value matches. */
const verdictCaches = new WeakMap<MinuteCounts, Map<string, Map<string | null, boolean>>>();

/**
 * Answers a planned rollup request from the counts in memory; null when some partition's counts
 * are not all held there (too many for memory), and the SQL over `_cairn_rollup` must answer.
 * Run it inside `Rollups.reading`.
 */
export async function countFromMemory(
  ctx: QueryContext,
  req: AggregateRequest,
  plan: RollupPlan,
): Promise<AggregateResult | null> {
  const { counts } = ctx.rollups;
  const field = plan.field?.name ?? null;
  // Per partition, the counts standing for it: its field's, or (where every event rolled up lacks
  // the field) its per-minute event counts.
  const sources = ctx.source.partitions.map((p) => ({
    table: p.table,
    field: field !== null && ctx.rollups.covers(p.table, field) ? field : ALL_EVENTS,
  }));
  if (!sources.every((s) => counts.holds(s.table, s.field))) return null;

  // Value ids: those of the field's dictionary (null has one too), then the raw rows' new values.
  const names = field === null ? [] : [...counts.values(field)];
  let nullId = names.indexOf(null);
  if (nullId < 0) nullId = names.push(null) - 1;
  const lo = plan.lo / ROLLUP_STEP_US;
  const hi = plan.hi / ROLLUP_STEP_US;
  const columns = sources.map((s) => ({
    counted: s.field !== ALL_EVENTS,
    c: counts.columns(s.table, s.field),
  }));
  const held = allocateRows(
    columns.reduce((n, { c }) => n + (c?.length ?? 0), 0),
    names,
  );
  for (const { counted, c } of columns) {
    if (!c) continue;
    for (let i = 0; i < c.length; i++) {
      const m = c.minutes[i]!;
      if (m < lo || m >= hi) continue;
      const j = held.length++;
      held.minuteUs[j] = m * ROLLUP_STEP_US;
      held.id[j] = counted ? c.ids[i]! : nullId;
      held.n[j] = c.n[i]!;
    }
  }
  const rows = await withRawRows(ctx, req, plan, field, held);
  const keep = req.query ? await verdicts(ctx, req.query, field, names) : null;
  const all = new Int32Array(rows.length);
  let matched = 0;
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    if (keep && !keep[rows.id[i]!]) continue;
    all[matched++] = i;
    total += rows.n[i]!;
  }
  return { total, aggs: evaluate(req.aggs, rows, all.subarray(0, matched), req.range) };
}

/**
 * `rows` and the raw rows of the request (not rolled up yet, or in a partial minute), grouped by
 * minute and value.
 */
async function withRawRows(
  ctx: QueryContext,
  req: AggregateRequest,
  plan: RollupPlan,
  field: string | null,
  rows: Rows,
): Promise<Rows> {
  const branches = rawBranches(ctx, field, req.range, plan, (value) => `SELECT "@timestamp", ${value} AS v`);
  if (branches.length === 0) return rows;
  const sql = `SELECT ${MINUTE_SQL} AS m, v, count(*)::BIGINT AS n FROM (${branches.join(' UNION ALL ')}) WHERE "@timestamp" >= make_timestamp($1::BIGINT) AND "@timestamp" < make_timestamp($2::BIGINT) GROUP BY ALL`;
  const found = await queryRows(ctx.conn, sql, [Math.trunc(req.range.fromUs), Math.trunc(req.range.toUs)]);
  if (found.length === 0) return rows;
  const out = allocateRows(rows.length + found.length, rows.names);
  out.minuteUs.set(rows.minuteUs.subarray(0, rows.length));
  out.id.set(rows.id.subarray(0, rows.length));
  out.n.set(rows.n.subarray(0, rows.length));
  out.length = rows.length;
  const ids = new Map(out.names.map((v, i) => [v, i]));
  for (const row of found) {
    const v = row['v'] === null ? null : String(row['v']);
    let id = ids.get(v);
    if (id === undefined) {
      id = out.names.push(v) - 1;
      ids.set(v, id);
    }
    const j = out.length++;
    out.minuteUs[j] = Number(row['m']);
    out.id[j] = id;
    out.n[j] = Number(row['n']);
  }
  return out;
}

/**
 * Whether `query` matches an event whose rollup field is each of `values` (null: the event lacks
 * it), by index. DuckDB decides, with the query compiled as for rows, over a one-column relation of
 * the values it has not decided yet for this query; the verdicts are kept, as a value's never
 * changes.
 */
async function verdicts(
  ctx: QueryContext,
  query: QueryNode,
  field: string | null,
  values: readonly (string | null)[],
): Promise<Uint8Array> {
  let caches = verdictCaches.get(ctx.rollups.counts);
  if (!caches) {
    caches = new Map();
    verdictCaches.set(ctx.rollups.counts, caches);
  }
  const key = `${field}\u0000${JSON.stringify(query)}`;
  let known = caches.get(key);
  if (known) {
    // Most recently used last: the oldest query is the first to go.
    caches.delete(key);
  } else {
    known = new Map();
    if (caches.size >= VERDICT_QUERIES) caches.delete(caches.keys().next().value!);
  }
  caches.set(key, known);
  const unknown = values.filter((v) => !known.has(v));
  if (unknown.length > 0) await decide(ctx, query, field, unknown, known);
  return Uint8Array.from(values, (v) => (known.get(v) ? 1 : 0));
}

/** Adds the verdicts of `query` on `unknown` values to `known`. */
async function decide(
  ctx: QueryContext,
  query: QueryNode,
  field: string | null,
  unknown: readonly (string | null)[],
  known: Map<string | null, boolean>,
): Promise<void> {
  const params: SqlParam[] = [];
  const where = compileWhere(query, { resolver: ctx.source.resolver, params, nowUs: ctx.nowUs });
  const col = field === null ? '_cairn_none' : quoteIdent(field);
  const list = unknown.map((v, i) => `(${i}, ${v === null ? 'NULL' : quoteLiteral(v)})`).join(', ');
  const sql = `SELECT i FROM (SELECT i, v::VARCHAR AS ${col} FROM (VALUES ${list}) AS t(i, v)) AS e WHERE (${where})`;
  const matched = new Set((await queryRows(ctx.conn, sql, params)).map((row) => Number(row['i'])));
  for (const [i, v] of unknown.entries()) known.set(v, matched.has(i));
}

/** Evaluates `aggs` over the rows `idx` of `rows`. */
function evaluate(
  aggs: NamedAggregations,
  rows: Rows,
  idx: Int32Array | number[],
  range: { fromUs: number; toUs: number },
): Record<string, AggregationResult> {
  const out: Record<string, AggregationResult> = {};
  for (const [name, agg] of Object.entries(aggs)) out[name] = evaluateOne(agg, rows, idx, range);
  return out;
}

function evaluateOne(
  agg: Aggregation,
  rows: Rows,
  idx: Int32Array | number[],
  range: { fromUs: number; toUs: number },
): AggregationResult {
  switch (agg.kind) {
    case 'terms':
      return terms(agg, rows, idx, range);
    case 'date_histogram':
      return histogram(agg, rows, idx, range);
    default:
      // rollupPlan admits counting aggregations only.
      throw new Error(`${agg.kind} cannot be answered from minute counts`);
  }
}

interface Group {
  n: number;
  /** The group's rows, when sub-aggregations need them. */
  idx: number[] | null;
}

/**
 * Groups the rows `idx` by `key` (an integer below `size`, or -1: no group), keeping each group's
 * rows when `keepRows`.
 */
function groupBy(
  idx: Int32Array | number[],
  n: Float64Array,
  size: number,
  keepRows: boolean,
  key: (i: number) => number,
): (Group | undefined)[] {
  const groups: (Group | undefined)[] = new Array(size);
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j]!;
    const k = key(i);
    if (k < 0) continue;
    const g = groups[k];
    if (g) {
      g.n += n[i]!;
      g.idx?.push(i);
    } else groups[k] = { n: n[i]!, idx: keepRows ? [i] : null };
  }
  return groups;
}

function hasAggs(aggs: NamedAggregations | undefined): aggs is NamedAggregations {
  return aggs !== undefined && Object.keys(aggs).length > 0;
}

/** Sub-aggregations of a bucket: computed over its rows, or empty when it has none. */
function subAggregations(
  aggs: NamedAggregations | undefined,
  rows: Rows,
  group: Group | undefined,
  range: { fromUs: number; toUs: number },
): Record<string, AggregationResult> | undefined {
  if (!hasAggs(aggs)) return undefined;
  if (group?.idx) return evaluate(aggs, rows, group.idx, range);
  const out: Record<string, AggregationResult> = {};
  for (const [name, sub] of Object.entries(aggs)) out[name] = emptyResult(sub);
  return out;
}

function terms(
  agg: Extract<Aggregation, { kind: 'terms' }>,
  rows: Rows,
  idx: Int32Array | number[],
  range: { fromUs: number; toUs: number },
): AggregationResult {
  const size = termsSize(agg);
  const { names } = rows;
  const groups = groupBy(idx, rows.n, names.length, hasAggs(agg.aggs), (i) => {
    const id = rows.id[i]!;
    return names[id] === null ? -1 : id;
  });
  const ranked: [string, Group][] = [];
  let values = 0;
  groups.forEach((g, id) => {
    if (!g) return;
    ranked.push([names[id]!, g]);
    values += g.n;
  });
  ranked.sort(termsOrder(agg.order));
  const buckets: TermsBucket[] = [];
  for (const [key, g] of ranked.slice(0, size)) {
    const bucket: TermsBucket = { key, count: g.n };
    const aggs = subAggregations(agg.aggs, rows, g, range);
    if (aggs) bucket.aggs = aggs;
    buckets.push(bucket);
    values -= g.n;
  }
  return { kind: 'terms', buckets, otherCount: values };
}

/** The SQL path's terms orders (aggregate.ts): counts break ties by key, keys in UTF-8 byte order. */
function termsOrder(
  order: Extract<Aggregation, { kind: 'terms' }>['order'],
): (a: [string, Group], b: [string, Group]) => number {
  switch (order ?? 'count_desc') {
    case 'count_desc':
      return (a, b) => b[1].n - a[1].n || compareUtf8(a[0], b[0]);
    case 'count_asc':
      return (a, b) => a[1].n - b[1].n || compareUtf8(a[0], b[0]);
    case 'key_asc':
      return (a, b) => compareUtf8(a[0], b[0]);
    case 'key_desc':
      return (a, b) => compareUtf8(b[0], a[0]);
  }
}

/**
 * Compares strings as DuckDB compares VARCHARs, by UTF-8 bytes, which is code point order. JS
 * compares UTF-16 units, which differs only where a surrogate (a code point above U+FFFF) meets
 * a unit from U+E000 to U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function histogram(
  agg: Extract<Aggregation, { kind: 'date_histogram' }>,
  rows: Rows,
  idx: Int32Array | number[],
  range: { fromUs: number; toUs: number },
): AggregationResult {
  const interval = histogramInterval(agg, range);
  // Buckets are whole minutes (rollupPlan made sure), so a minute's bucket is that of its events;
  // every minute counted lies in the range, hence in one of its buckets.
  const starts = bucketStarts(interval, range);
  const first = starts[0] ?? 0;
  const index = interval.kind === 'fixed' ? null : new Map(starts.map((k, i) => [k, i]));
  const groups = groupBy(idx, rows.n, starts.length, hasAggs(agg.aggs), (i) => {
    const m = rows.minuteUs[i]!;
    // Fixed intervals: the bucket's position is arithmetic.
    const k =
      interval.kind === 'fixed'
        ? Math.floor((m - first) / interval.us)
        : (index!.get(bucketStart(interval, m)) ?? -1);
    if (k < 0 || k >= starts.length) throw new Error(`minute ${m} lies outside the histogram's range`);
    return k;
  });
  const buckets = starts.map((keyUs, i): HistogramBucket => {
    const g = groups[i];
    const bucket: HistogramBucket = { keyUs, count: g?.n ?? 0 };
    const aggs = subAggregations(agg.aggs, rows, g, range);
    if (aggs) bucket.aggs = aggs;
    return bucket;
  });
  return { kind: 'date_histogram', interval: interval.text, buckets };
}
