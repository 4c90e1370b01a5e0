import { assertNever } from '../model/errors.js';
import type { QueryNode, RangeBound } from './ast.js';

/**
 * A compact, unambiguous S-expression of a QueryNode, for tests and debugging:
 * `(and (term level "ERROR") (not (range status ["500" TO *])))`. A null field prints as `_`.
 */
export function printQuery(node: QueryNode | null): string {
  if (node === null) return '(all)';
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.kind} ${node.children.map(printQuery).join(' ')})`;
    case 'not':
      return `(not ${printQuery(node.child)})`;
    case 'term':
      return `(${node.wildcard ? 'wild' : 'term'} ${field(node.field)} ${JSON.stringify(node.value)})`;
    case 'phrase':
      return `(phrase ${field(node.field)} ${JSON.stringify(node.value)})`;
    case 'regex':
      return `(regex ${field(node.field)} ${JSON.stringify(node.pattern)})`;
    case 'range':
      return `(range ${field(node.field)} ${lower(node.lower)} TO ${upper(node.upper)})`;
    case 'exists':
      return `(exists ${node.field})`;
    case 'match_all':
      return '(all)';
    default:
      return assertNever(node, 'query node');
  }
}

function field(name: string | null): string {
  if (name === null) return '_';
  return /^[^\s()"]+$/.test(name) ? name : JSON.stringify(name);
}

function lower(b: RangeBound | null): string {
  return b === null ? '[*' : `${b.inclusive ? '[' : '{'}${JSON.stringify(b.value)}`;
}

function upper(b: RangeBound | null): string {
  return b === null ? '*]' : `${JSON.stringify(b.value)}${b.inclusive ? ']' : '}'}`;
}
