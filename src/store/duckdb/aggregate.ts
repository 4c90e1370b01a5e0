import { assertNever, CairnError } from '../../model/errors.js';
import type {
  AggregateRequest,
  AggregateResult,
  Aggregation,
  AggregationResult,
  HistogramBucket,
  NamedAggregations,
  TermsBucket,
} from '../store.js';
import {
  DEFAULT_PERCENTS,
  emptyResult,
  emptyResults,
  formatPercent,
  termsSize,
} from './aggregation-results.js';
import { quoteIdent } from './catalog.js';
import type { ResolvedField } from './compile-where.js';
import { queryRows, type SqlParam } from './connection.js';
import { countFromMemory } from './count-aggregations.js';
import type { QueryContext } from './duckdb-store.js';
import { bucketSql, bucketStarts, histogramInterval } from './intervals.js';
import { fromOnly, type QuerySource, whereOf } from './query-source.js';
import { rollupContext, rollupPlan, WEIGHT } from './rollup-source.js';

type Key = string | number | boolean;

/** A bucket aggregation above the one being computed: its key expression and the keys it kept. */
interface Parent {
  expr: string;
  /** Keys to restrict to (terms parents); null = no restriction (histogram parents). */
  keys: Key[] | null;
  /** `expr` is a list (terms on a multi-valued field): an event falls in the bucket of each value. */
  list?: boolean;
}

interface Scope {
  ctx: QueryContext;
  where: string;
  params: SqlParam[];
  range: { fromUs: number; toUs: number };
  /**
   * The number of events the query matches, when a top-level aggregation counted every one of them
   * on its way (a histogram over `@timestamp`, terms on a single-valued field): the response's total
   * then costs no scan of its own.
   */
  total: number | null;
}

/** Counts the events of the rows in a group: one per row, or the rollup weights. */
function countAll(source: QuerySource): string {
  return source.weighted ? `coalesce(sum(e.${WEIGHT}), 0)::BIGINT` : 'count(*)::BIGINT';
}

/**
 * Runs a tree of aggregations. Each aggregation is one SQL query grouped by its parents' keys, so a
 * `terms → date_histogram` tree costs two queries however many buckets the terms level returns. The
 * total is counted by a query of its own only when no aggregation counted it already. Requests
 * that only count events by a rollup field (or by time) read the minute rollups: from memory
 * (count-aggregations.ts), or from DuckDB's copy when memory does not hold them all (rollup-source.ts).
 */
export async function runAggregations(ctx: QueryContext, req: AggregateRequest): Promise<AggregateResult> {
  if (ctx.source.partitions.length === 0) return { total: 0, aggs: emptyResults(req.aggs) };
  const plan = rollupPlan(ctx, req);
  if (!plan) return aggregate(ctx, req);
  return ctx.rollups.reading(
    async () => (await countFromMemory(ctx, req, plan)) ?? aggregate(rollupContext(ctx, req, plan), req),
  );
}

async function aggregate(ctx: QueryContext, req: AggregateRequest): Promise<AggregateResult> {
  const { where, params } = whereOf(ctx, req.range, req.query);
  const scope: Scope = { ctx, where, params, range: req.range, total: null };
  const table = await materializeMatches(scope, req);
  if (!table) return aggregateRows(scope, req.aggs);
  try {
    // No partitions and no skip index: the table holds exactly the matches, every column it has.
    const source: QuerySource = { ...ctx.source, partitions: [], skip: null, from: `${table} AS e` };
    delete source.narrowed;
    return await aggregateRows({ ...scope, ctx: { ...ctx, source }, where: 'TRUE', params: [] }, req.aggs);
  } finally {
    await ctx.conn.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}

/** Matches a filtered aggregation tree may copy into a temporary table (see materializeMatches). */
const MATERIALIZE_MAX_ROWS = 1_000_000;
let materialized = 0;

/**
 * A filtered tree of aggregations runs one scan per aggregation, each testing the query again: a
 * `terms → date_histogram` of `status:>=500` read the status of every event twice. When the query
 * matches at most MATERIALIZE_MAX_ROWS events, they are read once instead, with only the columns
 * the aggregations name, into a temporary table that every aggregation then reads; its name is
 * returned. Null when that does not pay (one aggregation, no query, rollup rows) or the query
 * matches more.
 */
async function materializeMatches(scope: Scope, req: AggregateRequest): Promise<string | null> {
  const { ctx } = scope;
  if (ctx.source.weighted || !req.query || req.query.kind === 'match_all') return null;
  if (countAggregations(req.aggs) < 2) return null;
  const columns = new Set(['@timestamp']);
  for (const name of aggregatedFields(req.aggs)) {
    const column = ctx.source.resolver.column(name) !== undefined;
    if (column) columns.add(name);
    // A field also (or only) kept in the overflow column is read from it.
    if (ctx.source.resolver.resolve(name).length > (column ? 1 : 0)) columns.add('_extra');
  }
  const table = `_cairn_matches_${++materialized}`;
  const select = [...columns].map((c) => `e.${quoteIdent(c)}`).join(', ');
  const [created] = await queryRows(
    ctx.conn,
    `CREATE TEMP TABLE ${table} AS SELECT ${select} FROM ${ctx.source.from} WHERE ${scope.where} LIMIT ${MATERIALIZE_MAX_ROWS + 1}`,
    scope.params,
  );
  // DuckDB answers CREATE TABLE … AS with the number of rows written.
  if (Number(created?.['Count'] ?? 0) > MATERIALIZE_MAX_ROWS) {
    await ctx.conn.run(`DROP TABLE IF EXISTS ${table}`);
    return null;
  }
  return table;
}

function countAggregations(aggs: NamedAggregations | undefined): number {
  let n = 0;
  for (const agg of Object.values(aggs ?? {})) n += 1 + ('aggs' in agg ? countAggregations(agg.aggs) : 0);
  return n;
}

function aggregatedFields(aggs: NamedAggregations | undefined, out = new Set<string>()): Set<string> {
  for (const agg of Object.values(aggs ?? {})) {
    out.add(agg.kind === 'date_histogram' ? (agg.field ?? '@timestamp') : agg.field);
    if ('aggs' in agg) aggregatedFields(agg.aggs, out);
  }
  return out;
}

async function aggregateRows(scope: Scope, named: NamedAggregations): Promise<AggregateResult> {
  const { ctx } = scope;
  const aggs: Record<string, AggregationResult> = {};
  await Promise.all(
    Object.entries(named).map(async ([name, agg]) => {
      const byPath = await evaluate(scope, agg, []);
      aggs[name] = byPath.get('[]') ?? emptyResult(agg);
    }),
  );
  if (scope.total !== null) return { total: scope.total, aggs };
  const [totalRow] = await queryRows(
    ctx.conn,
    `SELECT ${countAll(ctx.source)} AS n FROM ${ctx.source.from} WHERE ${scope.where}`,
    scope.params,
  );
  return { total: Number(totalRow?.['n'] ?? 0), aggs };
}

/** Evaluates `agg` under `parents`; returns its result per parent key path (JSON of the keys). */
async function evaluate(
  scope: Scope,
  agg: Aggregation,
  parents: Parent[],
): Promise<Map<string, AggregationResult>> {
  switch (agg.kind) {
    case 'terms':
      return evaluateTerms(scope, agg, parents);
    case 'date_histogram':
      return evaluateHistogram(scope, agg, parents);
    case 'stats':
    case 'percentiles':
    case 'cardinality':
      return evaluateMetric(scope, agg, parents);
    default:
      return assertNever(agg, 'aggregation');
  }
}

function resolveField(scope: Scope, field: string): ResolvedField | undefined {
  return scope.ctx.source.resolver.resolve(field)[0];
}

/**
 * FROM, SELECT prefix, WHERE and GROUP BY pieces shared by every grouped query under `parents`,
 * reading `base` (the source's rows by default). Under terms on a multi-valued field each event
 * counts once per value, as in Elasticsearch: its rows are unnested by that field.
 */
function grouping(scope: Scope, parents: Parent[], base = scope.ctx.source.from) {
  const params = [...scope.params];
  const select: string[] = [];
  const unnested: string[] = [];
  const filters = [scope.where];
  parents.forEach((p, i) => {
    const key = p.list ? `e._cairn_k${i}` : p.expr;
    if (p.list) unnested.push(`unnest(${p.expr}) AS _cairn_k${i}`);
    select.push(`${key} AS p${i}`);
    if (!p.keys) return;
    if (p.keys.length === 0) {
      filters.push('FALSE');
      return;
    }
    const placeholders = p.keys.map((k) => {
      params.push(k);
      return `$${params.length}`;
    });
    filters.push(`${key} IN (${placeholders.join(', ')})`);
  });
  const from = unnested.length === 0 ? base : `(SELECT e.*, ${unnested.join(', ')} FROM ${base}) AS e`;
  return { params, from, select, where: filters.join(' AND '), groupBy: parents.map((_, i) => `p${i}`) };
}

function pathOf(row: Record<string, unknown>, depth: number): string {
  const keys: unknown[] = [];
  for (let i = 0; i < depth; i++) keys.push(normalizeKey(row[`p${i}`]));
  return JSON.stringify(keys);
}

function normalizeKey(v: unknown): Key {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

async function evaluateTerms(
  scope: Scope,
  agg: Extract<Aggregation, { kind: 'terms' }>,
  parents: Parent[],
): Promise<Map<string, AggregationResult>> {
  const field = resolveField(scope, agg.field);
  const size = termsSize(agg);
  if (!field) return new Map();
  if (field.list && parents.length > 0) {
    throw new CairnError(
      'bad_request',
      `Cannot nest a terms aggregation on the multi-valued field "${agg.field}"`,
    );
  }
  const g = grouping(scope, parents);
  const orderBy = termsOrder(agg.order);
  const results =
    parents.length === 0
      ? new Map([['[]', await (field.list ? topListTerms : topValueTerms)(scope, field, g, orderBy, size)]])
      : await nestedTerms(scope, field, g, orderBy, size, parents.length);
  const keys = new Set<Key>();
  for (const r of results.values()) for (const b of r.buckets) keys.add(b.key);
  const out = new Map<string, AggregationResult>(results);
  await attachSubAggregations(
    scope,
    agg.aggs,
    parents,
    { expr: field.sql, keys: [...keys], list: field.list },
    out,
  );
  return out;
}

type TermsResult = Extract<AggregationResult, { kind: 'terms' }>;

/**
 * Terms under bucket parents, per parent key path: every group is ranked within its parent (the
 * parents' kept keys bound how many), with the parent's total taken before the top-N cut so the
 * "other" count is right.
 */
async function nestedTerms(
  scope: Scope,
  field: ResolvedField,
  g: ReturnType<typeof grouping>,
  orderBy: string,
  size: number,
  depth: number,
): Promise<Map<string, TermsResult>> {
  const from = `${g.from} WHERE ${g.where} AND ${field.sql} IS NOT NULL`;
  const partition = `PARTITION BY ${g.groupBy.join(', ')}`;
  const grouped = `SELECT ${[...g.select, `${field.sql} AS k`].join(', ')}, ${countAll(scope.ctx.source)} AS n FROM ${from} GROUP BY ALL`;
  const ranked = `SELECT *, row_number() OVER (${partition} ORDER BY ${orderBy}) AS rn, sum(n) OVER (${partition})::BIGINT AS total FROM grouped`;
  const sql = `WITH grouped AS (${grouped}), ranked AS (${ranked}) SELECT * FROM ranked WHERE rn <= ${size} ORDER BY ${[...g.groupBy, 'rn'].join(', ')}`;
  const out = new Map<string, TermsResult>();
  for (const row of await queryRows(scope.ctx.conn, sql, g.params)) {
    const path = pathOf(row, depth);
    let entry = out.get(path);
    if (!entry) {
      // otherCount starts as the parent's total; the buckets' counts come off it below.
      entry = { kind: 'terms', buckets: [], otherCount: Number(row['total']) };
      out.set(path, entry);
    }
    const count = Number(row['n']);
    entry.buckets.push({ key: normalizeKey(row['k']), count });
    entry.otherCount -= count;
  }
  return out;
}

/**
 * A top-level terms aggregation on a single-valued field: a top-N over the grouped keys, so memory
 * stays bounded however many distinct values there are (ranking every group in a window would hold
 * them all), in one scan: grouping sets add the whole match as one more group, which gives the
 * total, and the events without a value (ranked right after it) give the count of values the
 * "other" bucket is taken from.
 */
async function topValueTerms(
  scope: Scope,
  field: ResolvedField,
  g: ReturnType<typeof grouping>,
  orderBy: string,
  size: number,
): Promise<TermsResult> {
  const { source } = scope.ctx;
  const grouped = `SELECT ${field.sql} AS k, grouping(${field.sql}) AS whole, ${countAll(source)} AS n FROM ${source.from} WHERE ${g.where} GROUP BY GROUPING SETS ((${field.sql}), ())`;
  const sql = `SELECT * FROM (${grouped}) ORDER BY whole DESC, k IS NULL DESC, ${orderBy} LIMIT ${size + 2}`;
  const buckets: TermsBucket[] = [];
  let total = 0;
  let missing = 0;
  for (const row of await queryRows(scope.ctx.conn, sql, g.params)) {
    const n = Number(row['n']);
    if (Number(row['whole']) === 1) total = n;
    else if (row['k'] === null) missing = n;
    else if (buckets.length < size) buckets.push({ key: normalizeKey(row['k']), count: n });
  }
  scope.total = total;
  return withRest(buckets, total - missing);
}

/** Top-level terms on a list field: its values counted again when the top-N may not hold them all. */
async function topListTerms(
  scope: Scope,
  field: ResolvedField,
  g: ReturnType<typeof grouping>,
  orderBy: string,
  size: number,
): Promise<TermsResult> {
  const keys = `(SELECT unnest(${field.sql}) AS k FROM ${scope.ctx.source.from} WHERE ${g.where}) WHERE k IS NOT NULL`;
  const sql = `SELECT k, count(*)::BIGINT AS n FROM ${keys} GROUP BY ALL ORDER BY ${orderBy} LIMIT ${size}`;
  const rows = await queryRows(scope.ctx.conn, sql, g.params);
  const buckets = rows.map((row) => ({ key: normalizeKey(row['k']), count: Number(row['n']) }));
  if (rows.length < size) return { kind: 'terms', buckets, otherCount: 0 };
  const [counted] = await queryRows(scope.ctx.conn, `SELECT count(*)::BIGINT AS n FROM ${keys}`, g.params);
  return withRest(buckets, Number(counted?.['n'] ?? 0));
}

/** A terms result whose "other" bucket holds the `values` not in `buckets`. */
function withRest(buckets: TermsBucket[], values: number): TermsResult {
  const inTop = buckets.reduce((n, b) => n + b.count, 0);
  return { kind: 'terms', buckets, otherCount: values - inTop };
}

function termsOrder(order: Extract<Aggregation, { kind: 'terms' }>['order']): string {
  switch (order ?? 'count_desc') {
    case 'count_desc':
      return 'n DESC, k ASC';
    case 'count_asc':
      return 'n ASC, k ASC';
    case 'key_asc':
      return 'k ASC';
    case 'key_desc':
      return 'k DESC';
  }
}

async function evaluateHistogram(
  scope: Scope,
  agg: Extract<Aggregation, { kind: 'date_histogram' }>,
  parents: Parent[],
): Promise<Map<string, AggregationResult>> {
  const fieldName = agg.field ?? '@timestamp';
  const field = resolveField(scope, fieldName);
  const out = new Map<string, AggregationResult>();
  if (!field) return out;
  if (field.type !== 'timestamp' || field.list) {
    throw new CairnError(
      'bad_request',
      `Cannot build a date histogram on "${fieldName}": it is a ${field.type} field`,
      {
        details: { field: fieldName, type: field.type },
      },
    );
  }
  const interval = histogramInterval(agg, scope.range);
  const keyExpr = bucketSql(interval, field.sql);
  const g = grouping(scope, parents);
  const sql = `SELECT ${[...g.select, `${keyExpr} AS k`].join(', ')}, ${countAll(scope.ctx.source)} AS n FROM ${g.from} WHERE ${g.where} AND ${field.sql} IS NOT NULL GROUP BY ALL`;
  const rows = await queryRows(scope.ctx.conn, sql, g.params);

  const counts = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const path = pathOf(row, parents.length);
    let m = counts.get(path);
    if (!m) {
      m = new Map();
      counts.set(path, m);
    }
    m.set(Number(row['k']), Number(row['n']));
  }
  if (parents.length === 0 && !counts.has('[]')) counts.set('[]', new Map());
  // Every event has a `@timestamp`: a top-level histogram over it counts them all.
  if (parents.length === 0 && field.name === '@timestamp') {
    let all = 0;
    for (const row of rows) all += Number(row['n']);
    scope.total = all;
  }
  const starts = bucketStarts(interval, scope.range);
  for (const [path, m] of counts) {
    const buckets: HistogramBucket[] = starts.map((keyUs) => ({ keyUs, count: m.get(keyUs) ?? 0 }));
    // Events outside the requested range cannot appear, but a custom timestamp field may fall outside it.
    for (const [keyUs, count] of m) if (!starts.includes(keyUs)) buckets.push({ keyUs, count });
    buckets.sort((a, b) => a.keyUs - b.keyUs);
    out.set(path, { kind: 'date_histogram', interval: interval.text, buckets });
  }
  await attachSubAggregations(scope, agg.aggs, parents, { expr: keyExpr, keys: null }, out);
  return out;
}

/** Evaluates sub-aggregations grouped by the parent path plus this level's key, and attaches them. */
async function attachSubAggregations(
  scope: Scope,
  aggs: NamedAggregations | undefined,
  parents: Parent[],
  self: Parent,
  results: Map<string, AggregationResult>,
): Promise<void> {
  if (!aggs || Object.keys(aggs).length === 0) return;
  const chain = [...parents, self];
  const subResults = await Promise.all(
    Object.entries(aggs).map(async ([name, sub]) => [name, await evaluate(scope, sub, chain)] as const),
  );
  for (const [path, result] of results) {
    const prefix = JSON.parse(path) as Key[];
    const buckets: (TermsBucket | HistogramBucket)[] =
      result.kind === 'terms' ? result.buckets : result.kind === 'date_histogram' ? result.buckets : [];
    for (const bucket of buckets) {
      const key = 'keyUs' in bucket ? bucket.keyUs : bucket.key;
      const subPath = JSON.stringify([...prefix, key]);
      bucket.aggs = {};
      for (const [name, byPath] of subResults) {
        bucket.aggs[name] = byPath.get(subPath) ?? emptyResult(aggs[name]!);
      }
    }
  }
}

async function evaluateMetric(
  scope: Scope,
  agg: Extract<Aggregation, { kind: 'stats' | 'percentiles' | 'cardinality' }>,
  parents: Parent[],
): Promise<Map<string, AggregationResult>> {
  const out = new Map<string, AggregationResult>();
  const field = resolveField(scope, agg.field);
  if (!field) return out;
  if (agg.kind !== 'cardinality' && (field.type !== 'number' || field.list)) {
    throw new CairnError(
      'bad_request',
      `Cannot compute ${agg.kind} of "${agg.field}": it is a ${field.type}${field.list ? ' list' : ''} field, expected a number`,
      { details: { field: agg.field, type: field.type } },
    );
  }
  // Partitions without the field add nothing to a metric of it: they read no rows. (A bucket only
  // they fill gets the empty metric, as a scan of their rows would give.)
  const typed = scope.ctx.source.resolver.column(field.name) !== undefined;
  const g = grouping(
    scope,
    parents,
    typed ? fromOnly(scope.ctx.source, (p) => p.columns.has(field.name)) : scope.ctx.source.from,
  );
  const col = field.sql;
  const percents = agg.kind === 'percentiles' ? (agg.percents ?? DEFAULT_PERCENTS) : [];
  for (const p of percents) {
    if (!(p >= 0 && p <= 100))
      throw new CairnError('bad_request', `Cannot compute percentile ${p}: it must be 0-100`);
  }
  const metrics =
    agg.kind === 'stats'
      ? `count(${col})::BIGINT AS c, min(${col}) AS lo, max(${col}) AS hi, avg(${col}) AS av, coalesce(sum(${col}), 0) AS su`
      : agg.kind === 'percentiles'
        ? `quantile_cont(${col}, [${percents.map((p) => (p / 100).toString()).join(', ')}]) AS q`
        : `count(DISTINCT ${field.list ? `unnest(${col})` : col})::BIGINT AS c`;
  const groupBy = g.groupBy.length > 0 ? ` GROUP BY ${g.groupBy.join(', ')}` : '';
  const sql = `SELECT ${[...g.select, metrics].join(', ')} FROM ${g.from} WHERE ${g.where}${groupBy}`;
  const rows = await queryRows(scope.ctx.conn, sql, g.params);
  for (const row of rows) {
    const path = pathOf(row, parents.length);
    switch (agg.kind) {
      case 'stats':
        out.set(path, {
          kind: 'stats',
          count: Number(row['c']),
          min: nullableNumber(row['lo']),
          max: nullableNumber(row['hi']),
          avg: nullableNumber(row['av']),
          sum: Number(row['su']),
        });
        break;
      case 'percentiles': {
        const q = (row['q'] as (number | null)[] | null) ?? [];
        const values: Record<string, number | null> = {};
        percents.forEach((p, i) => {
          values[formatPercent(p)] = q[i] ?? null;
        });
        out.set(path, { kind: 'percentiles', values });
        break;
      }
      case 'cardinality':
        out.set(path, { kind: 'cardinality', value: Number(row['c']) });
        break;
    }
  }
  return out;
}

function nullableNumber(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
