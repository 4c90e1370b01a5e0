import { assertNever } from '../../model/errors.js';
import type { AggCall, Expr, FieldRef, PipeCommand } from './ast.js';

/**
 * A compact S-expression of a pipe command, for tests and debugging, e.g.
 * `(stats count=(count) "avg(rt)"=(avg rt) by service)`, `(where (>= status 500))`.
 */
export function printPipe(cmd: PipeCommand): string {
  switch (cmd.kind) {
    case 'where':
      return `(where ${printExpr(cmd.condition)})`;
    case 'stats':
      return `(stats ${cmd.aggs.map(printAgg).join(' ')}${by(cmd.by)})`;
    case 'timechart':
      return `(timechart span=${cmd.interval?.text ?? 'auto'} ${cmd.aggs.map(printAgg).join(' ')}${by(cmd.by ? [cmd.by] : [])})`;
    case 'top':
    case 'rare':
      return `(${cmd.kind} ${cmd.limit} ${cmd.fields.map(field).join(' ')}${by(cmd.by)})`;
    case 'sort':
      return `(sort ${cmd.keys.map((k) => `${k.order === 'desc' ? '-' : '+'}${field(k.field)}`).join(' ')})`;
    case 'head':
      return `(head ${cmd.count})`;
    case 'fields':
      return `(fields ${cmd.mode === 'remove' ? '- ' : ''}${cmd.fields.map(field).join(' ')})`;
    case 'rename':
      return `(rename ${cmd.renames.map((r) => `${field(r.from)}>${field(r.to)}`).join(' ')})`;
    case 'eval':
      return `(eval ${cmd.assignments.map((a) => `${field(a.field)}=${printExpr(a.value)}`).join(' ')})`;
    case 'dedup':
      return `(dedup ${cmd.fields.map(field).join(' ')})`;
    default:
      return assertNever(cmd, 'pipe command');
  }
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'field':
      return field(e);
    case 'literal':
      return JSON.stringify(e.value);
    case 'unary':
      return `(${e.op} ${printExpr(e.operand)})`;
    case 'binary':
      return `(${e.op} ${printExpr(e.left)} ${printExpr(e.right)})`;
    case 'in':
      return `(${e.negated ? 'not-in' : 'in'} ${printExpr(e.value)} [${e.list.map(printExpr).join(' ')}])`;
    case 'like':
      return `(${e.negated ? 'not-like' : 'like'} ${printExpr(e.value)} ${printExpr(e.pattern)})`;
    case 'is_null':
      return `(${e.negated ? 'is-not-null' : 'is-null'} ${printExpr(e.value)})`;
    case 'call':
      return `(call ${e.name}${e.args.map((a) => ` ${printExpr(a)}`).join('')})`;
    default:
      return assertNever(e, 'expression');
  }
}

function printAgg(a: AggCall): string {
  const fn = a.fn === 'percentile' ? `p${a.percent}` : a.fn;
  const name = /^[\w.@]+$/.test(a.name) ? a.name : JSON.stringify(a.name);
  return `${name}=(${fn}${a.field ? ` ${field(a.field)}` : ''})`;
}

function by(fields: readonly FieldRef[]): string {
  return fields.length > 0 ? ` by ${fields.map(field).join(' ')}` : '';
}

function field(f: FieldRef): string {
  return /^[\p{L}\p{N}_.@]+$/u.test(f.name) ? f.name : `\`${f.name}\``;
}
