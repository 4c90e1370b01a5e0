import type { QueryNode } from '../../query/ast.js';
import type { AggregateRequest, NamedAggregations } from '../store.js';
import { type ColumnDef, quoteIdent, quoteLiteral, TEXT_FIELDS } from './catalog.js';
import type { ResolvedField } from './compile-where.js';
import type { QueryContext } from './duckdb-store.js';
import { histogramInterval, type Interval } from './intervals.js';
import type { QuerySource, SourceResolver } from './query-source.js';
import { ALL_EVENTS, ROLLUP_STEP_US } from './rollup.js';

/** Column of a rollup relation: how many events the row stands for. */
export const WEIGHT = '_n';

/** An aggregation request the minute rollups can answer: the one field it needs, if any. */
export interface RollupPlan {
  field: ResolvedField | null;
  /** The whole minutes of the range, [lo, hi) in µs. */
  lo: number;
  hi: number;
}

/**
 * Whether the minute rollups can answer an aggregation request, and how. They can when it only
 * counts events (terms, and date histograms over `@timestamp` whose buckets are whole minutes,
 * nested in any order), when the fields it groups by and the fields its query tests are one and the
 * same rollup field, or none at all, and when its range spans at least one whole minute.
 */
export function rollupPlan(ctx: QueryContext, req: AggregateRequest): RollupPlan | null {
  const source = ctx.source;
  if (source.partitions.length === 0) return null;
  const fields = new Set<string>();
  if (!aggregationsFit(req.aggs, req.range, fields)) return null;
  if (req.query && !queryFits(req.query, fields)) return null;
  if (fields.size > 1) return null;
  const name = fields.values().next().value;
  let field: ResolvedField | null = null;
  if (name !== undefined) {
    if (!ctx.rollups.isRollupField(name) || TEXT_FIELDS.has(name)) return null;
    const resolved = source.resolver.resolve(name);
    const def = source.resolver.column(name);
    // Unknown, overflow (also in `_extra`) or not a single keyword: the rows say what happens.
    if (resolved.length !== 1 || !def || def.type !== 'string' || def.list) return null;
    field = resolved[0]!;
    // A partition whose rolled-up rows may have values the rollup did not count (the field was
    // configured after they were rolled up, or became a column since): its rows answer.
    const stale = source.partitions.some(
      (p) => p.columns.has(name) && !ctx.rollups.covers(p.table, name) && ctx.rollups.watermark(p.table) > 0,
    );
    if (stale) return null;
  }
  const lo = Math.ceil(req.range.fromUs / ROLLUP_STEP_US) * ROLLUP_STEP_US;
  const hi = Math.floor(req.range.toUs / ROLLUP_STEP_US) * ROLLUP_STEP_US;
  return hi > lo ? { field, lo, hi } : null;
}

/**
 * The context to run a planned request in, inside `Rollups.reading`: its source is a relation with
 * columns `@timestamp`, the plan's field and `_n` (the events a row stands for), made of the
 * rollup's minute counts between the first and last whole minute of the range, the raw rows in the
 * partial minutes at either end, and the raw rows loaded since each partition's last roll-up.
 */
export function rollupContext(ctx: QueryContext, req: AggregateRequest, plan: RollupPlan): QueryContext {
  const { field } = plan;
  const source = ctx.source;
  const rollupSource: QuerySource = {
    partitions: source.partitions,
    skip: null,
    from: relation(ctx, field?.name ?? null, req.range, plan),
    weighted: true,
    resolver: new RollupResolver(
      source.resolver.resolve('@timestamp')[0]!,
      field,
      field ? source.resolver.column(field.name) : undefined,
    ),
  };
  return { ...ctx, source: rollupSource };
}

/** The fields of a rollup relation: `@timestamp` (minute starts) and one field or none. */
class RollupResolver implements SourceResolver {
  constructor(
    private readonly timestamp: ResolvedField,
    private readonly field: ResolvedField | null,
    private readonly def: ColumnDef | undefined,
  ) {}

  resolve(name: string): ResolvedField[] {
    if (name === this.timestamp.name) return [this.timestamp];
    return this.field && name === this.field.name ? [this.field] : [];
  }

  column(name: string): ColumnDef | undefined {
    return this.field && name === this.field.name ? this.def : undefined;
  }

  allColumns(): ColumnDef[] {
    return this.def ? [this.def] : [];
  }

  names(): string[] {
    return this.field ? [this.field.name] : [];
  }

  defaultFields(): ResolvedField[] {
    return [];
  }
}

/** Whether every aggregation only counts, with minute-aligned buckets; collects the terms fields. */
function aggregationsFit(
  aggs: NamedAggregations | undefined,
  range: { fromUs: number; toUs: number },
  fields: Set<string>,
): boolean {
  for (const agg of Object.values(aggs ?? {})) {
    switch (agg.kind) {
      case 'terms':
        fields.add(agg.field);
        break;
      case 'date_histogram': {
        if ((agg.field ?? '@timestamp') !== '@timestamp') return false;
        let iv: Interval;
        try {
          iv = histogramInterval(agg, range);
        } catch {
          return false; // the raw path reports the bad interval
        }
        // Calendar buckets (UTC weeks, months…) start on whole minutes; fixed ones must be whole minutes.
        if (iv.kind === 'fixed' && iv.us % ROLLUP_STEP_US !== 0) return false;
        break;
      }
      default:
        return false;
    }
    if (!aggregationsFit(agg.aggs, range, fields)) return false;
  }
  return true;
}

/** Whether the query tests named fields only (no default-field text, no field patterns); collects them. */
function queryFits(node: QueryNode, fields: Set<string>): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.every((c) => queryFits(c, fields));
    case 'not':
      return queryFits(node.child, fields);
    case 'match_all':
      return true;
    case 'exists':
    case 'term':
    case 'phrase':
    case 'regex':
    case 'range':
      if (node.field === null || /[*?]/.test(node.field) || node.field === '@timestamp') return false;
      fields.add(node.field);
      return true;
  }
}

/** The rollup relation for `field` (null: events only) over `range`, whose whole minutes are [lo, hi). */
function relation(
  ctx: QueryContext,
  field: string | null,
  range: { fromUs: number; toUs: number },
  { lo, hi }: { lo: number; hi: number },
): string {
  const col = field === null ? null : quoteIdent(field);
  const list = (tables: string[]) => tables.map(quoteLiteral).join(', ');
  const minutes = `minute_us >= ${lo} AND minute_us < ${hi}`;
  const select = (time: string, value: string, weight: string) =>
    `SELECT ${time} AS "@timestamp"${col ? `, ${value} AS ${col}` : ''}, ${weight} AS ${WEIGHT}`;
  const tables = ctx.source.partitions.map((p) => p.table);
  // Partitions whose rollup counts the field, and those where every event rolled up lacks it (not a
  // column there; rollupPlan made sure): their per-minute event counts stand in.
  const counted = field === null ? [] : tables.filter((t) => ctx.rollups.covers(t, field));
  const uncounted = tables.filter((t) => !counted.includes(t));
  const branches: string[] = [];
  if (counted.length > 0) {
    branches.push(
      `${select('make_timestamp(minute_us)', 'v', 'n')} FROM _cairn_rollup WHERE field = ${quoteLiteral(field!)} AND tbl IN (${list(counted)}) AND ${minutes}`,
    );
  }
  if (uncounted.length > 0) {
    branches.push(
      `${select('make_timestamp(minute_us)', 'NULL::VARCHAR', 'n')} FROM _cairn_rollup WHERE field = ${quoteLiteral(ALL_EVENTS)} AND tbl IN (${list(uncounted)}) AND ${minutes}`,
    );
  }
  branches.push(
    ...rawBranches(ctx, field, range, { lo, hi }, (value) => select('"@timestamp"', value, '1::BIGINT')),
  );
  return `(${branches.join(' UNION ALL ')}) AS e`;
}

/**
 * The raw rows a rollup request reads besides the minute counts: those loaded since each
 * partition's last roll-up (every minute of the range: the caller filters by time), and those in the
 * partial minutes at either end of the range. `select(value)` is each branch's SELECT list, given
 * the expression of the field's value (NULL where a partition has no such column).
 */
export function rawBranches(
  ctx: QueryContext,
  field: string | null,
  range: { fromUs: number; toUs: number },
  { lo, hi }: { lo: number; hi: number },
  select: (value: string) => string,
): string[] {
  const branches: string[] = [];
  const time = (us: number) => `make_timestamp(${Math.trunc(us)})`;
  for (const p of ctx.source.partitions) {
    const mark = ctx.rollups.watermark(p.table);
    const has = field !== null && (p.columns.has(field) || ctx.rollups.covers(p.table, field));
    const raw = `${select(has ? quoteIdent(field) : 'NULL::VARCHAR')} FROM ${quoteIdent(p.table)}`;
    if (ctx.rollups.pending(p.table, p.rows) > 0)
      branches.push(mark > 0 ? `${raw} WHERE _seq > ${mark}` : raw);
    if (mark === 0) continue;
    // A partial minute the partition's events cannot fall in costs no scan.
    const edges: [number, number][] = [
      [range.fromUs, lo],
      [hi, range.toUs],
    ];
    for (const [from, to] of edges) {
      if (from >= to || p.maxUs < from || p.minUs >= to) continue;
      branches.push(
        `${raw} WHERE "@timestamp" >= ${time(from)} AND "@timestamp" < ${time(to)} AND _seq <= ${mark}`,
      );
    }
  }
  return branches;
}
