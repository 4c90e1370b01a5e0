/**
 * The search AST: what a query string means, independent of any store. Every node is a member of
 * the `QueryNode` union discriminated on `kind` and carries the span of query text it came from.
 *
 * Compilers (DuckDB SQL today, Elasticsearch query DSL later) interpret values: the parser keeps
 * them as text (unescaped) so that typing (numbers, dates, IPs) happens where the field types are
 * known.
 */

/** A half-open range of UTF-16 code unit offsets into the query text (`query.slice(start, end)`). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** All children must match. */
export interface AndNode {
  readonly kind: 'and';
  readonly children: readonly QueryNode[];
  readonly span: Span;
}

/** At least one child must match. */
export interface OrNode {
  readonly kind: 'or';
  readonly children: readonly QueryNode[];
  readonly span: Span;
}

/** The child must not match (a missing field does not match, so `NOT f:x` matches events without `f`). */
export interface NotNode {
  readonly kind: 'not';
  readonly child: QueryNode;
  readonly span: Span;
}

/**
 * A single term. `field: null` searches the default fields.
 *
 * When `wildcard` is false, `value` is the literal, unescaped text. When `wildcard` is true, `value`
 * is a wildcard pattern: `*` matches any sequence, `?` one character, and `\` escapes the next
 * character (only `\*`, `\?` and `\\` occur); see `parseWildcard` in wildcard.ts.
 */
export interface TermNode {
  readonly kind: 'term';
  readonly field: string | null;
  readonly value: string;
  readonly wildcard: boolean;
  readonly span: Span;
}

/** A quoted phrase; `value` is unescaped. On keyword fields it is an exact value, on text fields a token sequence. */
export interface PhraseNode {
  readonly kind: 'phrase';
  readonly field: string | null;
  readonly value: string;
  readonly span: Span;
}

/** A regular expression (`/…/`) anchored to the whole value; `pattern` has `\/` unescaped to `/`. */
export interface RegexNode {
  readonly kind: 'regex';
  readonly field: string | null;
  readonly pattern: string;
  readonly span: Span;
}

/** One end of a range; `value` is the unescaped text, typed by the compiler. */
export interface RangeBound {
  readonly value: string;
  readonly inclusive: boolean;
  readonly span: Span;
}

/** `[a TO b]`, `{a TO b}`, `>a`, `<=b`…; a `null` bound is open (`*`). Both open = the field exists. */
export interface RangeNode {
  readonly kind: 'range';
  readonly field: string | null;
  readonly lower: RangeBound | null;
  readonly upper: RangeBound | null;
  readonly span: Span;
}

/** `_exists_:field` or `field:*`. `field` may contain `*`/`?` wildcards. */
export interface ExistsNode {
  readonly kind: 'exists';
  readonly field: string;
  readonly span: Span;
}

/** `*` or `*:*`. */
export interface MatchAllNode {
  readonly kind: 'match_all';
  readonly span: Span;
}

export type QueryNode =
  | AndNode
  | OrNode
  | NotNode
  | TermNode
  | PhraseNode
  | RegexNode
  | RangeNode
  | ExistsNode
  | MatchAllNode;

export type QueryNodeKind = QueryNode['kind'];

/** Leaves that test one field (or the default fields when `field` is null). */
export type FieldNode = TermNode | PhraseNode | RegexNode | RangeNode;
