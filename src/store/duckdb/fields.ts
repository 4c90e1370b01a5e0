import type { FieldInfo, FieldsRequest, FieldsResult } from '../store.js';
import { quoteIdent } from './catalog.js';
import { queryRows, type SqlParam } from './connection.js';
import type { QueryContext } from './duckdb-store.js';
import { buildWhere } from './query-source.js';
import { newestRows } from './search.js';

const SAMPLE_SIZE = 10_000;

/**
 * Field names and types with exact presence counts over the range, and top values counted over the
 * newest events (a sample, like Kibana's field list, so the call stays fast on large ranges).
 */
export async function collectFields(ctx: QueryContext, req: FieldsRequest): Promise<FieldsResult> {
  const columns = ctx.source.resolver.allColumns();
  if (ctx.source.partitions.length === 0 || columns.length === 0) return { fields: [], sampleSize: 0 };
  const params: SqlParam[] = [];
  const where = buildWhere({ source: ctx.source, range: req.range, query: null, params, nowUs: ctx.nowUs });
  const counts = columns.map((c, i) => `count(e.${quoteIdent(c.name)})::BIGINT AS c${i}`).join(', ');
  const [countRow] = await queryRows(
    ctx.conn,
    `SELECT ${counts} FROM ${ctx.source.from} WHERE ${where}`,
    params,
  );

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
    count: Number(countRow?.[`c${i}`] ?? 0),
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
