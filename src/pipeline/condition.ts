import { assertNever } from '../model/errors.js';
import type { FieldValue, Scalar } from '../model/event.js';
import { type TokenPattern, tokenize, tokenPatterns } from '../query/analyze.js';
import type { ExistsNode, FieldNode, QueryNode, RangeNode } from '../query/ast.js';
import { parseDateMath, parseDateRange } from '../query/date-math.js';
import { parseQuery } from '../query/index.js';
import { parseCidr, parseIp } from '../query/ip.js';
import { parseBoolean, parseNumber } from '../query/values.js';
import { globMatch, hasWildcard, parseWildcard, type WildcardPart } from '../query/wildcard.js';
import { getField, hasField, METADATA_PREFIX, type PipelineDoc } from './doc.js';

/**
 * `if:` conditions: a query in Cairn's query language evaluated against one event in memory, with
 * the meaning it has in a search (see docs/query-language.md):
 *
 * - `message`, `error.message` and `error.stack_trace` are text: terms and phrases match whole
 *   tokens ignoring case. Bare terms search those fields.
 * - Other strings are keywords: a term matches the whole value, case-sensitively; wildcards and
 *   `/regex/` match the whole value.
 * - Numbers compare as numbers; a string that holds a number compares as one too, since grok
 *   captures are strings unless converted (`status:>=500` works on either).
 * - `@timestamp` compares as a date with date math (`@timestamp:<now-1d`).
 * - IP values match CIDR blocks (`client.ip:10.0.0.0/8`).
 * - A list matches when one of its values does (`tags:error`).
 * - A missing field matches nothing, so `NOT status:200` matches events without `status`.
 */
export type Condition = (doc: PipelineDoc, nowUs: number) => boolean;

const TEXT_FIELDS = ['message', 'error.message', 'error.stack_trace'];

/** Parses and compiles a condition. Throws CairnError `invalid_query` on a syntax error. */
export function compileCondition(text: string, nowUs: number): Condition {
  const ast = parseQuery(text);
  if (ast === null) return () => true;
  return compileNode(ast, nowUs);
}

function compileNode(node: QueryNode, nowUs: number): Condition {
  switch (node.kind) {
    case 'and': {
      const children = node.children.map((c) => compileNode(c, nowUs));
      return (doc, now) => children.every((c) => c(doc, now));
    }
    case 'or': {
      const children = node.children.map((c) => compileNode(c, nowUs));
      return (doc, now) => children.some((c) => c(doc, now));
    }
    case 'not': {
      const child = compileNode(node.child, nowUs);
      return (doc, now) => !child(doc, now);
    }
    case 'match_all':
      return () => true;
    case 'exists':
      return compileExists(node);
    case 'term':
    case 'phrase':
    case 'regex':
    case 'range':
      return compileLeaf(node, nowUs);
    default:
      return assertNever(node, 'query node');
  }
}

function compileExists(node: ExistsNode): Condition {
  const field = node.field;
  if (!hasWildcard(field)) return (doc) => hasField(doc, field);
  return (doc) => {
    for (const name in doc.event.fields)
      if (doc.event.fields[name] !== undefined && globMatch(field, name)) return true;
    for (const name in doc.metadata)
      if (doc.metadata[name] !== undefined && globMatch(field, METADATA_PREFIX + name)) return true;
    return false;
  };
}

/** Tests one scalar of a field; `text` says whether the field is analysed text. */
type ValueTest = (value: Scalar, text: boolean, now: number) => boolean;

function compileLeaf(node: FieldNode, nowUs: number): Condition {
  const test = valueTest(node);
  const field = node.field;
  if (field === null) {
    return (doc, now) => TEXT_FIELDS.some((name) => matches(doc.event.fields[name], true, test, now));
  }
  if (field === '@timestamp') {
    const timeTest = timestampTest(node, nowUs);
    return (doc, now) => timeTest(doc.event.timestampUs, now);
  }
  if (hasWildcard(field)) {
    return (doc, now) => {
      for (const name in doc.event.fields) {
        if (globMatch(field, name) && matches(doc.event.fields[name], TEXT_FIELDS.includes(name), test, now))
          return true;
      }
      return false;
    };
  }
  const text = TEXT_FIELDS.includes(field);
  return (doc, now) => matches(getField(doc, field), text, test, now);
}

function matches(value: FieldValue | undefined, text: boolean, test: ValueTest, now: number): boolean {
  if (value === undefined) return false;
  if (!Array.isArray(value)) return test(value, text, now);
  for (const v of value) if (test(v, text, now)) return true;
  return false;
}

function valueTest(node: FieldNode): ValueTest {
  switch (node.kind) {
    case 'term':
      if (node.wildcard) return wildcardTest(parseWildcard(node.value));
      return equalityTest(node.value, [{ kind: 'literal', text: node.value }]);
    case 'phrase':
      return equalityTest(node.value, [{ kind: 'literal', text: node.value }]);
    case 'regex':
      return regexTest(node.pattern);
    case 'range':
      return rangeTest(node);
    default:
      return assertNever(node, 'query node');
  }
}

function equalityTest(value: string, parts: WildcardPart[]): ValueTest {
  const number = parseNumber(value);
  const boolean = parseBoolean(value);
  const textMatch = tokenMatcher(tokenPatterns(parts));
  const cidr = parseCidr(value);
  const ip = cidr === null ? parseIp(value) : null;
  return (v, text) => {
    switch (typeof v) {
      case 'number':
        return number !== null && v === number;
      case 'boolean':
        return boolean !== null && v === boolean;
      default:
        if (text) return textMatch(v);
        if (v === value) return true;
        if (number !== null && parseNumber(v) === number) return true;
        if (cidr !== null || ip !== null) return ipMatch(v, cidr, ip?.text ?? null);
        return false;
    }
  };
}

function ipMatch(v: string, cidr: ReturnType<typeof parseCidr>, ip: string | null): boolean {
  const parsed = parseIp(v);
  if (parsed === null) return false;
  if (ip !== null) return parsed.text === ip;
  if (cidr === null) return false;
  if (cidr.version === 4)
    return parsed.version === 4 && parsed.value >= cidr.first && parsed.value <= cidr.last;
  if (parsed.version !== 6) return false;
  let bits = cidr.prefix;
  for (let g = 0; g < 8 && bits > 0; g++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((parsed.groups[g]! & mask) !== (cidr.address.groups[g]! & mask)) return false;
  }
  return true;
}

function wildcardTest(parts: WildcardPart[]): ValueTest {
  const textMatch = tokenMatcher(tokenPatterns(parts));
  const whole = wildcardRegex(parts, '');
  return (v, text) => {
    const s = String(v);
    return text ? textMatch(s) : whole.test(s);
  };
}

function wildcardRegex(parts: readonly WildcardPart[], flags: string): RegExp {
  const body = parts
    .map((p) =>
      p.kind === 'any' ? '.*' : p.kind === 'one' ? '.' : p.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`, `s${flags}`);
}

/** Token patterns in order, adjacent, whole tokens, ignoring case (the analysed-text rule). */
function tokenMatcher(patterns: readonly TokenPattern[]): (text: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matchers = patterns.map((p): ((token: string) => boolean) => {
    if (p.every((part) => part.kind === 'literal')) {
      const lower = p
        .map((x) => (x.kind === 'literal' ? x.text : ''))
        .join('')
        .toLowerCase();
      return (t) => t.length === lower.length && t.toLowerCase() === lower;
    }
    const re = wildcardRegex(p, 'i');
    return (t) => re.test(t);
  });
  return (text) => {
    const tokens = tokenize(text);
    outer: for (let i = 0; i + matchers.length <= tokens.length; i++) {
      for (let k = 0; k < matchers.length; k++) if (!matchers[k]!(tokens[i + k]!)) continue outer;
      return true;
    }
    return false;
  };
}

function regexTest(pattern: string): ValueTest {
  let exact: RegExp;
  let insensitive: RegExp;
  try {
    exact = new RegExp(`^(?:${pattern})$`, 's');
    insensitive = new RegExp(`^(?:${pattern})$`, 'is');
  } catch (err) {
    throw new Error(`Cannot use the regular expression /${pattern}/: ${(err as Error).message}`);
  }
  return (v, text) => {
    const s = String(v);
    if (!text) return exact.test(s);
    return insensitive.test(s) || tokenize(s).some((t) => insensitive.test(t));
  };
}

function rangeTest(node: RangeNode): ValueTest {
  const lower = node.lower;
  const upper = node.upper;
  if (lower === null && upper === null) return () => true;
  const lowerNumber = lower === null ? null : parseNumber(lower.value);
  const upperNumber = upper === null ? null : parseNumber(upper.value);
  const numeric = (lower === null || lowerNumber !== null) && (upper === null || upperNumber !== null);
  const inRange = <T extends string | number>(v: T, lo: T | null, hi: T | null): boolean => {
    if (lower !== null && lo !== null && (lower.inclusive ? v < lo : v <= lo)) return false;
    if (upper !== null && hi !== null && (upper.inclusive ? v > hi : v >= hi)) return false;
    return true;
  };
  return (v) => {
    if (typeof v === 'number') return numeric && inRange(v, lowerNumber, upperNumber);
    if (typeof v === 'boolean') return false;
    if (numeric) {
      const n = parseNumber(v);
      if (n !== null) return inRange(n, lowerNumber, upperNumber);
    }
    return inRange(v, lower?.value ?? null, upper?.value ?? null);
  };
}

/** `@timestamp` leaves: date math resolved against the clock at evaluation time. */
function timestampTest(node: FieldNode, nowUs: number): (us: number, now: number) => boolean {
  // Validate the dates once now, so a bad one is a configuration error rather than a runtime one.
  const check = (text: string) => parseDateMath(text, { nowUs });
  switch (node.kind) {
    case 'term':
    case 'phrase': {
      check(node.value);
      const value = node.value;
      return (us, now) => {
        const r = parseDateRange(value, now);
        return us >= r.startUs && us <= r.endUs;
      };
    }
    case 'range': {
      const { lower, upper } = node;
      if (lower) check(lower.value);
      if (upper) check(upper.value);
      return (us, now) => {
        if (lower) {
          const lo = parseDateMath(lower.value, { nowUs: now, roundUp: !lower.inclusive });
          if (lower.inclusive ? us < lo : us <= lo) return false;
        }
        if (upper) {
          const hi = parseDateMath(upper.value, { nowUs: now, roundUp: upper.inclusive });
          if (upper.inclusive ? us > hi : us >= hi) return false;
        }
        return true;
      };
    }
    case 'regex':
      return () => false;
    default:
      return assertNever(node, 'query node');
  }
}
