import { CairnError } from '../model/errors.js';

/** Where in the query text something happened: 1-based line and column (in code points), 0-based offset. */
export interface QueryLocation {
  line: number;
  column: number;
  position: number;
}

/** Longest stretch of the offending line quoted in an error message. */
const EXCERPT_WIDTH = 80;

export function locate(text: string, position: number): QueryLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: countCodePoints(text, lineStart, position) + 1, position };
}

/**
 * A syntax error: `line 1, col 24: expected a value after 'status:'`, then the query line with a
 * caret under the column. `expected` lists what would have been accepted (also in `details`).
 */
export function syntaxError(
  text: string,
  position: number,
  message: string,
  options: { expected?: string[] } = {},
): CairnError {
  const loc = locate(text, position);
  const excerpt = excerptWithCaret(text, position);
  return new CairnError('invalid_query', `line ${loc.line}, col ${loc.column}: ${message}\n${excerpt}`, {
    details: { ...loc, expected: options.expected ?? [] },
  });
}

/**
 * A query that parses but cannot be evaluated (a value the field's type cannot hold, an unsupported
 * feature). `position` is where the offending clause starts, when known.
 */
export function queryError(message: string, details: Record<string, unknown> = {}): CairnError {
  return new CairnError('invalid_query', message, { details });
}

function countCodePoints(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to && i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Count a surrogate pair once: skip the low half.
    if (c >= 0xdc00 && c <= 0xdfff && i > from && isHighSurrogate(text.charCodeAt(i - 1))) continue;
    n++;
  }
  return n;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** The line holding `position`, cut to EXCERPT_WIDTH around it, and a caret line under it. */
function excerptWithCaret(text: string, position: number): string {
  let lineStart = text.lastIndexOf('\n', position - 1) + 1;
  let lineEnd = text.indexOf('\n', position);
  if (lineEnd === -1) lineEnd = text.length;
  if (position > lineEnd) lineEnd = position;
  let prefix = '';
  let suffix = '';
  if (position - lineStart > EXCERPT_WIDTH / 2) {
    lineStart = position - EXCERPT_WIDTH / 2;
    if (isLowSurrogateAt(text, lineStart)) lineStart++;
    prefix = '…';
  }
  if (lineEnd - lineStart > EXCERPT_WIDTH) {
    lineEnd = lineStart + EXCERPT_WIDTH;
    if (isLowSurrogateAt(text, lineEnd)) lineEnd++;
    suffix = '…';
  }
  const line = text.slice(lineStart, lineEnd).replace(/\r/g, ' ');
  let pad = prefix ? ' ' : '';
  for (let i = lineStart; i < position; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > lineStart && isHighSurrogate(text.charCodeAt(i - 1))) continue;
    pad += c === 9 ? '\t' : ' ';
  }
  return `  ${prefix}${line}${suffix}\n  ${pad}^`;
}

function isLowSurrogateAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}
