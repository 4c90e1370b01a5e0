/**
 * The pipe AST: the analytics commands after a search (`level:ERROR | stats count() by service`).
 * Like the search AST (../ast.ts) it is store-independent, every node is a member of a union
 * discriminated on `kind`, and every node carries the span of query text it came from (offsets into
 * the whole query, search part included).
 *
 * Field names are kept as written (unquoted); compilers resolve them. Literals are typed by the
 * lexer (number, string, boolean, null); compilers coerce string literals where the other operand's
 * type asks for it (dates, IPs).
 */
import type { Span } from '../ast.js';

export type { Span };

// ---------------------------------------------------------------------------------------------
// Expressions (`where`, `eval`)

/** A field (or a column an earlier command defined): `status`, `http.request.method`, `` `a b` ``. */
export interface FieldRef {
  readonly kind: 'field';
  readonly name: string;
  readonly span: Span;
}

export interface LiteralExpr {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
  readonly span: Span;
}

export type UnaryOp = 'not' | 'neg';

export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly span: Span;
}

export type LogicalOp = 'and' | 'or';
export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type BinaryOp = LogicalOp | ComparisonOp | ArithmeticOp;

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** `value [not] in (a, b, …)`. */
export interface InExpr {
  readonly kind: 'in';
  readonly value: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
  readonly span: Span;
}

/** `value [not] like "pat%"`: `%` any sequence, `_` one character, `\` escapes. Case-sensitive. */
export interface LikeExpr {
  readonly kind: 'like';
  readonly value: Expr;
  readonly pattern: Expr;
  readonly negated: boolean;
  readonly span: Span;
}

/** `value is [not] null`. */
export interface IsNullExpr {
  readonly kind: 'is_null';
  readonly value: Expr;
  readonly negated: boolean;
  readonly span: Span;
}

/** `name(args…)`; `name` is one of FUNCTIONS (functions.ts), lower case. */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly span: Span;
}

export type Expr =
  | FieldRef
  | LiteralExpr
  | UnaryExpr
  | BinaryExpr
  | InExpr
  | LikeExpr
  | IsNullExpr
  | CallExpr;
export type ExprKind = Expr['kind'];

// ---------------------------------------------------------------------------------------------
// Aggregations (`stats`, `timechart`)

export type AggFunction =
  | 'count'
  | 'count_distinct'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'percentile'
  | 'values';

/**
 * `count()`, `avg(duration) as mean`, `p95(duration)`. `field` is null for `count()`; `percent` is set
 * for `percentile` only (`p95` → 95, `median` → 50). `name` is the output column: the alias, else
 * the call as written (`count`, `avg(duration)`, `dc(user.id)`).
 */
export interface AggCall {
  readonly kind: 'agg';
  readonly fn: AggFunction;
  readonly field: FieldRef | null;
  readonly percent: number | null;
  readonly name: string;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Commands

/** `| where <condition>`: keeps the rows where the condition is true. */
export interface WhereCommand {
  readonly kind: 'where';
  readonly condition: Expr;
  readonly span: Span;
}

/** `| stats <agg> [as name], … [by f1, f2]`: one row per group (one row in all without `by`). */
export interface StatsCommand {
  readonly kind: 'stats';
  readonly aggs: readonly AggCall[];
  readonly by: readonly FieldRef[];
  readonly span: Span;
}

export type IntervalUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'q' | 'y';

/** A bucket width: `5m` → { value: 5, unit: 'm', text: '5m' }. Calendar units (w, M, q, y) take only 1. */
export interface TimeInterval {
  readonly value: number;
  readonly unit: IntervalUnit;
  readonly text: string;
  readonly span: Span;
}

/** `| timechart [span=1m] <aggs> [by f]`: aggregations per time bucket of `@timestamp`. */
export interface TimechartCommand {
  readonly kind: 'timechart';
  /** null = chosen from the time range. */
  readonly interval: TimeInterval | null;
  readonly aggs: readonly AggCall[];
  readonly by: FieldRef | null;
  readonly span: Span;
}

/** `| top [N] f [by g]` and `| rare [N] f [by g]`: the most (least) frequent values with count and percent. */
export interface TopCommand {
  readonly kind: 'top' | 'rare';
  readonly limit: number;
  readonly fields: readonly FieldRef[];
  readonly by: readonly FieldRef[];
  readonly span: Span;
}

export interface SortKey {
  readonly field: FieldRef;
  readonly order: 'asc' | 'desc';
  readonly span: Span;
}

/** `| sort -f, g`: orders the rows (ties keep the previous order; nulls last). */
export interface SortCommand {
  readonly kind: 'sort';
  readonly keys: readonly SortKey[];
  readonly span: Span;
}

/** `| head [N]`: the first N rows (default 10). */
export interface HeadCommand {
  readonly kind: 'head';
  readonly count: number;
  readonly span: Span;
}

/** `| fields a, b` (keep only these, in this order), `| fields - a, b` (drop these). `table` is an alias of keep. */
export interface FieldsCommand {
  readonly kind: 'fields';
  readonly mode: 'keep' | 'remove';
  readonly fields: readonly FieldRef[];
  readonly span: Span;
}

export interface Rename {
  readonly from: FieldRef;
  readonly to: FieldRef;
  readonly span: Span;
}

/** `| rename a as b, c as d`. */
export interface RenameCommand {
  readonly kind: 'rename';
  readonly renames: readonly Rename[];
  readonly span: Span;
}

export interface Assignment {
  readonly field: FieldRef;
  readonly value: Expr;
  readonly span: Span;
}

/** `| eval x = <expr>, y = <expr>`: each assignment sees the ones before it. */
export interface EvalCommand {
  readonly kind: 'eval';
  readonly assignments: readonly Assignment[];
  readonly span: Span;
}

/** `| dedup f, g`: the first row (in the current order) of each combination; rows lacking a field are dropped. */
export interface DedupCommand {
  readonly kind: 'dedup';
  readonly fields: readonly FieldRef[];
  readonly span: Span;
}

export type PipeCommand =
  | WhereCommand
  | StatsCommand
  | TimechartCommand
  | TopCommand
  | SortCommand
  | HeadCommand
  | FieldsCommand
  | RenameCommand
  | EvalCommand
  | DedupCommand;

export type PipeCommandKind = PipeCommand['kind'];
