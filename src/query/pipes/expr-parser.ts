import type { Span } from '../ast.js';
import { locate } from '../errors.js';
import type { BinaryOp, ComparisonOp, Expr, FieldRef } from './ast.js';
import { FUNCTION_NAMES, FUNCTIONS } from './functions.js';
import type { PipeLexer, PipeToken } from './lexer.js';

const COMPARISONS: Readonly<Record<string, ComparisonOp>> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** Words with a meaning in expressions; write `` `in` `` for a field of that name. */
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'like', 'is', 'null', 'true', 'false']);

export const EXPECTED_VALUE = ['a field', 'a number', 'a "string"', 'a function call', "'('"];

/**
 * Parses pipe expressions by precedence climbing, lowest first:
 * `or`/`||` < `and`/`&&` < `not`/`!` < comparisons, `[not] in (…)`, `[not] like`, `is [not] null`
 * (not chained) < `+ -` < `* / %` < unary `-` < values, calls and parentheses.
 * Keywords are case-insensitive. Nesting is capped at `maxDepth`.
 */
export class ExprParser {
  private depth = 0;

  constructor(
    private readonly lexer: PipeLexer,
    private readonly maxDepth: number,
  ) {}

  parse(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.atWord('or') || this.atOp('||')) {
      this.lexer.next();
      const right = this.and();
      left = binary('or', left, right);
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.atWord('and') || this.atOp('&&')) {
      this.lexer.next();
      const right = this.not();
      left = binary('and', left, right);
    }
    return left;
  }

  private not(): Expr {
    if (this.atWord('not') || this.atOp('!')) {
      const tok = this.lexer.next();
      this.enter(tok);
      const operand = this.not();
      this.depth--;
      return { kind: 'unary', op: 'not', operand, span: span(tok.start, operand.span.end) };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const tok = this.lexer.peek();
    if (tok.kind === 'op' && COMPARISONS[tok.value]) {
      this.lexer.next();
      const right = this.additive();
      return binary(COMPARISONS[tok.value]!, left, right);
    }
    let negated = false;
    if (this.atWord('not')) {
      this.lexer.next();
      negated = true;
      const after = this.lexer.peek();
      if (!isWord(after, 'in') && !isWord(after, 'like')) {
        throw this.lexer.error(after.start, "expected 'in' or 'like' after 'not'", ["'in'", "'like'"]);
      }
    }
    if (this.atWord('in')) {
      this.lexer.next();
      const open = this.lexer.next();
      if (open.kind !== 'lparen') throw this.lexer.error(open.start, "expected '(' after 'in'", ["'('"]);
      const list: Expr[] = [this.parse()];
      for (;;) {
        const t = this.lexer.next();
        if (t.kind === 'rparen') {
          return { kind: 'in', value: left, list, negated, span: span(left.span.start, t.end) };
        }
        if (t.kind !== 'comma') {
          throw this.lexer.error(
            t.start,
            `expected ',' or ')' to close the list opened at col ${this.col(open)}`,
            ["','", "')'"],
          );
        }
        list.push(this.parse());
      }
    }
    if (this.atWord('like')) {
      this.lexer.next();
      const pattern = this.additive();
      return { kind: 'like', value: left, pattern, negated, span: span(left.span.start, pattern.span.end) };
    }
    if (this.atWord('is')) {
      this.lexer.next();
      let isNot = false;
      if (this.atWord('not')) {
        this.lexer.next();
        isNot = true;
      }
      const nul = this.lexer.next();
      if (!isWord(nul, 'null')) {
        throw this.lexer.error(nul.start, `expected 'null' after '${isNot ? 'is not' : 'is'}'`, ["'null'"]);
      }
      return { kind: 'is_null', value: left, negated: isNot, span: span(left.span.start, nul.end) };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const tok = this.lexer.peek();
      if (tok.kind !== 'op' || (tok.value !== '+' && tok.value !== '-')) return left;
      this.lexer.next();
      left = binary(tok.value, left, this.multiplicative());
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const tok = this.lexer.peek();
      if (tok.kind !== 'op' || (tok.value !== '*' && tok.value !== '/' && tok.value !== '%')) return left;
      this.lexer.next();
      left = binary(tok.value, left, this.unary());
    }
  }

  private unary(): Expr {
    const tok = this.lexer.peek();
    if (tok.kind === 'op' && (tok.value === '-' || tok.value === '+')) {
      this.lexer.next();
      this.enter(tok);
      const operand = this.unary();
      this.depth--;
      if (tok.value === '+') return { ...operand, span: span(tok.start, operand.span.end) };
      return { kind: 'unary', op: 'neg', operand, span: span(tok.start, operand.span.end) };
    }
    return this.primary();
  }

  private primary(): Expr {
    const tok = this.lexer.next();
    const s = span(tok.start, tok.end);
    switch (tok.kind) {
      case 'number':
        return { kind: 'literal', value: Number(tok.value), span: s };
      case 'string':
        return { kind: 'literal', value: tok.value, span: s };
      case 'quoted':
        return { kind: 'field', name: tok.value, span: s };
      case 'lparen': {
        this.enter(tok);
        const inner = this.parse();
        const close = this.lexer.next();
        if (close.kind !== 'rparen') {
          throw this.lexer.error(close.start, `expected ')' to close the '(' at col ${this.col(tok)}`, [
            "')'",
          ]);
        }
        this.depth--;
        return { ...inner, span: span(tok.start, close.end) };
      }
      case 'ident':
        return this.identifier(tok);
      case 'eof':
        throw this.lexer.error(tok.start, 'expected a value', EXPECTED_VALUE);
      default:
        throw this.lexer.error(tok.start, `expected a value, got '${tok.value}'`, EXPECTED_VALUE);
    }
  }

  private identifier(tok: PipeToken): Expr {
    const lower = tok.value.toLowerCase();
    const s = span(tok.start, tok.end);
    if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true', span: s };
    if (lower === 'null') return { kind: 'literal', value: null, span: s };
    if (this.lexer.peek().kind === 'lparen') return this.call(tok);
    if (KEYWORDS.has(lower)) {
      throw this.lexer.error(
        tok.start,
        `expected a value, got '${tok.value}' (write \`${tok.value}\` for a field of that name)`,
        EXPECTED_VALUE,
      );
    }
    return { kind: 'field', name: tok.value, span: s };
  }

  private call(nameTok: PipeToken): Expr {
    const name = nameTok.value.toLowerCase();
    const fn = FUNCTIONS[name];
    if (!fn) {
      throw this.lexer.error(nameTok.start, `unknown function '${nameTok.value}'`, FUNCTION_NAMES);
    }
    const open = this.lexer.next();
    this.enter(open);
    const args: Expr[] = [];
    let close = this.lexer.peek();
    if (close.kind === 'rparen') {
      this.lexer.next();
    } else {
      for (;;) {
        args.push(this.parse());
        close = this.lexer.next();
        if (close.kind === 'rparen') break;
        if (close.kind !== 'comma') {
          throw this.lexer.error(close.start, `expected ',' or ')' in the arguments of ${name}()`, [
            "','",
            "')'",
          ]);
        }
      }
    }
    this.depth--;
    if (args.length < fn.min || args.length > fn.max) {
      const want =
        fn.min === fn.max ? `${fn.min}` : fn.max > 3 ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
      throw this.lexer.error(
        nameTok.start,
        `${name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}: ${fn.signature}`,
        [fn.signature],
      );
    }
    return { kind: 'call', name, args, span: span(nameTok.start, close.end) };
  }

  private atWord(word: string): boolean {
    return isWord(this.lexer.peek(), word);
  }

  private atOp(op: string): boolean {
    const tok = this.lexer.peek();
    return tok.kind === 'op' && tok.value === op;
  }

  private enter(tok: PipeToken): void {
    if (++this.depth > this.maxDepth) {
      throw this.lexer.error(
        tok.start,
        `the expression nests too deeply: more than ${this.maxDepth} levels of parentheses and prefix operators`,
      );
    }
  }

  private col(tok: PipeToken): number {
    return locate(this.lexer.text, tok.start).column;
  }

  /** A field reference for command arguments (`by`, `sort`, `fields`…): a name, `` `quoted` `` or "quoted". */
  static fieldRef(tok: PipeToken): FieldRef | null {
    if (tok.kind === 'ident' || tok.kind === 'quoted' || tok.kind === 'string') {
      if (tok.value === '') return null;
      return { kind: 'field', name: tok.value, span: span(tok.start, tok.end) };
    }
    return null;
  }
}

export function isWord(tok: PipeToken, word: string): boolean {
  return tok.kind === 'ident' && tok.value.toLowerCase() === word;
}

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right, span: span(left.span.start, right.span.end) };
}

function span(start: number, end: number): Span {
  return { start, end };
}
