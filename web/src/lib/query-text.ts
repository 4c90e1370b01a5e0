/**
 * Reading and writing query text in the browser: tokens for highlighting, where the pipes start, what
 * the caret is on (for autocomplete), and "filter for this value". The server's parser stays the
 * authority; a highlighting mistake here never changes what a query means.
 */

export type TokenKind =
  | 'ws'
  | 'field'
  | 'value'
  | 'term'
  | 'phrase'
  | 'regex'
  | 'range'
  | 'operator'
  | 'paren'
  | 'compare'
  | 'modifier'
  | 'pipe'
  | 'command'
  | 'keyword'
  | 'function'
  | 'string'
  | 'number'
  | 'punct';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

const SPECIAL = new Set([' ', '\t', '\n', '\r', '(', ')', '[', ']', '{', '}', '"', ':', '|', '&', '^', '~']);
const PIPE_KEYWORDS = new Set([
  'by',
  'as',
  'and',
  'or',
  'not',
  'in',
  'like',
  'is',
  'null',
  'true',
  'false',
  'span',
  'limit',
]);

export const PIPE_COMMANDS = [
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
];
export const PIPE_FUNCTIONS = [
  'count',
  'count_distinct',
  'dc',
  'sum',
  'avg',
  'mean',
  'min',
  'max',
  'median',
  'p50',
  'p90',
  'p95',
  'p99',
  'values',
  'lower',
  'upper',
  'trim',
  'len',
  'substr',
  'concat',
  'replace',
  'match',
  'round',
  'abs',
  'floor',
  'ceil',
  'coalesce',
  'if',
  'tostring',
  'tonumber',
  'isnull',
  'isnotnull',
];

/** Offset of the `|` that starts the pipes, or -1. */
export function pipeStart(text: string): number {
  for (const t of tokenize(text)) if (t.kind === 'pipe') return t.start;
  return -1;
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let prev: TokenKind | null = null;
  const push = (kind: TokenKind, start: number, end: number) => {
    out.push({ kind, start, end });
    if (kind !== 'ws') prev = kind;
    i = end;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      push('ws', i, j);
    } else if (c === '|' && text[i + 1] !== '|') {
      const at = i;
      push('pipe', at, at + 1);
      tokenizePipes(text, at + 1, out);
      return out;
    } else if ((c === '|' || c === '&') && text[i + 1] === c) push('operator', i, i + 2);
    else if (c === '"') push(prev === 'field' ? 'value' : 'phrase', i, quoted(text, i, '"'));
    else if (c === '/' && prev !== 'value') push('regex', i, quoted(text, i, '/'));
    else if (c === '(' || c === ')') push('paren', i, i + 1);
    else if (c === '[' || c === '{') {
      let j = i + 1;
      while (j < text.length && text[j] !== ']' && text[j] !== '}') j++;
      push('range', i, Math.min(text.length, j + 1));
    } else if (c === '>' || c === '<') push('compare', i, text[i + 1] === '=' ? i + 2 : i + 1);
    else if (
      (c === '!' || c === '+' || c === '-') &&
      (prev === null || prev === 'operator' || prev === 'paren' || /\s/.test(text[i - 1] ?? ' '))
    ) {
      push('operator', i, i + 1);
    } else if (c === '^' || c === '~') {
      let j = i + 1;
      while (j < text.length && /[\d.]/.test(text[j]!)) j++;
      push('modifier', i, j);
    } else if (c === ':') push('punct', i, i + 1);
    else {
      let j = i;
      while (j < text.length && !SPECIAL.has(text[j]!)) {
        if (text[j] === '\\') j++;
        j++;
      }
      if (j === i) j = i + 1;
      const word = text.slice(i, j);
      if (text[j] === ':') push('field', i, j + 1);
      else if (word === 'AND' || word === 'OR' || word === 'NOT' || word === 'TO') push('operator', i, j);
      else if (prev === 'field' || prev === 'compare') push('value', i, j);
      else push('term', i, j);
    }
  }
  return out;
}

function quoted(text: string, start: number, quote: string): number {
  let j = start + 1;
  while (j < text.length && text[j] !== quote) {
    if (text[j] === '\\') j++;
    j++;
  }
  return Math.min(text.length, j + 1);
}

function tokenizePipes(text: string, from: number, out: Token[]): void {
  let i = from;
  let expectCommand = true;
  while (i < text.length) {
    const c = text[i]!;
    const start = i;
    let kind: TokenKind;
    if (/\s/.test(c)) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      kind = 'ws';
    } else if (c === '|' && text[i + 1] !== '|') {
      i++;
      kind = 'pipe';
      expectCommand = true;
    } else if (c === '"' || c === "'") {
      i = quoted(text, i, c);
      kind = 'string';
    } else if (c === '`') {
      i = quoted(text, i, '`');
      kind = 'field';
    } else if (/\d/.test(c)) {
      while (i < text.length && /[\d.eE]/.test(text[i]!)) i++;
      while (i < text.length && /[a-zA-Z]/.test(text[i]!)) i++;
      kind = 'number';
    } else if (/[\w@]/.test(c)) {
      while (i < text.length && /[\w@.\-*]/.test(text[i]!)) i++;
      if (text[i - 1] === '-') i--;
      const word = text.slice(start, i);
      if (expectCommand) {
        kind = 'command';
        expectCommand = false;
      } else if (text[i] === '(') kind = 'function';
      else if (PIPE_KEYWORDS.has(word.toLowerCase())) kind = 'keyword';
      else kind = 'field';
    } else if (/[=<>!]/.test(c)) {
      while (i < text.length && /[=<>!]/.test(text[i]!)) i++;
      kind = 'compare';
    } else if (c === '(' || c === ')') {
      i++;
      kind = 'paren';
    } else {
      i++;
      kind = 'punct';
    }
    out.push({ kind, start, end: i });
  }
}

export type CompletionContext =
  | { kind: 'field'; start: number; end: number; prefix: string; pipes: boolean }
  | { kind: 'value'; start: number; end: number; prefix: string; field: string }
  | { kind: 'command'; start: number; end: number; prefix: string };

/** What the word at the caret is, for autocomplete; null inside phrases, regexes and ranges. */
export function completionAt(text: string, caret: number): CompletionContext | null {
  const tokens = tokenize(text.slice(0, caret));
  const last = tokens[tokens.length - 1];
  const pipeAt = tokens.findIndex((t) => t.kind === 'pipe');
  const inPipes = pipeAt !== -1;
  if (!last) return { kind: 'field', start: caret, end: caret, prefix: '', pipes: false };
  const word = text.slice(last.start, caret);
  const wordEnd = endOfWord(text, caret);
  if (inPipes) {
    if (last.kind === 'pipe' || (last.kind === 'ws' && tokens[tokens.length - 2]?.kind === 'pipe')) {
      return { kind: 'command', start: caret, end: caret, prefix: '' };
    }
    if (last.kind === 'command') return { kind: 'command', start: last.start, end: wordEnd, prefix: word };
    if (last.kind === 'field' || last.kind === 'keyword' || last.kind === 'function') {
      return { kind: 'field', start: last.start, end: wordEnd, prefix: word, pipes: true };
    }
    if (last.kind === 'ws' || last.kind === 'punct' || last.kind === 'paren' || last.kind === 'compare') {
      return { kind: 'field', start: caret, end: caret, prefix: '', pipes: true };
    }
    return null;
  }
  if (last.kind === 'field' || (last.kind === 'punct' && tokens[tokens.length - 2]?.kind === 'field')) {
    const fieldTok = last.kind === 'field' ? last : tokens[tokens.length - 2]!;
    const field = text.slice(fieldTok.start, fieldTok.end - 1);
    return { kind: 'value', start: caret, end: wordEnd, prefix: '', field };
  }
  if (last.kind === 'value') {
    const fieldTok = [...tokens].reverse().find((t) => t.kind === 'field' && t.end <= last.start);
    if (!fieldTok) return null;
    const field = text.slice(fieldTok.start, fieldTok.end - 1);
    return { kind: 'value', start: last.start, end: wordEnd, prefix: word.replace(/^"/, ''), field };
  }
  if (last.kind === 'term' || (last.kind === 'operator' && /^[A-Z]+$/.test(word))) {
    return { kind: 'field', start: last.start, end: wordEnd, prefix: word, pipes: false };
  }
  if (last.kind === 'ws' || last.kind === 'paren' || last.kind === 'operator') {
    return { kind: 'field', start: caret, end: caret, prefix: '', pipes: false };
  }
  return null;
}

function endOfWord(text: string, caret: number): number {
  let j = caret;
  while (j < text.length && !/[\s()|]/.test(text[j]!)) j++;
  return j;
}

const RESERVED = /[+\-=&|><!(){}[\]^"~*?:\\/\s]/g;

/** A value as one literal term (mirrors escapeTerm in src/query/escape.ts). */
export function escapeTerm(value: string): string {
  if (value === '') return '""';
  const escaped = value.replace(RESERVED, '\\$&');
  return escaped === 'AND' || escaped === 'OR' || escaped === 'NOT' ? `\\${escaped}` : escaped;
}

export function quotePhrase(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** Characters special anywhere in a value; `- + ! / =` are special only at its start, `:` not at all after `field:`. */
const SPECIAL_INSIDE = /[\s()[\]{}"\\*?^~|&<>]/g;
const SPECIAL_IN_FIELD = /[\s()[\]{}"\\*?^~|&<>:]/g;

/**
 * A value written the most readable way that still means exactly it: `service:payment-service`
 * rather than `service:payment\-service`, a phrase when it has spaces or quotes.
 */
export function literal(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const s = String(value);
  if (s === '' || /[\s"]/.test(s) || s.length > 40) return quotePhrase(s);
  const escaped = s.replace(SPECIAL_INSIDE, '\\$&').replace(/^[-+!/=]/, '\\$&');
  return escaped === 'AND' || escaped === 'OR' || escaped === 'NOT' || escaped === 'TO'
    ? quotePhrase(s)
    : escaped;
}

export function fieldClause(field: string, value: unknown, negate = false): string {
  const clause = `${field.replace(SPECIAL_IN_FIELD, '\\$&')}:${literal(value)}`;
  return negate ? `NOT ${clause}` : clause;
}

/**
 * The query with `field:value` (or `NOT field:value`) added as a required clause, before any pipes.
 * An existing clause for the same value with the other sign is replaced rather than contradicted.
 */
export function addFilter(query: string, opts: { field: string; value: unknown; negate?: boolean }): string {
  const clause = fieldClause(opts.field, opts.value, opts.negate === true);
  const opposite = fieldClause(opts.field, opts.value, opts.negate !== true);
  const cut = pipeStart(query);
  const search = (cut === -1 ? query : query.slice(0, cut)).trim();
  const pipes = cut === -1 ? '' : ` ${query.slice(cut).trim()}`;
  let parts: string[];
  if (search === '' || search === '*') parts = [];
  else if (hasTopLevelOr(search)) parts = [`(${search})`];
  // A plain conjunction is edited clause by clause (rejoining keeps any parentheses as they were).
  else parts = search.split(/\s+AND\s+/).filter((p) => p !== opposite);
  if (parts.includes(clause)) return query;
  return `${[...parts, clause].join(' AND ')}${pipes}`;
}

function hasTopLevelOr(search: string): boolean {
  let depth = 0;
  for (const t of tokenize(search)) {
    const text = search.slice(t.start, t.end);
    if (t.kind === 'paren') depth += text === '(' ? 1 : -1;
    else if (depth === 0 && t.kind === 'operator' && (text === 'OR' || text === '||')) return true;
  }
  return false;
}
