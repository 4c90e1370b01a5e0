import { assertNever, isCairnError } from '../../../model/errors.js';
import { parseDateMath } from '../../../query/date-math.js';
import { parseIp } from '../../../query/ip.js';
import type {
  ArithmeticOp,
  CallExpr,
  ComparisonOp,
  Expr,
  LikeExpr,
  LiteralExpr,
} from '../../../query/pipes/ast.js';
import { parseBoolean, parseNumber } from '../../../query/values.js';
import {
  boolean,
  commonType,
  comparable,
  describe,
  example,
  isNullSql,
  isText,
  mismatch,
  number,
  string,
  toText,
  typeError,
} from './expr-types.js';
import { type Column, NULL_COLUMN, type Params } from './scope.js';

export interface ExprContext {
  /** The column a name reads in the current stage (NULL_COLUMN when nothing defines it). */
  read(name: string): Column;
  params: Params;
  /** `now` for date math in string literals compared with timestamps, µs since the epoch. */
  nowUs: number;
}

const SQL_COMPARISON: Readonly<Record<ComparisonOp, string>> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

const FLIPPED: Readonly<Record<ComparisonOp, ComparisonOp>> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

const ARITHMETIC_VERB: Readonly<Record<ArithmeticOp, string>> = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '/': 'divide',
  '%': 'take the remainder of',
};

/**
 * Compiles pipe expressions to DuckDB SQL with static types. Predicates (comparisons, `in`, `like`,
 * `is null`, `and`/`or`/`not`) are two-valued: a comparison with a missing value is FALSE, never NULL,
 * so `NOT status = 200` keeps rows without `status` (as the search's `NOT` does) while
 * `status != 200` needs a `status`. On list fields a comparison holds when any element satisfies it.
 * Every literal is a bound parameter; a type clash is CairnError `invalid_query` naming the operands.
 */
export class ExprCompiler {
  private lambdas = 0;

  constructor(private readonly ctx: ExprContext) {}

  /** A boolean SQL expression that is never NULL. `what` names the command for messages. */
  condition(e: Expr, what = 'where'): string {
    switch (e.kind) {
      case 'binary':
        if (e.op === 'and' || e.op === 'or') {
          return `(${this.condition(e.left, what)} ${e.op.toUpperCase()} ${this.condition(e.right, what)})`;
        }
        if (isComparison(e.op)) return this.compare(e.op, e.left, e.right);
        break;
      case 'unary':
        if (e.op === 'not') return `(NOT ${this.condition(e.operand, what)})`;
        break;
      case 'in': {
        const value = this.value(e.value);
        const anyOf = e.list.map((item) => this.compareColumn('=', value, e.value, item));
        const sql = anyOf.length === 1 ? anyOf[0]! : `(${anyOf.join(' OR ')})`;
        return e.negated ? `(NOT ${sql})` : sql;
      }
      case 'like':
        return this.like(e);
      case 'is_null': {
        const sql = isNullSql(this.value(e.value));
        return e.negated ? `(NOT ${sql})` : sql;
      }
      default:
        break;
    }
    const v = this.value(e);
    // These calls are predicates already: TRUE or FALSE, never NULL.
    if (e.kind === 'call' && (e.name === 'match' || e.name === 'isnull' || e.name === 'isnotnull'))
      return v.sql;
    if (v.type !== 'boolean' && v.type !== 'null') {
      throw typeError(
        `Cannot use ${describe(e, v)} as a condition in ${what}: compare it with something, e.g. ${example(e)} > 0`,
        e,
      );
    }
    if (v.list) throw typeError(`Cannot use the list ${describe(e, v)} as a condition in ${what}`, e);
    return `COALESCE(${v.sql}, FALSE)`;
  }

  value(e: Expr): Column {
    switch (e.kind) {
      case 'field':
        return this.ctx.read(e.name);
      case 'literal':
        return this.literal(e);
      case 'unary': {
        if (e.op === 'not') return boolean(this.condition(e));
        const operand = this.number(e.operand, 'negate');
        return { sql: `(- ${operand})`, type: 'number', list: false };
      }
      case 'binary':
        if (e.op === 'and' || e.op === 'or' || isComparison(e.op)) return boolean(this.condition(e));
        return this.arithmetic(e.op, e.left, e.right);
      case 'in':
      case 'like':
      case 'is_null':
        return boolean(this.condition(e));
      case 'call':
        return this.call(e);
      default:
        return assertNever(e, 'expression');
    }
  }

  private literal(e: LiteralExpr): Column {
    const v = e.value;
    if (v === null) return NULL_COLUMN;
    if (typeof v === 'string') return { sql: this.ctx.params.add(v, 'VARCHAR'), type: 'string', list: false };
    if (typeof v === 'number') return { sql: this.ctx.params.add(v, 'DOUBLE'), type: 'number', list: false };
    return { sql: this.ctx.params.add(v, 'BOOLEAN'), type: 'boolean', list: false };
  }

  private compare(op: ComparisonOp, left: Expr, right: Expr): string {
    // A literal takes the type of the other side (`@timestamp > "now-1h"`), so compile that side first.
    if (left.kind === 'literal' && right.kind !== 'literal') {
      return this.compareColumn(FLIPPED[op], this.value(right), right, left);
    }
    return this.compareColumn(op, this.value(left), left, right);
  }

  private compareColumn(op: ComparisonOp, l: Column, left: Expr, right: Expr): string {
    const r = right.kind === 'literal' ? this.literalAs(right, l, left, op) : this.value(right);
    if (l.list && r.list)
      throw typeError(`Cannot compare two lists: ${describe(left, l)} and ${describe(right, r)}`, left);
    const [castL, castR] = comparable(l, left, r, right);
    const sqlOp = SQL_COMPARISON[op];
    if (l.list || r.list) {
      const [list, scalar, flipped] = l.list ? [l, castR(r.sql), op] : [r, castL(l.sql), FLIPPED[op]];
      const castElement = l.list ? castL : castR;
      if (flipped === '!=') {
        // Present, and no element equals the value (as `!=` on a scalar needs the field present).
        return `(${list.sql} IS NOT NULL AND NOT ${this.anyElement(list.sql, (x) => `${castElement(x)} = ${scalar}`)})`;
      }
      return this.anyElement(list.sql, (x) => `${castElement(x)} ${SQL_COMPARISON[flipped]} ${scalar}`);
    }
    return `COALESCE(${castL(l.sql)} ${sqlOp} ${castR(r.sql)}, FALSE)`;
  }

  /** A string literal read as the other operand's type: a number, a boolean, a date (math), an IP. */
  private literalAs(lit: LiteralExpr, other: Column, otherExpr: Expr, op: ComparisonOp): Column {
    if (typeof lit.value !== 'string') return this.literal(lit);
    const text = lit.value;
    const params = this.ctx.params;
    switch (other.type) {
      case 'number': {
        const n = parseNumber(text.trim());
        if (n === null) throw mismatch(otherExpr, other, text, 'expected a number');
        return { sql: params.add(n, 'DOUBLE'), type: 'number', list: false };
      }
      case 'boolean': {
        const b = parseBoolean(text);
        if (b === null) throw mismatch(otherExpr, other, text, 'expected true or false');
        return { sql: params.add(b, 'BOOLEAN'), type: 'boolean', list: false };
      }
      case 'timestamp': {
        let us: number;
        try {
          // As Elasticsearch rounds: `> now/d` is after today, `<= now/d` up to its end.
          us = parseDateMath(text.trim(), { nowUs: this.ctx.nowUs, roundUp: op === '>' || op === '<=' });
        } catch (err) {
          if (!isCairnError(err)) throw err;
          const reason = err.details?.['reason'];
          throw mismatch(otherExpr, other, text, typeof reason === 'string' ? reason : err.message);
        }
        return {
          sql: `make_timestamp(${params.add(Math.trunc(us), 'BIGINT')})`,
          type: 'timestamp',
          list: false,
        };
      }
      case 'ip': {
        const ip = parseIp(text.trim());
        return { sql: params.add(ip ? ip.text : text, 'VARCHAR'), type: 'ip', list: false };
      }
      case 'string':
      case 'null':
        return this.literal(lit);
      default:
        return assertNever(other.type, 'value type');
    }
  }

  private like(e: LikeExpr): string {
    const v = this.value(e.value);
    if (!isText(v.type)) {
      throw typeError(
        `Cannot use like on ${describe(e.value, v)}: like compares text; convert with tostring(${example(e.value)})`,
        e.value,
      );
    }
    const p = this.text(e.pattern, 'like');
    const test = (x: string) => `${x} LIKE ${p} ESCAPE '\\'`;
    const sql = v.list ? this.anyElement(v.sql, test) : `COALESCE(${test(v.sql)}, FALSE)`;
    return e.negated ? `(NOT ${sql})` : sql;
  }

  private arithmetic(op: ArithmeticOp, left: Expr, right: Expr): Column {
    const l = this.number(left, ARITHMETIC_VERB[op], op);
    const r = this.number(right, ARITHMETIC_VERB[op], op);
    return { sql: `(${l} ${op} ${r})`, type: 'number', list: false };
  }

  /** SQL of a numeric operand (or NULL). */
  private number(e: Expr, verb: string, op?: ArithmeticOp): string {
    const v = this.value(e);
    if (v.list) throw typeError(`Cannot ${verb} the list ${describe(e, v)}`, e);
    if (v.type !== 'number' && v.type !== 'null') {
      const hint =
        op === '+' && isText(v.type) ? '; join text with concat(a, b)' : '; convert with tonumber()';
      throw typeError(`Cannot ${verb} ${describe(e, v)}: ${op ?? verb} needs numbers${hint}`, e);
    }
    return v.sql;
  }

  /** SQL of a text operand (string or IP, or NULL). */
  private text(e: Expr, fn: string): string {
    const v = this.value(e);
    if (v.list || !isText(v.type)) {
      throw typeError(
        `Cannot use ${describe(e, v)} in ${fn}: it takes text${v.list ? ', not a list' : `; convert with tostring(${example(e)})`}`,
        e,
      );
    }
    return v.sql;
  }

  private call(e: CallExpr): Column {
    const args = e.args;
    const arg = (i: number) => args[i]!;
    switch (e.name) {
      case 'lower':
      case 'upper':
      case 'trim':
        return string(`${e.name}(${this.text(arg(0), `${e.name}()`)})`);
      case 'len': {
        const v = this.value(arg(0));
        if (v.list) return number(`len(${v.sql})::DOUBLE`);
        if (isText(v.type)) return number(`length(${v.sql})::DOUBLE`);
        throw typeError(`Cannot take len() of ${describe(arg(0), v)}: it takes text or a list`, arg(0));
      }
      case 'abs':
      case 'ceil':
      case 'floor':
        return number(`${e.name}(${this.number(arg(0), `take ${e.name}() of`)})`);
      case 'round': {
        const x = this.number(arg(0), 'round');
        if (args.length === 1) return number(`round(${x})`);
        const d = arg(1);
        if (
          d.kind !== 'literal' ||
          typeof d.value !== 'number' ||
          !Number.isInteger(d.value) ||
          Math.abs(d.value) > 15
        ) {
          throw typeError(
            'Cannot round: the digits must be a whole number from -15 to 15, as in round(x, 2)',
            d,
          );
        }
        return number(`round(${x}, ${this.ctx.params.add(d.value, 'INTEGER')})`);
      }
      case 'coalesce': {
        const values = this.sameType(args, 'coalesce()');
        return {
          sql: `COALESCE(${values.map((v) => v.sql).join(', ')})`,
          type: commonType(values),
          list: false,
        };
      }
      case 'if': {
        const cond = this.condition(arg(0), 'if()');
        const values = this.sameType([arg(1), arg(2)], 'if()');
        return {
          sql: `(CASE WHEN ${cond} THEN ${values[0]!.sql} ELSE ${values[1]!.sql} END)`,
          type: commonType(values),
          list: false,
        };
      }
      case 'isnull':
      case 'isnotnull': {
        const sql = isNullSql(this.value(arg(0)));
        return boolean(e.name === 'isnull' ? sql : `(NOT ${sql})`);
      }
      case 'tostring':
        return string(toText(this.value(arg(0))));
      case 'tonumber':
        return number(this.toNumber(arg(0)));
      case 'substr': {
        const s = this.text(arg(0), 'substr()');
        const start = this.number(arg(1), 'use as a start position');
        if (args.length === 2) return string(`substr(${s}, CAST(${start} AS BIGINT))`);
        const length = this.number(arg(2), 'use as a length');
        return string(`substr(${s}, CAST(${start} AS BIGINT), CAST(${length} AS BIGINT))`);
      }
      case 'concat':
        return string(`concat(${args.map((a) => toText(this.value(a))).join(', ')})`);
      case 'match': {
        const v = this.value(arg(0));
        if (!isText(v.type)) {
          throw typeError(
            `Cannot match ${describe(arg(0), v)}: match() takes text; convert with tostring()`,
            arg(0),
          );
        }
        const re = this.text(arg(1), 'match()');
        const test = (x: string) => `regexp_matches(${x}, ${re})`;
        return boolean(v.list ? this.anyElement(v.sql, test) : `COALESCE(${test(v.sql)}, FALSE)`);
      }
      case 'replace': {
        const s = this.text(arg(0), 'replace()');
        return string(
          `regexp_replace(${s}, ${this.text(arg(1), 'replace()')}, ${this.text(arg(2), 'replace()')}, 'g')`,
        );
      }
      default:
        throw typeError(`Cannot call ${e.name}(): there is no such function`, e);
    }
  }

  private toNumber(e: Expr): string {
    const v = this.value(e);
    if (v.list) throw typeError(`Cannot convert the list ${describe(e, v)} to a number`, e);
    switch (v.type) {
      case 'number':
      case 'null':
        return v.sql;
      case 'string':
      case 'ip':
        return `TRY_CAST(${v.sql} AS DOUBLE)`;
      case 'boolean':
        return `CAST(${v.sql} AS DOUBLE)`;
      case 'timestamp':
        return `epoch_ms(${v.sql})::DOUBLE`;
      default:
        return assertNever(v.type, 'value type');
    }
  }

  /** Arguments that must share one type (coalesce, if); string literals take the others' type. */
  private sameType(args: readonly Expr[], fn: string): Column[] {
    const typed = args.filter((a) => a.kind !== 'literal').map((a) => [a, this.value(a)] as const);
    const anchor = typed.find(([, c]) => c.type !== 'null');
    const out: Column[] = [];
    let i = 0;
    for (const a of args) {
      const col =
        a.kind === 'literal'
          ? anchor
            ? this.literalAs(a, anchor[1], anchor[0], '=')
            : this.literal(a)
          : typed[i++]![1];
      if (col.list) throw typeError(`Cannot use the list ${describe(a, col)} in ${fn}`, a);
      out.push(col);
    }
    const types = new Set(out.map((c) => (c.type === 'ip' ? 'string' : c.type)).filter((t) => t !== 'null'));
    if (types.size > 1) {
      throw typeError(
        `Cannot mix ${[...types].join(' and ')} values in ${fn}: convert them with tostring() or tonumber()`,
        args[0]!,
      );
    }
    return out;
  }

  /** TRUE when some element of the list satisfies `predicate`; FALSE for an empty or missing list. */
  private anyElement(listSql: string, predicate: (x: string) => string): string {
    const x = `x${++this.lambdas}`;
    return `COALESCE(len(list_filter(${listSql}, lambda ${x}: ${predicate(x)})) > 0, FALSE)`;
  }
}

function isComparison(op: string): op is ComparisonOp {
  return op in SQL_COMPARISON;
}
