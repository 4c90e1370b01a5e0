import { assertNever, type CairnError, isCairnError } from '../../model/errors.js';
import type { FieldType } from '../../model/event.js';
import { type TokenPattern, tokenPatterns } from '../../query/analyze.js';
import type { ExistsNode, FieldNode, QueryNode, RangeBound, RangeNode } from '../../query/ast.js';
import { parseDateMath, parseDateRange } from '../../query/date-math.js';
import { queryError } from '../../query/errors.js';
import { ipv6BlockBounds, ipv6ToBigInt, parseCidr, parseIp } from '../../query/ip.js';
import { parseBoolean, parseNumber } from '../../query/values.js';
import { globMatch, hasWildcard, parseWildcard, type WildcardPart } from '../../query/wildcard.js';

/** One column (or overflow expression) that holds a field's values. */
export interface ResolvedField {
  /** Field name. */
  name: string;
  /** SQL expression for the column, already quoted (trusted: it never comes from user text). */
  sql: string;
  type: FieldType;
  /** The column is a DuckDB LIST of `type`. */
  list: boolean;
  /** Analysed text field (message): tokens match case-insensitively. */
  text: boolean;
}

export interface FieldResolver {
  /** [] = unknown field: the clause matches nothing (FALSE), as in Elasticsearch. */
  resolve(name: string): ResolvedField[];
  /** All known field names (for wildcard field names). */
  names(): string[];
  /** Fields searched by bare terms and phrases. */
  defaultFields(): ResolvedField[];
}

export interface CompileContext {
  resolver: FieldResolver;
  params: unknown[];
  /** `now` for date math, µs since the epoch. */
  nowUs: number;
}

/**
 * Compiles a query AST to a DuckDB boolean expression for a WHERE clause. Every user value is pushed
 * to `ctx.params` and referenced as `$N` (1-based); only the resolver's field SQL and the compiler's
 * own constants are spliced into the text. Outside NOT the result may be NULL where it does not
 * match (WHERE drops those rows); under NOT, leaves are wrapped in COALESCE so a missing field does
 * not match (`NOT status:200` keeps events without `status`). Throws CairnError `invalid_query` for a
 * value the field's type cannot hold (`status:abc` on a number field).
 */
export function compileWhere(node: QueryNode, ctx: CompileContext): string {
  return new Compiler(ctx).node(node, false);
}

/** RE2's error texts (re2/regexp.cc), as DuckDB reports them: `Invalid Input Error: <text>: <fragment>`. */
const RE2_ERROR =
  /Invalid Input Error: (invalid escape sequence|invalid character class range|invalid character class|missing \]|missing \)|unexpected \)|trailing \\|no argument for repetition operator|invalid repetition size|bad repetition operator|invalid perl operator|invalid UTF-8|invalid named capture group|pattern too large[^:\n]*)(?:: ([^\n]*))?/;

/**
 * RE2 rejects some user regexes only when DuckDB runs the query. Stores call this on a failed query:
 * a CairnError 400 naming the problem when the failure is a regex RE2 rejected, else null.
 */
export function translateRegexError(err: unknown): CairnError | null {
  const m = RE2_ERROR.exec(err instanceof Error ? err.message : String(err));
  if (!m) return null;
  const fragment = (m[2] ?? '').replace(/^\(\?i?s\)/, '');
  return queryError(`Cannot use a regular expression: ${m[1]}${fragment ? ` at "${fragment}"` : ''}`, {
    reason: m[1],
    fragment,
  });
}

/**
 * Characters that separate tokens, in RE2 syntax: ASCII other than letters, digits and `_`, and the
 * Unicode space and punctuation blocks (Latin-1 punctuation, General Punctuation, CJK punctuation,
 * fullwidth punctuation). Unicode property classes (\\p{L}) would be exact but cost RE2 ~8 ms to compile
 * per expression, on every query; the difference is limited to rare symbols next to a word.
 */
const SEPARATORS =
  '\\x{0}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{5E}\\x{60}\\x{7B}-\\x{A9}\\x{AB}-\\x{B1}\\x{B4}\\x{B6}-\\x{B8}\\x{BB}\\x{BF}\\x{D7}\\x{F7}\\x{2000}-\\x{206F}\\x{3000}-\\x{303F}\\x{FF00}-\\x{FF0F}\\x{FF1A}-\\x{FF20}\\x{FF3B}-\\x{FF40}\\x{FF5B}-\\x{FF65}';
/** Token characters of text fields (see query/analyze.ts), in RE2 syntax. */
export const WORD = `[^${SEPARATORS}]`;
/** Literal `contains` checks before the regex of a text match. */
const MAX_PREFILTERS = 3;
/**
 * Runs of a token's ASCII characters without case (digits and `_`) long enough to be worth a
 * case-sensitive `contains` prefilter.
 */
const CASELESS_RUN = /[0-9_]{4,}/g;
export const NON_WORD = `[${SEPARATORS}]`;

type Outcome = string | CairnError;

class Compiler {
  private readonly paramIndex = new Map<string, number>();

  constructor(private readonly ctx: CompileContext) {}

  node(node: QueryNode, negated: boolean): string {
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${node.children.map((c) => this.node(c, negated)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${this.node(node.child, true)})`;
      case 'match_all':
        return 'TRUE';
      case 'exists':
        return guard(this.exists(node), negated);
      case 'term':
      case 'phrase':
      case 'regex':
      case 'range':
        return guard(this.leaf(node), negated);
      default:
        return assertNever(node, 'query node');
    }
  }

  private exists(node: ExistsNode): string {
    return anyOf(this.targets(node.field).fields.map(existsOn));
  }

  /**
   * A leaf over every column of its field(s): columns whose type cannot hold the value are skipped;
   * if none can, an explicit field is an error and a default or wildcard field matches nothing.
   */
  private leaf(node: FieldNode): string {
    const { fields, lenient } = this.targets(node.field);
    const clauses: string[] = [];
    let firstError: CairnError | null = null;
    for (const f of fields) {
      const out = this.leafOn(node, f);
      if (typeof out === 'string') clauses.push(out);
      else firstError ??= out;
    }
    if (clauses.length === 0 && firstError && !lenient) throw firstError;
    return anyOf(clauses);
  }

  private targets(field: string | null): { fields: ResolvedField[]; lenient: boolean } {
    const resolver = this.ctx.resolver;
    if (field === null) return { fields: resolver.defaultFields(), lenient: true };
    if (!hasWildcard(field)) return { fields: resolver.resolve(field), lenient: false };
    const seen = new Set<string>();
    const fields: ResolvedField[] = [];
    for (const name of resolver.names()) {
      if (!globMatch(field, name)) continue;
      for (const f of resolver.resolve(name)) {
        if (!seen.has(f.sql)) fields.push(f);
        seen.add(f.sql);
      }
    }
    return { fields, lenient: true };
  }

  /** Every branch validates its values before pushing a parameter, so a skipped column leaves none behind. */
  private leafOn(node: FieldNode, f: ResolvedField): Outcome {
    if (node.kind === 'range') return this.range(node, f);
    if (node.kind === 'regex') return this.regex(node.pattern, f, node);
    if (f.text && f.type === 'string') {
      const parts: WildcardPart[] =
        node.kind === 'term' && node.wildcard
          ? parseWildcard(node.value)
          : [{ kind: 'literal', text: node.value }];
      return this.textMatch(tokenPatterns(parts), f);
    }
    if (node.kind === 'term' && node.wildcard) return this.wildcard(node.value, f, node);
    return this.equals(node.value, f, node);
  }

  /** Exact value: numbers numerically, dates over their precision, IPs canonically or by CIDR. */
  private equals(value: string, f: ResolvedField, node: FieldNode): Outcome {
    switch (f.type) {
      case 'string':
        return equalTo(f, () => `${this.param(value)}::VARCHAR`);
      case 'number': {
        const n = parseNumber(value);
        if (n === null) return mismatch(f, value, node, 'expected a number');
        return equalTo(f, () => `${this.param(n)}::DOUBLE`);
      }
      case 'boolean': {
        const b = parseBoolean(value);
        if (b === null) return mismatch(f, value, node, 'expected true or false');
        return equalTo(f, () => `${this.param(b)}::BOOLEAN`);
      }
      case 'timestamp': {
        const r = this.dateRange(value, f, node);
        if (isCairnError(r)) return r;
        if (r.startUs === r.endUs) return equalTo(f, () => this.timestamp(r.startUs));
        const between = `BETWEEN ${this.timestamp(r.startUs)} AND ${this.timestamp(r.endUs)}`;
        return onElements(f, (e) => `(${e} ${between})`);
      }
      case 'ip':
        return this.ipEquals(value, f, node);
      default:
        return assertNever(f.type, 'field type');
    }
  }

  private ipEquals(value: string, f: ResolvedField, node: FieldNode): Outcome {
    const ip = parseIp(value);
    if (ip) return equalTo(f, () => `${this.param(ip.text)}::VARCHAR`);
    const cidr = parseCidr(value);
    if (cidr === null) return mismatch(f, value, node, 'expected an IP address or a CIDR block');
    if (cidr.version === 6) {
      if (cidr.prefix === 128) return equalTo(f, () => `${this.param(cidr.address.text)}::VARCHAR`);
      const { first, last } = ipv6BlockBounds(cidr);
      const between = `BETWEEN ${this.uhugeint(first)} AND ${this.uhugeint(last)}`;
      // The block's whole leading groups, up to the first zero one (which `::` may hide), are a
      // prefix of every match's canonical text: checking it first spares most rows the conversion.
      const fixed: string[] = [];
      for (const g of cidr.address.groups.slice(0, Math.floor(cidr.prefix / 16))) {
        if (g === 0) break;
        fixed.push(g.toString(16));
      }
      return this.ipv6Compare(f, between, fixed.length > 0 ? `${fixed.join(':')}:` : null);
    }
    if (cidr.prefix === 32) return equalTo(f, () => `${this.param(intToIpv4(cidr.first))}::VARCHAR`);
    const between = () => `BETWEEN ${this.param(cidr.first)}::BIGINT AND ${this.param(cidr.last)}::BIGINT`;
    const octets = Math.floor(cidr.prefix / 8);
    if (octets === 0) {
      const range = between();
      return onElements(f, (e) => `(${ipv4ToInt(e)} ${range})`);
    }
    // IPs are stored as canonical text: the block's whole octets are a prefix every match has. For a
    // block of whole octets (/8, /16, /24) the prefix decides alone; for the others it spares most
    // rows the conversion to an integer. `prefix` scans faster than `starts_with` (34 against 47 ms
    // over 5M addresses).
    const text = this.param(`${intToIpv4(cidr.first).split('.').slice(0, octets).join('.')}.`);
    if (cidr.prefix % 8 === 0) return onElements(f, (e) => `prefix(${e}, ${text}::VARCHAR)`);
    const range = between();
    return onElements(f, (e) => `(prefix(${e}, ${text}::VARCHAR) AND ${ipv4ToInt(e)} ${range})`);
  }

  /** Keyword (and IP text) wildcards: LIKE with `%`, `_` and `\` escaped. */
  private wildcard(pattern: string, f: ResolvedField, node: FieldNode): Outcome {
    if (f.type !== 'string' && f.type !== 'ip') {
      return queryError(
        `Cannot use wildcards on field "${f.name}" (${f.type}): only on string and ip fields`,
        {
          field: f.name,
          type: f.type,
          value: pattern,
          position: node.span.start,
        },
      );
    }
    const like = parseWildcard(pattern)
      .map((p) => (p.kind === 'any' ? '%' : p.kind === 'one' ? '_' : p.text.replace(/[\\%_]/g, '\\$&')))
      .join('');
    return onElements(f, (e) => `${e} LIKE ${this.param(like)}::VARCHAR ESCAPE '\\'`);
  }

  /**
   * Text fields: the token patterns must occur in order, as whole tokens, ignoring case. Cheap
   * `contains` checks on the longest literals prune rows before the precise regex runs; a literal
   * without letters (numbers, ids) needs no lower-casing of the whole value.
   */
  private textMatch(patterns: TokenPattern[], f: ResolvedField): Outcome {
    if (patterns.length === 0) return 'FALSE';
    const regex = `(?i)(?:^|${NON_WORD})${patterns.map(tokenRegex).join(`${NON_WORD}+`)}(?:$|${NON_WORD})`;
    const literals = new Set<string>();
    for (const p of patterns.flat()) if (p.kind === 'literal') literals.add(p.text);
    // Each lower() copies the whole value, so only the longest literal with letters is checked that
    // way; literals without letters (numbers, ids) are checked as they are, and so are the long
    // letterless runs of literals with letters (`_21935324` of `pi_21935324`), which any match
    // contains in whatever case its letters are.
    const byLength = [...literals].sort((a, b) => b.length - a.length);
    const lettered = byLength.find((lit) => lit.toLowerCase() !== lit.toUpperCase());
    const caseless = [
      ...new Set([
        ...byLength.filter((lit) => lit.toLowerCase() === lit.toUpperCase()),
        ...byLength.flatMap((lit) => lit.match(CASELESS_RUN) ?? []),
      ]),
    ].sort((a, b) => b.length - a.length);
    const prefilters = caseless.slice(0, lettered === undefined ? MAX_PREFILTERS : MAX_PREFILTERS - 1);
    return onElements(f, (e) => {
      const checks = prefilters.map((lit) => `contains(${e}, ${this.param(lit)}::VARCHAR)`);
      if (lettered !== undefined)
        checks.push(`contains(lower(${e}), lower(${this.param(lettered)}::VARCHAR))`);
      checks.push(`regexp_matches(${e}, ${this.param(regex)}::VARCHAR)`);
      return checks.length === 1 ? checks[0]! : `(${checks.join(' AND ')})`;
    });
  }

  /**
   * Regexes match the whole value (Lucene regexes are anchored); `.` matches newlines. On text
   * fields they ignore case and also match when one token matches, as Elasticsearch does; the
   * unanchored `regexp_matches` is a necessary condition for both and prunes rows first.
   */
  private regex(pattern: string, f: ResolvedField, node: FieldNode): Outcome {
    if (f.type !== 'string' && f.type !== 'ip') {
      return queryError(
        `Cannot use a regular expression on field "${f.name}" (${f.type}): only on string and ip fields`,
        {
          field: f.name,
          type: f.type,
          value: pattern,
          position: node.span.start,
        },
      );
    }
    // Literals every match must contain: cheap `contains` checks before the regex runs. Text fields
    // match ignoring case: only ASCII literals there, where lower() and the regex fold case alike.
    const literals = requiredLiterals(pattern)
      .filter((lit) => !(f.text && f.type === 'string') || /^[\x20-\x7e]+$/.test(lit))
      .slice(0, MAX_PREFILTERS);
    if (!(f.text && f.type === 'string')) {
      return onElements(f, (e) => {
        const checks = literals.map((lit) => `contains(${e}, ${this.param(lit)}::VARCHAR)`);
        checks.push(`regexp_full_match(${e}, ${this.param(`(?s)${pattern}`)}::VARCHAR)`);
        return checks.length === 1 ? checks[0]! : `(${checks.join(' AND ')})`;
      });
    }
    // A pattern that matches only token characters, and never nothing, matches a whole token exactly
    // where it matches between separators: one regex instead of splitting the value into tokens.
    const bounded = wordOnlyRegex(pattern) && neverEmptyRegex(pattern);
    const literalChecks = (e: string) =>
      literals.map((lit) =>
        lit.toLowerCase() === lit.toUpperCase()
          ? `contains(${e}, ${this.param(lit)}::VARCHAR)`
          : `contains(lower(${e}), ${this.param(lit.toLowerCase())}::VARCHAR)`,
      );
    if (bounded) {
      const between = `(?is)(?:^|${NON_WORD})(?:${pattern})(?:$|${NON_WORD})`;
      return onElements(f, (e) => {
        const checks = literalChecks(e);
        checks.push(`regexp_matches(${e}, ${this.param(between)}::VARCHAR)`);
        return checks.length === 1 ? checks[0]! : `(${checks.join(' AND ')})`;
      });
    }
    return onElements(f, (e) => {
      const p = `${this.param(`(?is)${pattern}`)}::VARCHAR`;
      const checks = literalChecks(e);
      const tokens = `regexp_extract_all(${e}, '${WORD}+')`;
      checks.push(`regexp_matches(${e}, ${p})`);
      checks.push(
        `(regexp_full_match(${e}, ${p}) OR len(list_filter(${tokens}, lambda t: regexp_full_match(t, ${p}))) > 0)`,
      );
      return `(${checks.join(' AND ')})`;
    });
  }

  private range(node: RangeNode, f: ResolvedField): Outcome {
    if (!node.lower && !node.upper) return existsOn(f);
    switch (f.type) {
      case 'string':
        return this.bounds(node, f, (b) => () => `${this.param(b.value)}::VARCHAR`);
      case 'number':
        return this.bounds(node, f, (b) => {
          const n = parseNumber(b.value);
          return n === null
            ? mismatch(f, b.value, node, 'expected a number')
            : () => `${this.param(n)}::DOUBLE`;
        });
      case 'boolean':
        return this.bounds(node, f, (b) => {
          const v = parseBoolean(b.value);
          return v === null
            ? mismatch(f, b.value, node, 'expected true or false')
            : () => `${this.param(v)}::BOOLEAN`;
        });
      case 'timestamp':
        // Elasticsearch rounding: gte and lt round down, gt and lte round up (`now/d`, `2024-01-01`).
        return this.bounds(node, f, (b, isLower) => {
          const us = this.date(b.value, f, node, isLower ? !b.inclusive : b.inclusive);
          return isCairnError(us) ? us : () => this.timestamp(us);
        });
      case 'ip':
        return this.ipRange(node, f);
      default:
        return assertNever(f.type, 'field type');
    }
  }

  /**
   * Compares addresses as integers, with exclusive bounds made inclusive so the long conversion
   * appears once. Both bounds are of one IP version, which is the version of the rows compared.
   */
  private ipRange(node: RangeNode, f: ResolvedField): Outcome {
    const ints: (bigint | null)[] = [];
    let version: 4 | 6 | null = null;
    for (const [b, step] of [
      [node.lower, 1n],
      [node.upper, -1n],
    ] as const) {
      if (!b) {
        ints.push(null);
        continue;
      }
      const ip = parseIp(b.value);
      if (ip === null) return mismatch(f, b.value, node, 'expected an IP address');
      if (version !== null && ip.version !== version) {
        return mismatch(f, b.value, node, `expected an IPv${version} address like the other bound`);
      }
      version = ip.version;
      const value = ip.version === 4 ? BigInt(ip.value) : ipv6ToBigInt(ip.groups);
      ints.push(b.inclusive ? value : value + step);
    }
    const [lo, hi] = ints;
    const bound = (v: bigint) => (version === 6 ? this.uhugeint(v) : `${this.param(Number(v))}::BIGINT`);
    const cond =
      lo != null && hi != null
        ? `BETWEEN ${bound(lo)} AND ${bound(hi)}`
        : lo != null
          ? `>= ${bound(lo)}`
          : `<= ${bound(hi!)}`;
    if (version === 6) return this.ipv6Compare(f, cond, null);
    return onElements(f, (e) => `(${ipv4ToInt(e)} ${cond})`);
  }

  /**
   * IPv6 rows (IPv4-mapped ones included) whose 128-bit value satisfies `cond`. A text check comes
   * first, so most rows never pay for the conversion: `prefix` when every match's canonical text
   * starts with it, else the `:` that IPv4 text lacks.
   */
  private ipv6Compare(f: ResolvedField, cond: string, prefix: string | null): string {
    const check = prefix === null ? null : this.param(prefix);
    return onElements(f, (e) => {
      const text = check === null ? `contains(${e}, ':')` : `starts_with(${e}, ${check}::VARCHAR)`;
      return `(${text} AND ${ipv6ToUhugeint(e)} ${cond})`;
    });
  }

  /** A 128-bit unsigned integer, bound as its decimal text (parameters have no 128-bit type). */
  private uhugeint(value: bigint): string {
    return `${this.param(value.toString())}::UHUGEINT`;
  }

  /**
   * `e >= lo AND e < hi`. `prepare` validates a bound and returns what pushes its parameter; both
   * bounds are validated before either parameter is pushed.
   */
  private bounds(
    node: RangeNode,
    f: ResolvedField,
    prepare: (b: RangeBound, isLower: boolean) => CairnError | (() => string),
  ): Outcome {
    const lo = node.lower ? prepare(node.lower, true) : null;
    if (isCairnError(lo)) return lo;
    const hi = node.upper ? prepare(node.upper, false) : null;
    if (isCairnError(hi)) return hi;
    const loSql = lo && node.lower ? `${node.lower.inclusive ? '>=' : '>'} ${lo()}` : null;
    const hiSql = hi && node.upper ? `${node.upper.inclusive ? '<=' : '<'} ${hi()}` : null;
    return onElements(f, (e) => {
      const conds = [loSql, hiSql].filter((c) => c !== null).map((c) => `${e} ${c}`);
      return conds.length === 1 ? conds[0]! : `(${conds.join(' AND ')})`;
    });
  }

  private dateRange(
    value: string,
    f: ResolvedField,
    node: FieldNode,
  ): { startUs: number; endUs: number } | CairnError {
    try {
      return parseDateRange(value, this.ctx.nowUs);
    } catch (err) {
      return dateMismatch(err, f, value, node);
    }
  }

  private date(value: string, f: ResolvedField, node: FieldNode, roundUp: boolean): number | CairnError {
    try {
      return parseDateMath(value, { nowUs: this.ctx.nowUs, roundUp });
    } catch (err) {
      return dateMismatch(err, f, value, node);
    }
  }

  private timestamp(us: number): string {
    return `make_timestamp(${this.param(Math.trunc(us))}::BIGINT)`;
  }

  /** Pushes a parameter (once per distinct value) and returns its `$N`. */
  private param(value: string | number | boolean): string {
    const key = `${typeof value}:${value}`;
    let index = this.paramIndex.get(key);
    if (index === undefined) {
      this.ctx.params.push(value);
      index = this.ctx.params.length;
      this.paramIndex.set(key, index);
    }
    return `$${index}`;
  }
}

/** Applies a predicate on one value to a column: directly to a scalar, to any element of a list. */
function onElements(f: ResolvedField, predicate: (e: string) => string): string {
  if (!f.list) return predicate(f.sql);
  return `(len(list_filter(${f.sql}, lambda x: ${predicate('x')})) > 0)`;
}

function equalTo(f: ResolvedField, value: () => string): string {
  return f.list ? `list_contains(${f.sql}, ${value()})` : `${f.sql} = ${value()}`;
}

function existsOn(f: ResolvedField): string {
  return f.list ? `(len(${f.sql}) > 0)` : `(${f.sql} IS NOT NULL)`;
}

function anyOf(clauses: string[]): string {
  if (clauses.length === 0) return 'FALSE';
  return clauses.length === 1 ? clauses[0]! : `(${clauses.join(' OR ')})`;
}

function guard(sql: string, negated: boolean): string {
  return negated && sql !== 'TRUE' && sql !== 'FALSE' ? `COALESCE(${sql}, FALSE)` : sql;
}

function tokenRegex(pattern: TokenPattern): string {
  return pattern.map((p) => (p.kind === 'any' ? `${WORD}*` : p.kind === 'one' ? WORD : p.text)).join('');
}

function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * Literal strings every match of a regex must contain, longest first (runs of two or more plain
 * characters outside groups and classes, not made optional by a quantifier). Conservative: none
 * for a pattern with a top-level `|` or inline flags, which could change what a literal means.
 */
export function requiredLiterals(pattern: string): string[] {
  if (pattern.includes('(?')) return [];
  const runs: string[] = [];
  let run = '';
  let depth = 0;
  const end = () => {
    if (run.length >= 2) runs.push(run);
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      i++;
      if (depth === 0 && next !== undefined && /[.^$|?*+()[\]{}\\/-]/.test(next)) {
        if (quantified(pattern, i + 1)) end();
        else run += next;
      } else end();
      continue;
    }
    if (c === '[') {
      end();
      // Skip the class: `]` right after `[` or `[^` is a member, `\\` escapes.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (c === '(') {
      end();
      depth++;
      continue;
    }
    if (c === ')') {
      end();
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (c === '|') {
      if (depth === 0) return [];
      continue;
    }
    if (depth > 0) continue;
    if (c === '{') {
      end();
      while (i < pattern.length && pattern[i] !== '}') i++; // a repeat count, not literals
      continue;
    }
    if ('.^$?*+}'.includes(c)) {
      end();
      continue;
    }
    if (quantified(pattern, i + 1)) {
      // `a?`, `a*`, `a{0,2}` may leave it out; `a+` keeps one but what follows is not adjacent.
      if (pattern[i + 1] === '+') run += c;
      end();
      continue;
    }
    run += c;
  }
  end();
  return runs.sort((a, b) => b.length - a.length);
}

/**
 * Whether every string the regex matches is made of ASCII token characters only: letters, digits and
 * `_`, as literals, `\\d`, `\\w` or non-negated classes of them, with groups, alternation and
 * quantifiers. Anything else (`.`, separators, negated classes, flags) answers false.
 */
export function wordOnlyRegex(pattern: string): boolean {
  const word = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9_]$/.test(c);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (word(c) || c === '|' || c === ')' || c === '?' || c === '*' || c === '+') continue;
    if (c === '(') {
      if (pattern[i + 1] === '?') return false;
      continue;
    }
    if (c === '\\') {
      if (pattern[i + 1] !== 'd' && pattern[i + 1] !== 'w') return false;
      i++;
      continue;
    }
    if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0 || !/^\{\d+(,\d*)?\}$/.test(pattern.slice(i, close + 1))) return false;
      i = close;
      continue;
    }
    if (c !== '[') return false;
    let j = i + 1;
    if (pattern[j] === ']' || pattern[j] === '^') return false;
    for (; j < pattern.length && pattern[j] !== ']'; j++) {
      const m = pattern[j]!;
      if (m === '\\') {
        if (pattern[j + 1] !== 'd' && pattern[j + 1] !== 'w') return false;
        j++;
      } else if (pattern[j + 1] === '-' && pattern[j + 2] !== ']' && pattern[j + 2] !== undefined) {
        const hi = pattern[j + 2]!;
        const sameKind = [/[0-9]/, /[a-z]/, /[A-Z]/].some((k) => k.test(m) && k.test(hi));
        if (!sameKind || m > hi) return false;
        j += 2;
      } else if (!word(m)) return false;
    }
    if (j >= pattern.length) return false;
    i = j;
  }
  return true;
}

/**
 * Whether a regex of wordOnlyRegex's syntax cannot match the empty string: outside groups it has no
 * `|` and has an atom (a character, `\\d`/`\\w` or a class) that `?`, `*` or `{0,…}` does not
 * make optional. Conservative: `(ab)+` answers false.
 */
export function neverEmptyRegex(pattern: string): boolean {
  let depth = 0;
  let required = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return false;
    else if (c === '{') i = pattern.indexOf('}', i);
    else if (c !== '?' && c !== '*' && c !== '+' && c !== '|') {
      if (c === '\\') i++;
      else if (c === '[') i = pattern.indexOf(']', i + 1);
      const next = pattern[i + 1];
      const optional = next === '?' || next === '*' || (next === '{' && pattern[i + 2] === '0');
      if (depth === 0 && !optional) required = true;
    }
  }
  return required;
}

/** Whether the atom ending before `at` is followed by a quantifier. */
function quantified(pattern: string, at: number): boolean {
  const q = pattern[at];
  return q === '?' || q === '*' || q === '+' || q === '{';
}

/** Dotted IPv4 text to an integer; NULL for anything else (IPv6, garbage), so it never matches. */
function ipv4ToInt(e: string): string {
  const octet = (i: number) => `TRY_CAST(split_part(${e}, '.', ${i}) AS UTINYINT)::BIGINT`;
  return `(CASE WHEN len(string_split(${e}, '.')) = 4 THEN ${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)} END)`;
}

/**
 * Canonical IPv6 text (RFC 5952, as ingest stores it) to its 128-bit value; NULL for anything else.
 * The groups around `::` are padded with zero groups to eight; an IPv4-mapped address
 * (`::ffff:1.2.3.4`) is 0xffff followed by its dotted quad's 32 bits.
 */
function ipv6ToUhugeint(e: string): string {
  const nonEmpty = (list: string) => `list_filter(${list}, lambda g: g <> '')`;
  const groups = `(CASE WHEN contains(${e}, '::') THEN ${nonEmpty(`string_split(split_part(${e}, '::', 1), ':')`)} || list_transform(range(8 - len(${nonEmpty(`string_split(${e}, ':')`)})), lambda z: '0') || ${nonEmpty(`string_split(split_part(${e}, '::', 2), ':')`)} ELSE string_split(${e}, ':') END)`;
  const hex = `list_reduce(list_transform(${groups}, lambda g: TRY_CAST('0x' || g AS USMALLINT)::UHUGEINT), lambda acc, g: acc * 65536::UHUGEINT + g)`;
  // UHUGEINT with a signed operand would be DOUBLE arithmetic: every operand is cast.
  const mapped = `${IPV4_MAPPED_BASE}::UHUGEINT + ${ipv4ToInt(`substr(${e}, 8)`)}::UHUGEINT`;
  return `(CASE WHEN starts_with(${e}, '::ffff:') AND contains(${e}, '.') THEN ${mapped} WHEN len(${groups}) = 8 THEN ${hex} END)`;
}

/** `::ffff:0.0.0.0`, where IPv4-mapped addresses start. */
const IPV4_MAPPED_BASE = 0xffff_0000_0000;

function mismatch(f: ResolvedField, value: string, node: FieldNode, expected: string): CairnError {
  return queryError(`Cannot compare field "${f.name}" (${f.type}) with "${value}": ${expected}`, {
    field: f.name,
    type: f.type,
    value,
    position: node.span.start,
  });
}

function dateMismatch(err: unknown, f: ResolvedField, value: string, node: FieldNode): CairnError {
  if (!isCairnError(err)) throw err;
  const reason = typeof err.details?.['reason'] === 'string' ? err.details['reason'] : err.message;
  return mismatch(f, value, node, reason);
}
