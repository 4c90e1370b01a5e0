import { assertNever } from '../../../model/errors.js';
import { queryError } from '../../../query/errors.js';
import type { AggCall } from '../../../query/pipes/ast.js';
import type { Column, Params } from './scope.js';

/** `values()` keeps at most this many distinct values per group. */
export const MAX_VALUES = 100;

/**
 * The SQL of one aggregation over the rows of a group. Counts are BIGINT, other numbers DOUBLE;
 * `values` is the sorted distinct values (lists contribute their elements). An unknown field gives
 * 0 for counts and NULL otherwise; a type the aggregation cannot use is CairnError `invalid_query`.
 */
export function aggregateSql(agg: AggCall, read: (name: string) => Column, params: Params): Column {
  if (agg.field === null) return { sql: 'count(*)', type: 'number', list: false };
  const col = read(agg.field.name);
  const all = col.list ? `flatten(list(${col.sql}))` : `list(${col.sql})`;
  switch (agg.fn) {
    case 'count':
      return {
        sql: col.list ? `count(CASE WHEN len(${col.sql}) > 0 THEN 1 END)` : `count(${col.sql})`,
        type: 'number',
        list: false,
      };
    case 'count_distinct':
      return {
        sql: col.list ? `len(list_distinct(${all}))` : `count(DISTINCT ${col.sql})`,
        type: 'number',
        list: false,
      };
    case 'sum':
    case 'avg':
      return { sql: `${agg.fn}(${numeric(agg, col)})`, type: 'number', list: false };
    case 'percentile':
      return {
        sql: `quantile_cont(${numeric(agg, col)}, ${params.add((agg.percent ?? 50) / 100, 'DOUBLE')})`,
        type: 'number',
        list: false,
      };
    case 'min':
    case 'max': {
      const element = col.list ? `list_${agg.fn}(${col.sql})` : col.sql;
      return { sql: `${agg.fn}(${element})`, type: col.type, list: false };
    }
    case 'values':
      return {
        sql: `list_slice(list_sort(list_distinct(${all})), 1, ${MAX_VALUES})`,
        type: col.type === 'null' ? 'string' : col.type,
        list: true,
      };
    default:
      return assertNever(agg.fn, 'aggregation');
  }
}

/** Aggregations whose value for a group without rows is 0 (used when charts fill empty buckets). */
export function isCount(agg: AggCall): boolean {
  return agg.fn === 'count' || agg.fn === 'count_distinct';
}

function numeric(agg: AggCall, col: Column): string {
  if (col.type === 'null') return 'CAST(NULL AS DOUBLE)';
  if (col.type !== 'number' || col.list) {
    const written = agg.fn === 'percentile' ? `p${agg.percent}` : agg.fn;
    throw queryError(
      `Cannot compute ${written} of "${agg.field!.name}": it is a ${col.type}${col.list ? ' list' : ''} field, expected a number`,
      { field: agg.field!.name, type: col.type, position: agg.span.start },
    );
  }
  return col.sql;
}
