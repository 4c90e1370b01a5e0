import { CairnError } from '../model/errors.js';
import type { ExistsNode, QueryNode, RangeBound, RangeNode, Span } from './ast.js';
import { locate, syntaxError } from './errors.js';
import { Lexer, type LexMode, type Token, type TokenKind } from './lexer.js';

export interface ParseOptions {
  /** Operator between clauses written side by side (`a b`). Default `AND`. */
  defaultOperator?: 'AND' | 'OR';
  /** Deepest nesting of parentheses and prefix operators. Default 100. */
  maxDepth?: number;
  /** Longest accepted query, in UTF-16 code units. Default 65,536. */
  maxLength?: number;
}

export const DEFAULT_MAX_DEPTH = 100;
export const DEFAULT_MAX_LENGTH = 65_536;

/** `+x` (required), `-x` / `!x` / `NOT x` (prohibited), or neither. */
type Modifier = 'must' | 'must_not' | null;

interface Clause {
  node: QueryNode;
  mod: Modifier;
  /** Start of the clause including its prefix operator. */
  start: number;
}

/** The field a `field:( … )` group applies to each of its terms; null at the top level. */
interface Scope {
  field: string | null;
  /** How the field was written, for messages: `status:`. */
  label: string;
}

const TOP: Scope = { field: null, label: '' };

const CLAUSE_START: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'lparen',
  'phrase',
  'regex',
  'lbracket',
  'lbrace',
  'gt',
  'gte',
  'lt',
  'lte',
  'term',
  'not',
  'plus',
  'minus',
  'colon',
]);

const EXPECTED_CLAUSE = ['a term', 'a phrase', 'a field:value', "'('"];
const EXPECTED_VALUE = ['a term', 'a phrase', "'('", "'['", "'>'", "'<'", '/regex/'];

/**
 * Parses Lucene / Elasticsearch `query_string` syntax into a QueryNode; null when the query matches
 * everything (empty, blank, `*`, `*:*`). Throws CairnError `invalid_query` with the line, column and
 * a caret excerpt on a syntax error. Linear in the input; nesting is capped at `maxDepth`.
 */
export function parse(text: string, options: ParseOptions = {}): QueryNode | null {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    throw new CairnError(
      'invalid_query',
      `Cannot parse query: it is ${text.length} characters long, the limit is ${maxLength}`,
      { details: { length: text.length, limit: maxLength } },
    );
  }
  const node = new Parser(text, options).parseQuery();
  return node === null || node.kind === 'match_all' ? null : node;
}

class Parser {
  private readonly lexer: Lexer;
  private readonly implicitOr: boolean;
  private readonly maxDepth: number;
  private depth = 0;

  constructor(
    private readonly text: string,
    options: ParseOptions,
  ) {
    this.lexer = new Lexer(text);
    this.implicitOr = options.defaultOperator === 'OR';
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  parseQuery(): QueryNode | null {
    if (this.lexer.peek('clause').kind === 'eof') return null;
    const node = this.parseOr(TOP, null);
    const tok = this.lexer.peek('clause');
    if (tok.kind !== 'eof') {
      throw tok.kind === 'rparen'
        ? this.error(tok.start, "unexpected ')' without a matching '('", ['end of query'])
        : this.error(tok.start, `unexpected '${tok.value}': escape it as '\\${tok.value}' to search for it`, [
            'end of query',
          ]);
    }
    return node;
  }

  private mode(scope: Scope): LexMode {
    return scope.field === null ? 'clause' : 'group';
  }

  /** or := and ((OR | '||' | implicit when default OR) and)* */
  private parseOr(scope: Scope, open: Token | null): QueryNode {
    const items = [this.parseAnd(scope, open)];
    for (;;) {
      const tok = this.lexer.peek(this.mode(scope));
      if (tok.kind === 'or') {
        this.lexer.next(this.mode(scope));
        this.requireClause(scope, tok);
      } else if (!(this.implicitOr && CLAUSE_START.has(tok.kind))) {
        break;
      }
      items.push(this.parseAnd(scope, open));
    }
    return combineOr(items);
  }

  /** and := unary ((AND | '&&' | implicit when default AND) unary)* */
  private parseAnd(scope: Scope, open: Token | null): Clause {
    const items = [this.parseUnary(scope, open)];
    for (;;) {
      const tok = this.lexer.peek(this.mode(scope));
      if (tok.kind === 'and') {
        this.lexer.next(this.mode(scope));
        this.requireClause(scope, tok);
      } else if (this.implicitOr || !CLAUSE_START.has(tok.kind)) {
        break;
      }
      items.push(this.parseUnary(scope, open));
    }
    if (items.length === 1) return items[0]!;
    const children = items.map(applyModifier);
    const start = items[0]!.start;
    return {
      node: { kind: 'and', children, span: span(start, children.at(-1)!.span.end) },
      mod: null,
      start,
    };
  }

  /** unary := (NOT | '!' | '-' | '+') unary | primary */
  private parseUnary(scope: Scope, open: Token | null): Clause {
    const tok = this.lexer.peek(this.mode(scope));
    if (tok.kind === 'not' || tok.kind === 'minus' || tok.kind === 'plus') {
      this.lexer.next(this.mode(scope));
      this.requireClause(scope, tok);
      this.enter(tok);
      const inner = this.parseUnary(scope, open);
      this.depth--;
      return { node: applyModifier(inner), mod: tok.kind === 'plus' ? 'must' : 'must_not', start: tok.start };
    }
    const node = this.parsePrimary(scope, open);
    return { node, mod: null, start: node.span.start };
  }

  private parsePrimary(scope: Scope, open: Token | null): QueryNode {
    const tok = this.lexer.next(this.mode(scope));
    switch (tok.kind) {
      case 'lparen':
        return this.parseGroup(scope, tok, tok.start);
      case 'phrase':
        return this.phrase(scope.field, tok, tok.start);
      case 'regex':
        return this.regex(scope, tok, tok.start);
      case 'lbracket':
      case 'lbrace':
        return this.parseRange(scope, tok, tok.start);
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return this.parseComparison(scope, tok, tok.start);
      case 'term': {
        if (scope.field !== null) return this.term(scope.field, tok, tok.start);
        if (this.lexer.atColon()) return this.parseFieldValue(tok);
        // KQL: `status >= 500`, `status>=500`.
        if (this.lexer.atComparison()) {
          const op = this.lexer.next('clause');
          const label = `${this.text.slice(tok.start, tok.end)} `;
          return this.parseComparison({ field: tok.value, label }, op, tok.start);
        }
        return this.term(null, tok, tok.start);
      }
      case 'colon':
        throw this.error(tok.start, "expected a field name before ':'", ['a field name']);
      case 'rparen':
        throw open
          ? this.error(tok.start, "expected a clause before ')'", EXPECTED_CLAUSE)
          : this.error(tok.start, "unexpected ')' without a matching '('", EXPECTED_CLAUSE);
      case 'eof':
        throw open
          ? this.error(tok.start, `expected ')' to close the '(' at col ${this.col(open.start)}`, ["')'"])
          : this.error(tok.start, 'expected a clause', EXPECTED_CLAUSE);
      case 'and':
      case 'or':
        throw this.error(tok.start, `expected a clause before '${tok.value}'`, EXPECTED_CLAUSE);
      default:
        throw this.error(
          tok.start,
          `unexpected '${tok.value}': escape it as '\\${tok.value}' to search for it`,
          [...EXPECTED_CLAUSE],
        );
    }
  }

  /** `( … )` or `field:( … )`: the span of the result covers the parentheses (and the field). */
  private parseGroup(scope: Scope, open: Token, start: number): QueryNode {
    this.enter(open);
    const first = this.lexer.peek(this.mode(scope));
    if (first.kind === 'rparen' || first.kind === 'eof') {
      throw this.error(first.start, "expected a clause after '('", EXPECTED_CLAUSE);
    }
    const inner = this.parseOr(scope, open);
    const close = this.lexer.next(this.mode(scope));
    if (close.kind !== 'rparen') {
      throw this.error(close.start, `expected ')' to close the '(' at col ${this.col(open.start)}`, ["')'"]);
    }
    this.depth--;
    return { ...inner, span: span(start, this.lexer.readModifiers()) };
  }

  /** After `field` and before `:`. */
  private parseFieldValue(fieldTok: Token): QueryNode {
    const colon = this.lexer.consumeColon();
    const field = fieldTok.value;
    const label = `${this.text.slice(fieldTok.start, colon)}:`;
    const scope: Scope = { field, label };
    const start = fieldTok.start;
    const tok = this.lexer.peek('value');
    switch (tok.kind) {
      case 'lparen':
        this.lexer.next('value');
        return this.parseGroup(scope, tok, start);
      case 'phrase':
        this.lexer.next('value');
        return this.phrase(field, tok, start);
      case 'regex':
        this.lexer.next('value');
        return this.regex(scope, tok, start);
      case 'lbracket':
      case 'lbrace':
        this.lexer.next('value');
        return this.parseRange(scope, tok, start);
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        this.lexer.next('value');
        return this.parseComparison(scope, tok, start);
      case 'term':
        this.lexer.next('value');
        return this.term(field, tok, start);
      case 'and':
      case 'or':
      case 'not':
        throw this.error(
          tok.start,
          `expected a value after '${label}', got '${tok.value}' (quote it to search for the word: "${tok.value}")`,
          EXPECTED_VALUE,
        );
      default:
        throw this.error(tok.start, `expected a value after '${label}'`, EXPECTED_VALUE);
    }
  }

  /** `[a TO b]`, `{a TO b}`, `[a TO b}`…; `*` is an open end. */
  private parseRange(scope: Scope, open: Token, start: number): QueryNode {
    if (scope.field === '_exists_') throw this.existsError(open);
    const lowerTok = this.lexer.next('range');
    if (lowerTok.kind !== 'term' && lowerTok.kind !== 'phrase') {
      throw this.error(lowerTok.start, `expected a lower bound after '${open.value}'`, ['a value', "'*'"]);
    }
    const to = this.lexer.next('range');
    if (to.kind !== 'to') {
      throw this.error(to.start, "expected 'TO' between the bounds of a range", ["'TO'"]);
    }
    const upperTok = this.lexer.next('range');
    if (upperTok.kind !== 'term' && upperTok.kind !== 'phrase') {
      throw this.error(upperTok.start, "expected an upper bound after 'TO'", ['a value', "'*'"]);
    }
    const close = this.lexer.next('range');
    if (close.kind !== 'rbracket' && close.kind !== 'rbrace') {
      throw this.error(
        close.start,
        `expected ']' or '}' to close the range opened at col ${this.col(open.start)}`,
        ["']'", "'}'"],
      );
    }
    const end = this.lexer.readModifiers();
    return {
      kind: 'range',
      field: scope.field,
      lower: bound(lowerTok, open.kind === 'lbracket'),
      upper: bound(upperTok, close.kind === 'rbracket'),
      span: span(start, end),
    } satisfies RangeNode;
  }

  /** `>x`, `>=x`, `<x`, `<=x` (after `field:` or bare). */
  private parseComparison(scope: Scope, op: Token, start: number): QueryNode {
    if (scope.field === '_exists_') throw this.existsError(op);
    const tok = this.lexer.next('value');
    if (tok.kind !== 'term' && tok.kind !== 'phrase') {
      throw this.error(tok.start, `expected a value after '${scope.label}${op.value}'`, [
        'a term',
        'a phrase',
      ]);
    }
    const end = this.lexer.readModifiers();
    const b = bound(tok, op.kind === 'gte' || op.kind === 'lte');
    const isLower = op.kind === 'gt' || op.kind === 'gte';
    return {
      kind: 'range',
      field: scope.field,
      lower: isLower ? b : null,
      upper: isLower ? null : b,
      span: span(start, end),
    } satisfies RangeNode;
  }

  private term(field: string | null, tok: Token, start: number): QueryNode {
    const s = span(start, this.lexer.readModifiers());
    if (field === '_exists_') return exists(tok.star ? '*' : tok.value, s);
    if (tok.star) return field === null || field === '*' ? { kind: 'match_all', span: s } : exists(field, s);
    return { kind: 'term', field, value: tok.pattern, wildcard: tok.wildcard, span: s };
  }

  private phrase(field: string | null, tok: Token, start: number): QueryNode {
    const s = span(start, this.lexer.readModifiers());
    if (field === '_exists_') return exists(tok.value, s);
    return { kind: 'phrase', field, value: tok.value, span: s };
  }

  private regex(scope: Scope, tok: Token, start: number): QueryNode {
    if (scope.field === '_exists_') throw this.existsError(tok);
    return {
      kind: 'regex',
      field: scope.field,
      pattern: tok.value,
      span: span(start, this.lexer.readModifiers()),
    };
  }

  private requireClause(scope: Scope, after: Token): void {
    const tok = this.lexer.peek(this.mode(scope));
    if (!CLAUSE_START.has(tok.kind)) {
      const what = tok.kind === 'eof' ? '' : `, got '${tok.value}'`;
      throw this.error(tok.start, `expected a clause after '${after.value}'${what}`, EXPECTED_CLAUSE);
    }
  }

  private enter(tok: Token): void {
    if (++this.depth > this.maxDepth) {
      throw this.error(
        tok.start,
        `the query nests too deeply: more than ${this.maxDepth} levels of parentheses and prefix operators`,
        [],
      );
    }
  }

  private existsError(tok: Token): CairnError {
    return this.error(tok.start, "expected a field name after '_exists_:'", ['a field name']);
  }

  private col(position: number): number {
    return locate(this.text, position).column;
  }

  private error(position: number, message: string, expected: string[]): CairnError {
    return syntaxError(this.text, position, message, { expected });
  }
}

function span(start: number, end: number): Span {
  return { start, end };
}

function exists(field: string, s: Span): ExistsNode {
  return { kind: 'exists', field, span: s };
}

function bound(tok: Token, inclusive: boolean): RangeBound | null {
  if (tok.kind === 'term' && tok.star) return null;
  return { value: tok.value, inclusive, span: span(tok.start, tok.end) };
}

function applyModifier(c: Clause): QueryNode {
  return c.mod === 'must_not' ? { kind: 'not', child: c.node, span: span(c.start, c.node.span.end) } : c.node;
}

/**
 * Combines the operands of an OR list. Without `+`/`-`/`NOT` prefixes it is a plain OR. With them it
 * follows Lucene (and so Elasticsearch's query_string): prefixed operands are required or
 * prohibited, the others optional, and optional ones only matter when nothing is required:
 * `a +b -c` = `b AND NOT c`; `a OR NOT b` = `a AND NOT b`; `a b -c` = `(a OR b) AND NOT c`.
 */
function combineOr(items: Clause[]): QueryNode {
  if (items.length === 1) return applyModifier(items[0]!);
  const s = span(items[0]!.start, items.at(-1)!.node.span.end);
  if (items.every((c) => c.mod === null)) return { kind: 'or', children: items.map((c) => c.node), span: s };
  const must = items.filter((c) => c.mod === 'must').map((c) => c.node);
  const should = items.filter((c) => c.mod === null).map((c) => c.node);
  const mustNot = items.filter((c) => c.mod === 'must_not').map(applyModifier);
  const parts = [...must];
  if (must.length === 0 && should.length > 0) {
    parts.push(should.length === 1 ? should[0]! : { kind: 'or', children: should, span: s });
  }
  parts.push(...mustNot);
  return parts.length === 1 ? parts[0]! : { kind: 'and', children: parts, span: s };
}
