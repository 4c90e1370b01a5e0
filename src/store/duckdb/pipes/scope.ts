import type { FieldType } from '../../../model/event.js';
import type { FieldResolver, ResolvedField } from '../compile-where.js';
import type { SqlParam } from '../connection.js';

/** A value's type in a pipeline: a stored field type, or `null` for a field nothing defines. */
export type ValueType = FieldType | 'null';

/**
 * A column the current pipeline stage can read. `sql` is trusted text (a resolver's field SQL, or an
 * internal name the compiler made up) relative to the alias `e` of the stage's input.
 */
export interface Column {
  sql: string;
  type: ValueType;
  /** A DuckDB LIST of `type`. */
  list: boolean;
}

export const NULL_COLUMN: Column = { sql: 'NULL', type: 'null', list: false };

export interface OrderKey {
  sql: string;
  desc: boolean;
}

/**
 * What a stage sees. In `events` mode (before any aggregation or `fields`) every stored field is
 * readable through the resolver, and `columns` holds the fields the pipeline defined or renamed
 * (they shadow stored ones); `hidden` lists stored fields renamed away or removed. In `table` mode
 * `columns` is the whole row, in output order. Unknown names read as NULL.
 */
export interface Scope {
  mode: 'events' | 'table';
  columns: Map<string, Column>;
  hidden: Set<string>;
  /** The row order so far (ties broken by earlier orders); empty = unordered. */
  order: OrderKey[];
}

export function lookup(scope: Scope, resolver: FieldResolver, name: string): Column {
  const defined = scope.columns.get(name);
  if (defined) return defined;
  if (scope.mode === 'table' || scope.hidden.has(name)) return NULL_COLUMN;
  return storedColumn(resolver, name);
}

/**
 * A stored field as one column. When a field has a typed column and also overflow values (kept as
 * text when they did not fit the column's type), the typed value wins and the overflow text fills in,
 * converted to the column's type where it can be.
 */
export function storedColumn(resolver: FieldResolver, name: string): Column {
  const fields = resolver.resolve(name);
  const [first, ...rest] = fields;
  if (!first) {
    // Every partition has @timestamp; the resolver lists it only when some partition is in range.
    return name === '@timestamp' ? { sql: 'e."@timestamp"', type: 'timestamp', list: false } : NULL_COLUMN;
  }
  if (rest.length === 0 || first.list) return { sql: first.sql, type: first.type, list: first.list };
  const fallbacks = rest.filter((f) => !f.list).map((f) => castText(f, first.type));
  return { sql: `COALESCE(${[first.sql, ...fallbacks].join(', ')})`, type: first.type, list: false };
}

function castText(f: ResolvedField, type: FieldType): string {
  if (f.type !== 'string' || type === 'string' || type === 'ip') return f.sql;
  const target = type === 'number' ? 'DOUBLE' : type === 'boolean' ? 'BOOLEAN' : 'TIMESTAMP';
  return `TRY_CAST(${f.sql} AS ${target})`;
}

/** Bound parameters: every user value goes here and is referenced as `$N`. */
export class Params {
  constructor(readonly values: SqlParam[]) {}

  add(value: SqlParam, cast: 'VARCHAR' | 'DOUBLE' | 'BOOLEAN' | 'BIGINT' | 'INTEGER'): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

export function orderBySql(order: readonly OrderKey[]): string {
  return order.map((k) => `${k.sql} ${k.desc ? 'DESC' : 'ASC'} NULLS LAST`).join(', ');
}
