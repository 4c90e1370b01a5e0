import type { AggFunction } from './ast.js';

/**
 * The scalar functions of pipe expressions and how many arguments each takes. Their meaning (and
 * typing) lives in each store's compiler; the parser only checks names and arity so that a typo
 * is a syntax error with a caret.
 */
export const FUNCTIONS: Readonly<Record<string, { min: number; max: number; signature: string }>> = {
  abs: { min: 1, max: 1, signature: 'abs(number)' },
  ceil: { min: 1, max: 1, signature: 'ceil(number)' },
  coalesce: { min: 1, max: 32, signature: 'coalesce(value, …)' },
  concat: { min: 1, max: 32, signature: 'concat(value, …)' },
  floor: { min: 1, max: 1, signature: 'floor(number)' },
  if: { min: 3, max: 3, signature: 'if(condition, then, else)' },
  isnotnull: { min: 1, max: 1, signature: 'isnotnull(value)' },
  isnull: { min: 1, max: 1, signature: 'isnull(value)' },
  len: { min: 1, max: 1, signature: 'len(text or list)' },
  lower: { min: 1, max: 1, signature: 'lower(text)' },
  match: { min: 2, max: 2, signature: 'match(text, "regex")' },
  replace: { min: 3, max: 3, signature: 'replace(text, "regex", "replacement")' },
  round: { min: 1, max: 2, signature: 'round(number[, digits])' },
  substr: { min: 2, max: 3, signature: 'substr(text, start[, length])' },
  tonumber: { min: 1, max: 1, signature: 'tonumber(value)' },
  tostring: { min: 1, max: 1, signature: 'tostring(value)' },
  trim: { min: 1, max: 1, signature: 'trim(text)' },
  upper: { min: 1, max: 1, signature: 'upper(text)' },
};

export const FUNCTION_NAMES = Object.keys(FUNCTIONS);

/** The commands, as typed after `|`. `table` is an alias of `fields`. */
export const COMMAND_NAMES = [
  'where',
  'stats',
  'timechart',
  'top',
  'rare',
  'sort',
  'head',
  'fields',
  'table',
  'rename',
  'eval',
  'dedup',
] as const;

export const AGG_NAMES = [
  'count',
  'count_distinct',
  'dc',
  'sum',
  'avg',
  'min',
  'max',
  'median',
  'p50',
  'p90',
  'p95',
  'p99',
  'values',
];

/**
 * An aggregation name as written (`count`, `dc`, `p95`, `median`) to its function; any `pN` with N
 * from 1 to 99 is a percentile. Null for anything else.
 */
export function aggFunction(written: string): { fn: AggFunction; percent: number | null } | null {
  const name = written.toLowerCase();
  switch (name) {
    case 'count':
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
    case 'values':
    case 'count_distinct':
      return { fn: name, percent: null };
    case 'dc':
    case 'distinct_count':
      return { fn: 'count_distinct', percent: null };
    case 'mean':
      return { fn: 'avg', percent: null };
    case 'median':
      return { fn: 'percentile', percent: 50 };
  }
  const m = /^p([1-9]\d?)$/.exec(name);
  return m ? { fn: 'percentile', percent: Number(m[1]) } : null;
}
