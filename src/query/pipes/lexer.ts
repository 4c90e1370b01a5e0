import type { CairnError } from '../../model/errors.js';
import { syntaxError } from '../errors.js';

export type PipeTokenKind =
  | 'pipe'
  | 'ident'
  /** `` `any name` ``: always a field name, never a keyword. */
  | 'quoted'
  | 'string'
  | 'number'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'op'
  | 'eof';

export interface PipeToken {
  kind: PipeTokenKind;
  start: number;
  end: number;
  /** ident: as written; quoted, string: unescaped; number: the source text; op: the operator (`&&` → `&&`). */
  value: string;
}

const OPERATORS = ['==', '!=', '<>', '<=', '>=', '&&', '||', '=', '<', '>', '+', '-', '*', '/', '%', '!'];
const IDENT_START = /[\p{L}_@]/u;
const IDENT_PART = /[\p{L}\p{N}_.@]/u;
const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;

/**
 * The pipe lexer: `|`, identifiers (letters, digits, `_`, `.`, `@`; dotted field paths are one
 * identifier), `` `quoted names` ``, `"strings"` and `'strings'`, numbers, parentheses, commas and
 * operators. In strings and quoted names a backslash escapes `\`, the quote, and writes `\n`, `\t`,
 * `\r`; any other backslash stays as written, so regexes and LIKE patterns need no double escaping.
 */
export class PipeLexer {
  private cache: { pos: number; token: PipeToken } | null = null;

  constructor(
    readonly text: string,
    public pos: number,
  ) {}

  peek(): PipeToken {
    if (this.cache && this.cache.pos === this.pos) return this.cache.token;
    const token = this.read();
    this.cache = { pos: this.pos, token };
    return token;
  }

  next(): PipeToken {
    const token = this.peek();
    this.pos = token.end;
    return token;
  }

  /** Skips blanks and returns the offset of the next character. */
  skipBlanks(): number {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
    return this.pos;
  }

  /** Reads a raw run matching `re` (sticky) at the current position, or null; blanks are not skipped. */
  readRaw(re: RegExp): { text: string; start: number; end: number } | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m || m.index !== this.pos) return null;
    const start = this.pos;
    this.pos += m[0].length;
    return { text: m[0], start, end: this.pos };
  }

  error(position: number, message: string, expected: string[] = []): CairnError {
    return syntaxError(this.text, position, message, { expected });
  }

  private read(): PipeToken {
    const t = this.text;
    let i = this.pos;
    while (i < t.length && /\s/.test(t[i]!)) i++;
    const start = i;
    if (i >= t.length) return { kind: 'eof', start, end: start, value: '' };
    const ch = t[i]!;
    switch (ch) {
      case '|':
        if (t[i + 1] === '|') return { kind: 'op', start, end: i + 2, value: '||' };
        return { kind: 'pipe', start, end: i + 1, value: '|' };
      case '(':
        return { kind: 'lparen', start, end: i + 1, value: ch };
      case ')':
        return { kind: 'rparen', start, end: i + 1, value: ch };
      case ',':
        return { kind: 'comma', start, end: i + 1, value: ch };
      case '"':
      case "'":
        return this.readQuoted(start, ch, 'string');
      case '`':
        return this.readQuoted(start, ch, 'quoted');
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(t);
    if (num && num.index === i) return { kind: 'number', start, end: i + num[0].length, value: num[0] };
    for (const op of OPERATORS) {
      if (t.startsWith(op, i)) return { kind: 'op', start, end: i + op.length, value: op };
    }
    const first = String.fromCodePoint(t.codePointAt(i)!);
    if (IDENT_START.test(first)) {
      let j = i + first.length;
      while (j < t.length) {
        const c = String.fromCodePoint(t.codePointAt(j)!);
        if (!IDENT_PART.test(c)) break;
        j += c.length;
      }
      return { kind: 'ident', start, end: j, value: t.slice(i, j) };
    }
    if (ch === ':') {
      throw this.error(
        start,
        "unexpected ':': pipe commands take expressions such as level = \"ERROR\" (field:value belongs before the first '|')",
        ['an operator'],
      );
    }
    throw this.error(start, `unexpected '${first}'`, []);
  }

  private readQuoted(start: number, quote: string, kind: 'string' | 'quoted'): PipeToken {
    const t = this.text;
    let value = '';
    let i = start + 1;
    while (i < t.length) {
      const ch = t[i]!;
      if (ch === quote) {
        if (kind === 'quoted' && value === '') {
          throw this.error(start, 'expected a field name between the backquotes', ['a field name']);
        }
        return { kind, start, end: i + 1, value };
      }
      if (ch === '\\' && i + 1 < t.length) {
        const next = t[i + 1]!;
        if (next === quote || next === '\\') value += next;
        else if (next === 'n') value += '\n';
        else if (next === 't') value += '\t';
        else if (next === 'r') value += '\r';
        else value += `\\${next}`;
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    const what = kind === 'quoted' ? 'field name' : 'string';
    throw this.error(start, `unterminated ${what}: expected a closing ${quote} for this one`, [quote]);
  }
}
