import { assertNever, type CairnError } from '../../../model/errors.js';
import { queryError } from '../../../query/errors.js';
import type { Expr } from '../../../query/pipes/ast.js';
import type { Column, ValueType } from './scope.js';

/** Typing rules and messages shared by the expression compiler. */

export function isText(t: ValueType): boolean {
  return t === 'string' || t === 'ip' || t === 'null';
}

/**
 * How two operands of a comparison meet: equal types (or NULL) directly, text with text, a number
 * with text by reading the text as a number. Anything else is a type clash.
 */
export function comparable(
  l: Column,
  left: Expr,
  r: Column,
  right: Expr,
): [(s: string) => string, (s: string) => string] {
  const same = (s: string) => s;
  const asNumber = (s: string) => `TRY_CAST(${s} AS DOUBLE)`;
  if (l.type === 'null' || r.type === 'null' || l.type === r.type) return [same, same];
  if (isText(l.type) && isText(r.type)) return [same, same];
  if (l.type === 'number' && isText(r.type)) return [same, asNumber];
  if (r.type === 'number' && isText(l.type)) return [asNumber, same];
  const hint =
    l.type === 'timestamp' || r.type === 'timestamp' ? ' (write dates in quotes: @timestamp > "now-1h")' : '';
  throw typeError(`Cannot compare ${describe(left, l)} with ${describe(right, r)}${hint}`, left);
}

export function commonType(values: readonly Column[]): ValueType {
  const types = values.map((v) => v.type).filter((t) => t !== 'null');
  if (types.length === 0) return 'null';
  return types.every((t) => t === types[0]) ? types[0]! : 'string';
}

export function isNullSql(v: Column): string {
  if (v.type === 'null') return 'TRUE';
  return v.list ? `(${v.sql} IS NULL OR len(${v.sql}) = 0)` : `(${v.sql} IS NULL)`;
}

/** Text of any value: whole numbers without `.0`, dates as ISO 8601 in UTC (ms), lists as `[a, b]`. */
export function toText(v: Column): string {
  if (v.list) return `CAST(${v.sql} AS VARCHAR)`;
  switch (v.type) {
    case 'string':
    case 'ip':
      return v.sql;
    case 'null':
      return 'CAST(NULL AS VARCHAR)';
    case 'number':
      return `(CASE WHEN ${v.sql} = trunc(${v.sql}) AND abs(${v.sql}) < 1e15 THEN CAST(CAST(${v.sql} AS BIGINT) AS VARCHAR) ELSE CAST(${v.sql} AS VARCHAR) END)`;
    case 'boolean':
      return `CAST(${v.sql} AS VARCHAR)`;
    case 'timestamp':
      return `strftime(${v.sql}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
    default:
      return assertNever(v.type, 'value type');
  }
}

export function boolean(sql: string): Column {
  return { sql, type: 'boolean', list: false };
}

export function number(sql: string): Column {
  return { sql, type: 'number', list: false };
}

export function string(sql: string): Column {
  return { sql, type: 'string', list: false };
}

/** `field "status" (number)`, `"abc"`, `an expression (number)`. */
export function describe(e: Expr, v: Column): string {
  const type = v.list ? `${v.type} list` : v.type;
  if (e.kind === 'field') return `field "${e.name}" (${type})`;
  if (e.kind === 'literal') return JSON.stringify(e.value);
  if (e.kind === 'call') return `${e.name}(…) (${type})`;
  return `an expression of type ${type}`;
}

export function example(e: Expr): string {
  return e.kind === 'field' ? e.name : 'x';
}

export function typeError(message: string, at: Expr): CairnError {
  return queryError(message, { position: at.span.start });
}

export function mismatch(e: Expr, v: Column, value: string, expected: string): CairnError {
  const what = e.kind === 'field' ? `field "${e.name}" (${v.type})` : `${describe(e, v)}`;
  return queryError(`Cannot compare ${what} with "${value}": ${expected}`, {
    position: e.span.start,
    value,
    type: v.type,
    ...(e.kind === 'field' ? { field: e.name } : {}),
  });
}
