import type { QueryNode } from './ast.js';
import { parse } from './parser.js';

export type * from './ast.js';
export { parseDateMath, parseDateRange } from './date-math.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, type ParseOptions } from './parser.js';
export * from './pipes/index.js';
export { printQuery } from './print.js';

/**
 * Parses a search query (Elasticsearch `query_string` / Lucene syntax) into its AST. Returns null
 * when the query matches everything: empty, blank, `*` or `*:*`. Throws CairnError `invalid_query`
 * (HTTP 400) with line, column and a caret excerpt on a syntax error.
 */
export function parseQuery(
  text: string,
  options: { defaultOperator?: 'AND' | 'OR'; maxDepth?: number; maxLength?: number } = {},
): QueryNode | null {
  return parse(text, options);
}
export { escapeField, escapeTerm, quotePhrase } from './escape.js';
