import type { TimeRange } from '../../model/event.js';
import type { FieldInfo, FieldsRequest, FieldsResult } from '../store.js';
import { type ColumnDef, DAY_US, quoteIdent, quoteLiteral } from './catalog.js';
import { queryRows } from './connection.js';
import type { QueryContext } from './duckdb-store.js';
import { whereOf } from './query-source.js';
import { ROLLUP_STEP_US } from './rollup.js';
import { newestRows } from './search.js';

const SAMPLE_SIZE = 10_000;

/**
 * Field names and types with exact presence counts over the range, and top values counted over the
 * newest events (a sample, like Kibana's field list, so the call stays fast on large ranges).
 */
export async function collectFields(ctx: QueryContext, req: FieldsRequest): Promise<FieldsResult> {
  const columns = ctx.source.resolver.allColumns();
  if (ctx.source.partitions.length === 0 || columns.length === 0) return { fields: [], sampleSize: 0 };
  const present = await presenceCounts(ctx, req.range, columns);

  const topN = req.topValues ?? 5;
  const tally = columns.map(() => new Map<string | number | boolean, number>());
  let sampleSize = 0;
  const sampled = columns.filter((c) => c.type !== 'timestamp');
  if (topN > 0 && sampled.length > 0) {
    const rows = await newestRows(ctx, req.range, SAMPLE_SIZE);
    sampleSize = rows.length;
    for (const row of rows) {
      for (const col of sampled) {
        const v = row[col.name];
        if (v === null || v === undefined) continue;
        const m = tally[columns.indexOf(col)]!;
        for (const item of Array.isArray(v) ? v : [v]) {
          if (typeof item === 'string' && item.length > 256) continue; // long text is no facet
          const key = item as string | number | boolean;
          m.set(key, (m.get(key) ?? 0) + 1);
        }
      }
    }
  }
  const fields: FieldInfo[] = columns.map((c, i) => ({
    name: c.name,
    type: c.type,
    list: c.list,
    count: present[i]!,
    topValues: [...tally[i]!.entries()]
      .sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
      .slice(0, topN)
      .map(([value, count]) => ({ value, count })),
  }));
  return {
    fields: fields.filter((f) => f.count > 0).sort((a, b) => a.name.localeCompare(b.name)),
    sampleSize,
  };
}

/**
 * How many events in the range have a value in each of `columns`: the presence counts of the whole
 * minutes the partitions' roll-ups counted (see `insertPresence` in rollup.ts), plus the rows those
 * leave out, counted from the rows themselves: rows loaded since a partition's last roll-up, and
 * rows in the partial minutes at either end of the range. Reading every column of every row in a
 * day took over a second at 10 million events.
 */
async function presenceCounts(
  ctx: QueryContext,
  range: TimeRange,
  columns: readonly ColumnDef[],
): Promise<number[]> {
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const counts = columns.map(() => 0);
  const lo = Math.ceil(range.fromUs / ROLLUP_STEP_US) * ROLLUP_STEP_US;
  const hi = Math.floor(range.toUs / ROLLUP_STEP_US) * ROLLUP_STEP_US;
  return ctx.rollups.reading(async () => {
    const marks = new Map(
      ctx.source.partitions.map((p) => [p, hi > lo ? ctx.rollups.presenceMark(p.table) : 0] as const),
    );
    const counted = [...marks].filter(([, mark]) => mark > 0).map(([p]) => quoteLiteral(p.table));
    if (counted.length > 0) {
      const rows = await queryRows(
        ctx.conn,
        `SELECT field, sum(n)::BIGINT AS n FROM _cairn_presence WHERE tbl IN (${counted.join(', ')}) AND minute_us >= ${lo} AND minute_us < ${hi} GROUP BY field`,
      );
      for (const row of rows) {
        const i = index.get(String(row['field']));
        if (i !== undefined) counts[i]! += Number(row['n']);
      }
    }
    // The rows left to read, as branches whose filters DuckDB's zone maps can prune by.
    const branches: string[] = [];
    for (const [p, mark] of marks) {
      const table = quoteIdent(p.table);
      if (mark === 0) {
        branches.push(`SELECT * FROM ${table}`);
        continue;
      }
      // Row counts and time bounds of a partition change just after a load commits, so the
      // branches go by the mark and the partition's day alone.
      branches.push(`SELECT * FROM ${table} WHERE _seq > ${mark}`);
      const inDay = (us: number) => p.dayUs <= us && us < p.dayUs + DAY_US;
      if (range.fromUs < lo && inDay(range.fromUs))
        branches.push(
          `SELECT * FROM ${table} WHERE _seq <= ${mark} AND "@timestamp" < make_timestamp(${lo})`,
        );
      if (hi < range.toUs && inDay(hi))
        branches.push(
          `SELECT * FROM ${table} WHERE _seq <= ${mark} AND "@timestamp" >= make_timestamp(${hi})`,
        );
    }
    const { where, params } = whereOf(ctx, range, null);
    const select = columns.map((c, i) => `count(e.${quoteIdent(c.name)})::BIGINT AS c${i}`);
    const [row] = await queryRows(
      ctx.conn,
      `SELECT ${select.join(', ')} FROM (${branches.join(' UNION ALL BY NAME ')}) AS e WHERE ${where}`,
      params,
    );
    for (let i = 0; i < columns.length; i++) counts[i]! += Number(row?.[`c${i}`] ?? 0);
    return counts;
  });
}
