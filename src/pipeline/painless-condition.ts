import { CairnError } from '../model/errors.js';
import type { FieldValue } from '../model/event.js';
import type { Condition } from './condition.js';
import { getField, hasField, type PipelineDoc } from './doc.js';

/*
 * The Painless conditions Elasticsearch ingest pipelines are written with, as far as they only read
 * the document: `ctx.event?.dataset == 'nginx.access'`, `ctx.tags != null &&
 * ctx.tags.contains('x')`, `ctx['@timestamp'] != null`, `!ctx.message.startsWith('{')`. Pipelines
 * installed by Filebeat modules and written for Elasticsearch use these everywhere; with them, such a
 * pipeline runs on Cairn instead of being stored as sent.
 *
 * Supported: `ctx` fields (`.`, `?.`, `['name']`), string, number, boolean and null literals, `==`,
 * `!=`, `<`, `<=`, `>`, `>=`, `!`, `&&`, `||`, parentheses, and the methods `contains`,
 * `containsKey`, `startsWith`, `endsWith`, `equals`, `equalsIgnoreCase`, `isEmpty`, `size`,
 * `length`, `toLowerCase`, `toUpperCase` and `trim`. Anything else (assignments, loops, variables,
 * other methods, casts, regexes) is refused at compile time, so a pipeline using it is reported as
 * one Cairn cannot run. Differences: `.` is null-safe like `?.` (Painless would fail the processor
 * with a NullPointerException), and a condition whose value is not a boolean is false.
 */

/** Whether an `if` is Painless rather than a Cairn query: it reads `ctx` and has no `field:value`. */
export function looksLikePainless(text: string): boolean {
  if (!/(^|[^\w.])ctx\s*(\?\.|\.|\[)/.test(text)) return false;
  return !hasUnquotedColon(text);
}

function hasUnquotedColon(text: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ':') return true;
  }
  return false;
}

/** Compiles a Painless condition; throws CairnError `bad_request` naming what is not supported. */
export function compilePainlessCondition(text: string): Condition {
  const parser = new Parser(tokenize(text), text);
  const expr = parser.expression();
  parser.expectEnd();
  return (doc) => truth(expr(doc));
}

// ---------------------------------------------------------------------------------------------
// Values: a field of the document is read lazily, as a path, so `ctx.a?.b` and `ctx.a.containsKey('b')`
// can see objects, which the flat field map only holds as dotted names below them.

/** A map in the document (`ctx.http`): present because fields below it are. */
interface MapRef {
  map: string;
}
type Value = FieldValue | null | MapRef | boolean | number;
type Expr = (doc: PipelineDoc) => Value;
/** A path below `ctx` ('' for ctx itself) or a computed value. */
type Operand = { path: string } | { expr: Expr };

function read(doc: PipelineDoc, path: string): Value {
  if (path === '') return { map: '' };
  const v = getField(doc, path);
  if (v !== undefined) return v;
  return hasField(doc, path) ? { map: path } : null;
}

function isMap(v: Value): v is MapRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function truth(v: Value): boolean {
  return v === true;
}

function equal(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (isMap(a) || isMap(b)) return isMap(a) && isMap(b) && a.map === b.map;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  return a === b;
}

type Method = (target: Value, args: Value[], doc: PipelineDoc) => Value;

const text = (v: Value): string | null => (typeof v === 'string' ? v : null);

const METHODS: Record<string, { arity: number; run: Method }> = {
  contains: {
    arity: 1,
    run: (t, [x]) => {
      if (typeof t === 'string') return typeof x === 'string' && t.includes(x);
      if (Array.isArray(t)) return t.some((v) => equal(v, x ?? null));
      return null;
    },
  },
  containsKey: {
    arity: 1,
    run: (t, [k], doc) =>
      isMap(t) && typeof k === 'string' ? hasField(doc, t.map === '' ? k : `${t.map}.${k}`) : null,
  },
  startsWith: { arity: 1, run: (t, [x]) => (text(t) === null ? null : text(t)!.startsWith(String(x))) },
  endsWith: { arity: 1, run: (t, [x]) => (text(t) === null ? null : text(t)!.endsWith(String(x))) },
  equals: { arity: 1, run: (t, [x]) => (t === null ? null : equal(t, x ?? null)) },
  equalsIgnoreCase: {
    arity: 1,
    run: (t, [x]) =>
      text(t) === null ? null : typeof x === 'string' && text(t)!.toLowerCase() === x.toLowerCase(),
  },
  isEmpty: {
    arity: 0,
    run: (t, _args, doc) => {
      if (typeof t === 'string' || Array.isArray(t)) return t.length === 0;
      return isMap(t) ? !hasField(doc, t.map) : null;
    },
  },
  size: { arity: 0, run: (t) => (Array.isArray(t) ? t.length : null) },
  length: { arity: 0, run: (t) => (typeof t === 'string' ? t.length : null) },
  toLowerCase: { arity: 0, run: (t) => (text(t) === null ? null : text(t)!.toLowerCase()) },
  toUpperCase: { arity: 0, run: (t) => (text(t) === null ? null : text(t)!.toUpperCase()) },
  trim: { arity: 0, run: (t) => (text(t) === null ? null : text(t)!.trim()) },
};

// ---------------------------------------------------------------------------------------------
// Tokens and grammar.

type Token =
  | { kind: 'ident'; value: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'op'; value: string; at: number };

const OPERATORS = ['?.', '==', '!=', '<=', '>=', '&&', '||', '.', '!', '<', '>', '(', ')', '[', ']', ','];

function unsupported(source: string, what: string, at: number): CairnError {
  return new CairnError(
    'bad_request',
    `Painless condition "${source}": ${what} at character ${at + 1} is not supported (Cairn runs conditions that compare ctx fields with ==, !=, <, >, &&, || and ! and call contains, containsKey, startsWith, endsWith, equals, isEmpty, size, length, toLowerCase, toUpperCase or trim)`,
  );
}

function tokenize(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === '\\' && j + 1 < source.length) {
          const next = source[++j]!;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        } else value += source[j];
      }
      if (j >= source.length) throw unsupported(source, 'an unterminated string', i);
      out.push({ kind: 'string', value, at: i });
      i = j + 1;
      continue;
    }
    const number = /^\d+(\.\d+)?[LlFfDd]?/.exec(source.slice(i));
    if (number !== null) {
      out.push({ kind: 'number', value: Number.parseFloat(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_$][\w$]*/.exec(source.slice(i));
    if (ident !== null) {
      out.push({ kind: 'ident', value: ident[0], at: i });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) throw unsupported(source, `"${c}"`, i);
    out.push({ kind: 'op', value: op, at: i });
    i += op.length;
  }
  return out;
}

class Parser {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.value === value;
  }

  private expectOp(value: string): void {
    if (!this.isOp(value)) throw this.unexpected(`"${value}" expected`);
    this.pos++;
  }

  private unexpected(why?: string): CairnError {
    const t = this.peek();
    if (t === undefined)
      return new CairnError(
        'bad_request',
        `Painless condition "${this.source}" ends too early${why ? `: ${why}` : ''}`,
      );
    const shown = t.kind === 'string' ? JSON.stringify(t.value) : String(t.value);
    return unsupported(this.source, `"${shown}"`, t.at);
  }

  expectEnd(): void {
    if (this.peek() !== undefined) throw this.unexpected();
  }

  expression(): Expr {
    let left = this.and();
    while (this.isOp('||')) {
      this.pos++;
      const a = left;
      const b = this.and();
      left = (doc) => truth(a(doc)) || truth(b(doc));
    }
    return left;
  }

  private and(): Expr {
    let left = this.comparison();
    while (this.isOp('&&')) {
      this.pos++;
      const a = left;
      const b = this.comparison();
      left = (doc) => truth(a(doc)) && truth(b(doc));
    }
    return left;
  }

  private comparison(): Expr {
    const left = this.unary();
    const t = this.peek();
    if (t?.kind !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(t.value)) return left;
    this.pos++;
    const right = this.unary();
    switch (t.value) {
      case '==':
        return (doc) => equal(left(doc), right(doc));
      case '!=':
        return (doc) => !equal(left(doc), right(doc));
      default: {
        const cmp = t.value;
        return (doc) => {
          const a = left(doc);
          const b = right(doc);
          if (typeof a !== 'number' || typeof b !== 'number') return false;
          return cmp === '<' ? a < b : cmp === '<=' ? a <= b : cmp === '>' ? a > b : a >= b;
        };
      }
    }
  }

  private unary(): Expr {
    if (this.isOp('!')) {
      this.pos++;
      const inner = this.unary();
      return (doc) => {
        const v = inner(doc);
        return typeof v === 'boolean' ? !v : null;
      };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let operand = this.primary();
    for (;;) {
      if (this.isOp('.') || this.isOp('?.')) {
        this.pos++;
        const name = this.peek();
        if (name?.kind !== 'ident') throw this.unexpected('a field or method name expected');
        this.pos++;
        if (this.isOp('(')) operand = { expr: this.call(operand, name.value, name.at) };
        else operand = member(operand, name.value);
      } else if (this.isOp('[')) {
        this.pos++;
        const key = this.peek();
        if (key?.kind !== 'string') throw this.unexpected('a quoted field name expected');
        this.pos++;
        this.expectOp(']');
        operand = member(operand, key.value);
      } else return evaluate(operand);
    }
  }

  private call(target: Operand, name: string, at: number): Expr {
    const method = Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
    if (method === undefined) throw unsupported(this.source, `the method ${name}()`, at);
    this.expectOp('(');
    const args: Expr[] = [];
    while (!this.isOp(')')) {
      if (args.length > 0) this.expectOp(',');
      args.push(this.expression());
    }
    this.pos++;
    if (args.length !== method.arity)
      throw unsupported(this.source, `${name}() with ${args.length} arguments`, at);
    const self = evaluate(target);
    return (doc) => {
      const t = self(doc);
      return t === null
        ? null
        : method.run(
            t,
            args.map((a) => a(doc)),
            doc,
          );
    };
  }

  private primary(): Operand {
    const t = this.peek();
    if (t === undefined) throw this.unexpected();
    this.pos++;
    switch (t.kind) {
      case 'string':
      case 'number': {
        const v = t.value;
        return { expr: () => v };
      }
      case 'ident':
        if (t.value === 'ctx') return { path: '' };
        if (t.value === 'true' || t.value === 'false') {
          const v = t.value === 'true';
          return { expr: () => v };
        }
        if (t.value === 'null') return { expr: () => null };
        throw unsupported(this.source, `"${t.value}"`, t.at);
      case 'op':
        if (t.value === '(') {
          const inner = this.expression();
          this.expectOp(')');
          return { expr: inner };
        }
        this.pos--;
        throw this.unexpected();
    }
  }
}

/** `operand.name`: a longer path below ctx, or null-safe nothing on a computed value. */
function member(operand: Operand, name: string): Operand {
  if ('path' in operand) return { path: operand.path === '' ? name : `${operand.path}.${name}` };
  return { expr: () => null };
}

function evaluate(operand: Operand): Expr {
  if ('expr' in operand) return operand.expr;
  const path = operand.path;
  return (doc) => read(doc, path);
}
