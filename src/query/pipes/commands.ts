import type { CairnError } from '../../model/errors.js';
import type { Span } from '../ast.js';
import type {
  AggCall,
  Assignment,
  DedupCommand,
  EvalCommand,
  FieldRef,
  FieldsCommand,
  HeadCommand,
  PipeCommand,
  Rename,
  RenameCommand,
  SortCommand,
  SortKey,
  StatsCommand,
  TimechartCommand,
  TimeInterval,
  TopCommand,
  WhereCommand,
} from './ast.js';
import { ExprParser, isWord } from './expr-parser.js';
import { AGG_NAMES, aggFunction, COMMAND_NAMES } from './functions.js';
import { readInterval } from './interval.js';
import type { PipeLexer, PipeToken } from './lexer.js';

const EXPECTED_FIELD = ['a field name'];
const EXPECTED_END = ["'|'", 'end of query'];

/** The most rows `top`/`rare` may return per group. */
export const MAX_TOP_LIMIT = 10_000;

/** Parses one command after its `|`; the caller checks what follows it. One method per command. */
export class CommandParser {
  constructor(
    private readonly lexer: PipeLexer,
    private readonly maxDepth: number,
  ) {}

  command(): PipeCommand {
    const tok = this.lexer.next();
    if (tok.kind === 'eof' || tok.kind === 'pipe') {
      throw this.error(tok.start, "expected a command after '|'", [...COMMAND_NAMES]);
    }
    if (tok.kind !== 'ident') {
      throw this.error(tok.start, `expected a command after '|', got '${tok.value}'`, [...COMMAND_NAMES]);
    }
    switch (tok.value.toLowerCase()) {
      case 'where':
        return this.where(tok);
      case 'stats':
        return this.stats(tok);
      case 'timechart':
        return this.timechart(tok);
      case 'top':
      case 'rare':
        return this.top(tok);
      case 'sort':
        return this.sort(tok);
      case 'head':
        return this.head(tok);
      case 'fields':
      case 'table':
        return this.fields(tok);
      case 'rename':
        return this.rename(tok);
      case 'eval':
        return this.eval(tok);
      case 'dedup':
        return this.dedup(tok);
      default:
        throw this.error(tok.start, `unknown command '${tok.value}'`, [...COMMAND_NAMES]);
    }
  }

  /** What may follow a complete command of this kind (for the "unexpected …" message). */
  static expectedAfter(cmd: PipeCommand): string[] {
    switch (cmd.kind) {
      case 'where':
      case 'eval':
        return ['an operator', ...EXPECTED_END];
      case 'stats':
      case 'timechart':
        return ["','", "'by'", ...EXPECTED_END];
      case 'head':
        return EXPECTED_END;
      default:
        return ["','", ...EXPECTED_END];
    }
  }

  private where(name: PipeToken): WhereCommand {
    const condition = this.expr(name, 'a condition such as status >= 500');
    return { kind: 'where', condition, span: this.spanFrom(name) };
  }

  private stats(name: PipeToken): StatsCommand {
    const aggs = this.aggList(name);
    const by = this.atWord('by') ? this.fieldList(this.lexer.next(), { stopAtBy: false }) : [];
    this.checkNames([...by, ...aggs]);
    return { kind: 'stats', aggs, by, span: this.spanFrom(name) };
  }

  private timechart(name: PipeToken): TimechartCommand {
    let interval: TimeInterval | null = null;
    if (this.atWord('span')) {
      const spanTok = this.lexer.next();
      const eq = this.lexer.next();
      if (eq.kind !== 'op' || eq.value !== '=') {
        throw this.error(eq.start, "expected '=' after 'span'", ["'='"]);
      }
      interval = readInterval(this.lexer, spanTok);
    }
    const aggs = this.aggList(name);
    let by: FieldRef | null = null;
    if (this.atWord('by')) {
      const byTok = this.lexer.next();
      by = this.field(this.lexer.next(), `expected a field name after '${byTok.value}'`);
      const more = this.lexer.peek();
      if (more.kind === 'comma' || ExprParser.fieldRef(more)) {
        throw this.error(more.start, 'timechart splits by one field only', EXPECTED_END);
      }
    }
    this.checkNames(by ? [by, ...aggs] : aggs);
    return { kind: 'timechart', interval, aggs, by, span: this.spanFrom(name) };
  }

  private top(name: PipeToken): TopCommand {
    const kind = name.value.toLowerCase() === 'rare' ? 'rare' : 'top';
    let limit = 10;
    const first = this.lexer.peek();
    if (first.kind === 'number') {
      limit = this.integer(this.lexer.next(), { min: 1, max: MAX_TOP_LIMIT, what: `the ${kind} count` });
    } else if (isWord(first, 'limit')) {
      const saved = this.lexer.pos;
      this.lexer.next();
      const eq = this.lexer.peek();
      if (eq.kind === 'op' && eq.value === '=') {
        this.lexer.next();
        limit = this.integer(this.lexer.next(), { min: 1, max: MAX_TOP_LIMIT, what: `the ${kind} limit` });
      } else {
        this.lexer.pos = saved;
      }
    }
    const fields = this.fieldList(name, { stopAtBy: true });
    const by = this.atWord('by') ? this.fieldList(this.lexer.next(), { stopAtBy: false }) : [];
    this.checkNames([...by, ...fields]);
    return { kind, limit, fields, by, span: this.spanFrom(name) };
  }

  private sort(name: PipeToken): SortCommand {
    const keys: SortKey[] = [];
    for (;;) {
      let tok = this.lexer.peek();
      if (tok.kind === 'pipe' || tok.kind === 'eof') break;
      if (keys.length > 0 && tok.kind === 'comma') {
        this.lexer.next();
        tok = this.lexer.peek();
      }
      let order: 'asc' | 'desc' = 'asc';
      const start = tok.start;
      if (tok.kind === 'op' && (tok.value === '-' || tok.value === '+')) {
        this.lexer.next();
        order = tok.value === '-' ? 'desc' : 'asc';
      }
      const fieldTok = this.lexer.next();
      const field = ExprParser.fieldRef(fieldTok);
      if (!field) {
        const hint = fieldTok.kind === 'number' ? " (sort takes no count: add '| head N')" : '';
        throw this.error(fieldTok.start, `expected a field name to sort by${hint}`, EXPECTED_FIELD);
      }
      if (this.atWord('asc') || this.atWord('desc')) {
        order = this.lexer.next().value.toLowerCase() === 'desc' ? 'desc' : 'asc';
      }
      keys.push({ field, order, span: { start, end: this.lexer.pos } });
    }
    if (keys.length === 0) {
      throw this.error(this.lexer.peek().start, "expected a field name after 'sort'", EXPECTED_FIELD);
    }
    return { kind: 'sort', keys, span: this.spanFrom(name) };
  }

  private head(name: PipeToken): HeadCommand {
    const tok = this.lexer.peek();
    let count = 10;
    if (tok.kind === 'number' || (tok.kind === 'op' && tok.value === '-')) {
      count = this.integer(this.lexer.next(), {
        min: 0,
        max: Number.MAX_SAFE_INTEGER,
        what: 'the head count',
      });
    }
    return { kind: 'head', count, span: this.spanFrom(name) };
  }

  private fields(name: PipeToken): FieldsCommand {
    let mode: 'keep' | 'remove' = 'keep';
    const tok = this.lexer.peek();
    if (
      name.value.toLowerCase() === 'fields' &&
      tok.kind === 'op' &&
      (tok.value === '-' || tok.value === '+')
    ) {
      this.lexer.next();
      mode = tok.value === '-' ? 'remove' : 'keep';
    }
    const fields = this.fieldList(name, { stopAtBy: false });
    if (mode === 'keep') this.checkNames(fields, 'list it once');
    return { kind: 'fields', mode, fields, span: this.spanFrom(name) };
  }

  private rename(name: PipeToken): RenameCommand {
    const renames: Rename[] = [];
    do {
      const fromTok = this.lexer.next();
      const from = this.field(
        fromTok,
        `expected a field name to rename after '${renames.length ? ',' : 'rename'}'`,
      );
      const as = this.lexer.next();
      if (!isWord(as, 'as')) throw this.error(as.start, `expected 'as' after '${from.name}'`, ["'as'"]);
      const to = this.field(this.lexer.next(), "expected the new field name after 'as'");
      renames.push({ from, to, span: { start: from.span.start, end: to.span.end } });
    } while (this.skipComma());
    return { kind: 'rename', renames, span: this.spanFrom(name) };
  }

  private eval(name: PipeToken): EvalCommand {
    const assignments: Assignment[] = [];
    do {
      const field = this.field(this.lexer.next(), 'expected a field name to assign, as in eval x = y * 2');
      const eq = this.lexer.next();
      if (eq.kind !== 'op' || eq.value !== '=') {
        throw this.error(eq.start, `expected '=' after '${field.name}'`, ["'='"]);
      }
      const value = this.expr(eq, 'an expression');
      assignments.push({ field, value, span: { start: field.span.start, end: value.span.end } });
    } while (this.skipComma());
    return { kind: 'eval', assignments, span: this.spanFrom(name) };
  }

  private dedup(name: PipeToken): DedupCommand {
    return { kind: 'dedup', fields: this.fieldList(name, { stopAtBy: false }), span: this.spanFrom(name) };
  }

  // -------------------------------------------------------------------------------------------

  private expr(after: PipeToken, what: string): ReturnType<ExprParser['parse']> {
    const next = this.lexer.peek();
    if (next.kind === 'pipe' || next.kind === 'eof') {
      throw this.error(next.start, `expected ${what} after '${after.value}'`, ['an expression']);
    }
    return new ExprParser(this.lexer, this.maxDepth).parse();
  }

  /** Aggregations, separated by commas or blanks, up to `by`, `|` or the end. At least one. */
  private aggList(name: PipeToken): AggCall[] {
    const aggs: AggCall[] = [];
    for (;;) {
      let tok = this.lexer.peek();
      if (tok.kind === 'pipe' || tok.kind === 'eof' || isWord(tok, 'by')) break;
      if (aggs.length > 0 && tok.kind === 'comma') {
        this.lexer.next();
        tok = this.lexer.peek();
      }
      aggs.push(this.agg());
    }
    if (aggs.length === 0) {
      const tok = this.lexer.peek();
      throw this.error(tok.start, `expected an aggregation such as count() after '${name.value}'`, AGG_NAMES);
    }
    return aggs;
  }

  private agg(): AggCall {
    const tok = this.lexer.next();
    if (tok.kind !== 'ident') {
      const got = tok.kind === 'eof' ? '' : `, got '${tok.value}'`;
      throw this.error(tok.start, `expected an aggregation such as count() or avg(field)${got}`, AGG_NAMES);
    }
    const fn = aggFunction(tok.value);
    if (!fn) throw this.error(tok.start, `unknown aggregation '${tok.value}'`, AGG_NAMES);
    const written = tok.value.toLowerCase();
    let field: FieldRef | null = null;
    let end = tok.end;
    if (this.lexer.peek().kind === 'lparen') {
      this.lexer.next();
      const arg = this.lexer.next();
      if (arg.kind === 'rparen' || (arg.kind === 'op' && arg.value === '*')) {
        if (arg.kind !== 'rparen') this.expectClose(written);
      } else {
        field = this.field(arg, `expected a field name in ${written}( )`);
        this.expectClose(written);
      }
      end = this.lexer.pos;
    } else if (fn.fn !== 'count') {
      throw this.error(this.lexer.peek().start, `expected '(' after '${tok.value}': ${written}(field)`, [
        "'('",
      ]);
    }
    if (field === null && fn.fn !== 'count') {
      throw this.error(tok.start, `${written}() needs a field: ${written}(field)`, EXPECTED_FIELD);
    }
    let name = field === null ? 'count' : `${written}(${field.name})`;
    if (this.atWord('as')) {
      this.lexer.next();
      const alias = this.field(this.lexer.next(), "expected a column name after 'as'");
      name = alias.name;
      end = alias.span.end;
    }
    return { kind: 'agg', fn: fn.fn, field, percent: fn.percent, name, span: { start: tok.start, end } };
  }

  private expectClose(fn: string): void {
    const close = this.lexer.next();
    if (close.kind !== 'rparen') throw this.error(close.start, `expected ')' to close ${fn}(`, ["')'"]);
  }

  /** Field names separated by commas or blanks, up to `|`, the end, or `by` when asked. At least one. */
  private fieldList(after: PipeToken, opts: { stopAtBy: boolean }): FieldRef[] {
    const fields: FieldRef[] = [];
    for (;;) {
      let tok = this.lexer.peek();
      if (tok.kind === 'pipe' || tok.kind === 'eof' || (opts.stopAtBy && isWord(tok, 'by'))) break;
      if (fields.length > 0 && tok.kind === 'comma') {
        this.lexer.next();
        tok = this.lexer.peek();
      }
      const ref = ExprParser.fieldRef(tok);
      if (!ref) {
        const got = tok.kind === 'eof' || tok.kind === 'pipe' ? '' : `, got '${tok.value}'`;
        throw this.error(tok.start, `expected a field name${got}`, EXPECTED_FIELD);
      }
      this.lexer.next();
      fields.push(ref);
    }
    if (fields.length === 0) {
      throw this.error(
        this.lexer.peek().start,
        `expected a field name after '${after.value}'`,
        EXPECTED_FIELD,
      );
    }
    return fields;
  }

  private field(tok: PipeToken, message: string): FieldRef {
    const ref = ExprParser.fieldRef(tok);
    if (!ref) throw this.error(tok.start, message, EXPECTED_FIELD);
    return ref;
  }

  private integer(tok: PipeToken, opts: { min: number; max: number; what: string }): number {
    const text = tok.kind === 'op' && tok.value === '-' ? `-${this.lexer.peek().value}` : tok.value;
    const n = Number(text);
    if (
      tok.kind !== 'number' ||
      !/^\d+$/.test(tok.value) ||
      !Number.isSafeInteger(n) ||
      n < opts.min ||
      n > opts.max
    ) {
      const range =
        opts.max === Number.MAX_SAFE_INTEGER ? `at least ${opts.min}` : `${opts.min} to ${opts.max}`;
      throw this.error(tok.start, `${opts.what} must be a whole number, ${range}; got '${text}'`, [
        'a number',
      ]);
    }
    return n;
  }

  /** Names of output columns must be distinct; the second mention (in query order) is the error. */
  private checkNames(items: readonly (FieldRef | AggCall)[], hint = "name one with 'as', or drop it"): void {
    const seen = new Set<string>();
    for (const item of [...items].sort((a, b) => a.span.start - b.span.start)) {
      if (seen.has(item.name)) {
        throw this.error(item.span.start, `column "${item.name}" appears twice: ${hint}`, []);
      }
      seen.add(item.name);
    }
  }

  private skipComma(): boolean {
    if (this.lexer.peek().kind !== 'comma') return false;
    this.lexer.next();
    return true;
  }

  private atWord(word: string): boolean {
    return isWord(this.lexer.peek(), word);
  }

  private spanFrom(name: PipeToken): Span {
    return { start: name.start, end: this.lexer.pos };
  }

  private error(position: number, message: string, expected: string[] = []): CairnError {
    return this.lexer.error(position, message, expected);
  }
}
