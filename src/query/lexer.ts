import { syntaxError } from './errors.js';

export type TokenKind =
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'lbrace'
  | 'rbrace'
  | 'colon'
  | 'and'
  | 'or'
  | 'not'
  | 'plus'
  | 'minus'
  | 'to'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'term'
  | 'phrase'
  | 'regex'
  | 'eof';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** term, phrase: the unescaped text; regex: the pattern with `\/` unescaped; otherwise the source text. */
  value: string;
  /** term: the wildcard pattern (see ast.ts TermNode) when `wildcard`, else the same as `value`. */
  pattern: string;
  /** term: holds an unescaped `*` or `?`. */
  wildcard: boolean;
  /** term: exactly one unescaped `*` (match all / exists). */
  star: boolean;
}

/**
 * Where the parser is, which decides how characters are read:
 * - `clause`: start of a clause: operators (`AND OR NOT && || ! + -`), `(`, phrases, regexes, ranges,
 *   comparisons, terms (a term followed by `:` is a field name; `<` and `>` end a term);
 * - `value`: right after `field:`; `+ - !` start a value (`temp:-5`) and `:` may occur in a term
 *   (`time:10:30`, `ip:::1`);
 * - `group`: inside `field:( … )`: operators as in `clause`, terms as in `value`;
 * - `range`: inside `[ … ]`: bounds, `TO`, the closing bracket.
 */
export type LexMode = 'clause' | 'value' | 'group' | 'range';

const KEYWORDS: Record<string, TokenKind> = { AND: 'and', OR: 'or', NOT: 'not' };

/** Characters that end a term in every mode (besides whitespace, `&&` and `||`). */
const TERM_STOP = new Set(['(', ')', '[', ']', '{', '}', '"', '^', '~']);
/** In clause mode `<` and `>` also end a term, for KQL-style comparisons (`status>=500`). */
const CLAUSE_TERM_STOP = new Set([...TERM_STOP, '<', '>']);
const RANGE_STOP = new Set([']', '}', '"']);

export function isWhitespace(ch: string): boolean {
  return /\s/.test(ch);
}

/** A pull lexer: the parser asks for the next token in the mode it is in. Linear in the input. */
export class Lexer {
  pos = 0;
  private cache: { pos: number; mode: LexMode; token: Token } | null = null;

  constructor(readonly text: string) {}

  peek(mode: LexMode): Token {
    if (this.cache && this.cache.pos === this.pos && this.cache.mode === mode) return this.cache.token;
    const saved = this.pos;
    const token = this.read(mode);
    this.pos = saved;
    this.cache = { pos: saved, mode, token };
    return token;
  }

  next(mode: LexMode): Token {
    const token = this.peek(mode);
    this.pos = token.end;
    return token;
  }

  /** True when the next non-blank character is `:` (the term just read is a field name). */
  atColon(): boolean {
    let i = this.pos;
    while (i < this.text.length && isWhitespace(this.text[i]!)) i++;
    return this.text[i] === ':';
  }

  /** True when the next non-blank character is `<` or `>` (KQL `field >= value`). */
  atComparison(): boolean {
    let i = this.pos;
    while (i < this.text.length && isWhitespace(this.text[i]!)) i++;
    return this.text[i] === '<' || this.text[i] === '>';
  }

  /** Consumes a `:` after optional blanks; call only when `atColon()`. Returns its offset. */
  consumeColon(): number {
    while (this.pos < this.text.length && isWhitespace(this.text[this.pos]!)) this.pos++;
    this.pos++;
    return this.pos - 1;
  }

  /**
   * Consumes `^boost` and `~fuzziness` suffixes glued to the previous token (parsed, then ignored:
   * Cairn does not score and matches terms exactly). Returns the offset after them.
   */
  readModifiers(): number {
    const t = this.text;
    for (;;) {
      const ch = t[this.pos];
      if (ch === '^') {
        const end = scanNumber(t, this.pos + 1);
        if (end === this.pos + 1) {
          throw syntaxError(t, this.pos + 1, "expected a number after '^' (boost), or escape it as '\\^'", {
            expected: ['a number'],
          });
        }
        this.pos = end;
      } else if (ch === '~') {
        this.pos = scanNumber(t, this.pos + 1);
      } else {
        this.cache = null;
        return this.pos;
      }
    }
  }

  private read(mode: LexMode): Token {
    const t = this.text;
    while (this.pos < t.length && isWhitespace(t[this.pos]!)) this.pos++;
    const start = this.pos;
    if (start >= t.length) return simple('eof', start, start, '');
    const ch = t[start]!;
    const next = t[start + 1];

    if (mode === 'range') {
      if (ch === ']') return simple('rbracket', start, start + 1, ch);
      if (ch === '}') return simple('rbrace', start, start + 1, ch);
      if (ch === '"') return this.readPhrase(start);
      const term = this.readTerm(start, RANGE_STOP, true);
      if (term.value === 'TO' && t.slice(start, term.end) === 'TO') return { ...term, kind: 'to' };
      return term;
    }

    switch (ch) {
      case '(':
        return simple('lparen', start, start + 1, ch);
      case ')':
        return simple('rparen', start, start + 1, ch);
      case '[':
        return simple('lbracket', start, start + 1, ch);
      case '{':
        return simple('lbrace', start, start + 1, ch);
      case ']':
        return simple('rbracket', start, start + 1, ch);
      case '}':
        return simple('rbrace', start, start + 1, ch);
      case '"':
        return this.readPhrase(start);
      case '/':
        return this.readRegex(start);
      case ':':
        if (mode === 'clause') return simple('colon', start, start + 1, ch);
        break;
      case '>':
        return next === '=' ? simple('gte', start, start + 2, '>=') : simple('gt', start, start + 1, ch);
      case '<':
        return next === '=' ? simple('lte', start, start + 2, '<=') : simple('lt', start, start + 1, ch);
      case '&':
        if (next === '&') return simple('and', start, start + 2, '&&');
        break;
      case '|':
        if (next === '|') return simple('or', start, start + 2, '||');
        break;
      case '+':
        if (mode !== 'value') return simple('plus', start, start + 1, ch);
        break;
      case '-':
        if (mode !== 'value') return simple('minus', start, start + 1, ch);
        break;
      case '!':
        if (mode !== 'value') return simple('not', start, start + 1, ch);
        break;
      case '^':
      case '~':
        throw syntaxError(t, start, `unexpected '${ch}': it must follow a term, or escape it as '\\${ch}'`, {
          expected: ['a term'],
        });
    }
    const term = this.readTerm(start, mode === 'clause' ? CLAUSE_TERM_STOP : TERM_STOP, mode !== 'clause');
    if (!term.wildcard) {
      const keyword = KEYWORDS[t.slice(start, term.end)];
      if (keyword) return { ...term, kind: keyword };
    }
    return term;
  }

  private readTerm(start: number, stop: ReadonlySet<string>, colonInTerms: boolean): Token {
    const t = this.text;
    let literal = '';
    let pattern = '';
    let wildcard = false;
    let i = start;
    while (i < t.length) {
      const ch = t[i]!;
      if (ch === '\\') {
        const escaped = t[i + 1];
        if (escaped === undefined) {
          throw syntaxError(t, i + 1, "expected a character after '\\' (write '\\\\' for a backslash)", {
            expected: ['a character'],
          });
        }
        literal += escaped;
        pattern += escaped === '*' || escaped === '?' || escaped === '\\' ? `\\${escaped}` : escaped;
        i += 2;
        continue;
      }
      if (stop.has(ch) || isWhitespace(ch)) break;
      if (ch === ':' && !colonInTerms) break;
      if ((ch === '&' || ch === '|') && t[i + 1] === ch && stop !== RANGE_STOP) break;
      if (ch === '*' || ch === '?') wildcard = true;
      literal += ch;
      pattern += ch;
      i++;
    }
    if (i === start) {
      // Only reachable for a character no mode accepts at a term start (e.g. ':' in range mode).
      throw syntaxError(t, start, `unexpected '${t[start]}'`, { expected: ['a term'] });
    }
    const star = i === start + 1 && t[start] === '*';
    return {
      kind: 'term',
      start,
      end: i,
      value: literal,
      pattern: wildcard ? pattern : literal,
      wildcard,
      star,
    };
  }

  private readPhrase(start: number): Token {
    const t = this.text;
    let value = '';
    let i = start + 1;
    while (i < t.length) {
      const ch = t[i]!;
      if (ch === '"')
        return { kind: 'phrase', start, end: i + 1, value, pattern: value, wildcard: false, star: false };
      if (ch === '\\' && i + 1 < t.length) {
        value += t[i + 1];
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    throw syntaxError(t, start, `unterminated phrase: expected a closing '"' for this quote`, {
      expected: ['"'],
    });
  }

  private readRegex(start: number): Token {
    const t = this.text;
    let pattern = '';
    let i = start + 1;
    while (i < t.length) {
      const ch = t[i]!;
      if (ch === '/')
        return { kind: 'regex', start, end: i + 1, value: pattern, pattern, wildcard: false, star: false };
      if (ch === '\\' && i + 1 < t.length) {
        const escaped = t[i + 1]!;
        pattern += escaped === '/' ? '/' : `\\${escaped}`;
        i += 2;
        continue;
      }
      pattern += ch;
      i++;
    }
    throw syntaxError(
      t,
      start,
      `unterminated regular expression: expected a closing '/' (escape a literal '/' as '\\/')`,
      {
        expected: ['/'],
      },
    );
  }
}

function simple(kind: TokenKind, start: number, end: number, value: string): Token {
  return { kind, start, end, value, pattern: value, wildcard: false, star: false };
}

/** End of `\d+(\.\d+)?` from `i` (or `i` when there is none). */
function scanNumber(t: string, i: number): number {
  let j = i;
  while (j < t.length && t.charCodeAt(j) >= 48 && t.charCodeAt(j) <= 57) j++;
  if (j > i && t[j] === '.' && t.charCodeAt(j + 1) >= 48 && t.charCodeAt(j + 1) <= 57) {
    j++;
    while (j < t.length && t.charCodeAt(j) >= 48 && t.charCodeAt(j) <= 57) j++;
  }
  return j;
}
