/**
 * Building query text from values (the UI's "filter for this value", the CLI): the inverse of the
 * lexer's escaping, so `parseQuery(`${field}:${escapeTerm(v)}`)` is a term whose value is exactly `v`.
 */

/** Characters with a meaning in the syntax (Elasticsearch's reserved list), plus whitespace. */
const RESERVED = /[+\-=&|><!(){}[\]^"~*?:\\/\s]/gu;

/** `v` as one literal term: reserved characters and whitespace escaped, reserved words escaped. */
export function escapeTerm(value: string): string {
  if (value === '') return '""';
  const escaped = value.replace(RESERVED, '\\$&');
  return escaped === 'AND' || escaped === 'OR' || escaped === 'NOT' ? `\\${escaped}` : escaped;
}

/** `v` as a quoted phrase. */
export function quotePhrase(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** A field name usable before `:` (wildcards escaped too, though field names treat `*`/`?` as wildcards). */
export function escapeField(name: string): string {
  return escapeTerm(name);
}
