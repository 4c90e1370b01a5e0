import { assertNever } from './errors.js';
import type { FieldType, Scalar } from './event.js';
import { canonicalIp, isIp } from './ip.js';
import { parseIsoDateTime, parseTimestamp } from './timestamp.js';

/**
 * The column type a new field gets from its first value, as Elasticsearch's dynamic mapping does:
 *
 * - booleans and numbers keep their JSON type;
 * - a string is a `timestamp` only when it is a full ISO 8601 / RFC 3339 date-time: `yyyy-MM-dd`,
 *   then `T` (or a space, as RFC 3339 and Python's logging write it), then at least `HH:mm`, with
 *   optional seconds, fraction and zone. Date-only strings (`2024-01-15`) and numeric strings
 *   (`"1705312800"`) stay strings: both are too often identifiers, versions or counters, and a
 *   field wrongly typed as a timestamp would reject every later value that is not one;
 * - a string is an `ip` when canonicalIp accepts it;
 * - anything else is a `string`. Numeric strings are not numbers (Elasticsearch's
 *   numeric_detection is off by default for the same reason).
 */
export function inferType(value: Scalar): FieldType {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return inferStringType(value);
    default:
      return assertNever(value, 'scalar');
  }
}

function inferStringType(text: string): FieldType {
  const first = text.charCodeAt(0);
  // Both a date-time and an IP start with a digit, a hex letter or ':'; most strings stop here.
  if (text.length >= 16 && text.charCodeAt(4) === 45 /* - */ && first >= 48 && first <= 57) {
    if (parseIsoDateTime(text) !== null) return 'timestamp';
  }
  return isIp(text) ? 'ip' : 'string';
}

/** True when `s` is a JSON number: `-?digits[.digits][(e|E)[+-]digits]` (leading zeros allowed). */
function isNumberText(s: string): boolean {
  const len = s.length;
  let i = 0;
  if (s.charCodeAt(i) === 45) i++;
  const intStart = i;
  while (i < len && isDigit(s.charCodeAt(i))) i++;
  if (i === intStart) return false;
  if (s.charCodeAt(i) === 46) {
    i++;
    const fracStart = i;
    while (i < len && isDigit(s.charCodeAt(i))) i++;
    if (i === fracStart) return false;
  }
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    const expStart = i;
    while (i < len && isDigit(s.charCodeAt(i))) i++;
    if (i === expStart) return false;
  }
  return i === len;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * `value` converted for a column of `type`, or undefined when it does not fit (the caller then
 * keeps it elsewhere or reports it), like Elasticsearch coercing into an existing mapping:
 *
 * - string: numbers and booleans become their text;
 * - number: numbers, and strings in JSON number syntax (`"200"`, `"-1.5e3"`; no spaces, no hex);
 * - boolean: booleans, and exactly `"true"` / `"false"`;
 * - timestamp: anything parseTimestamp accepts (ISO strings, epoch numbers and numeric strings), as µs;
 * - ip: strings canonicalIp accepts, as canonical text.
 */
export function coerce(value: Scalar, type: FieldType): Scalar | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : String(value);
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && isNumberText(value)) {
        const n = Number(value);
        return Number.isFinite(n) ? n : undefined;
      }
      return undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      return undefined;
    case 'timestamp':
      return parseTimestamp(value) ?? undefined;
    case 'ip':
      return typeof value === 'string' ? (canonicalIp(value) ?? undefined) : undefined;
    default:
      return assertNever(type, 'field type');
  }
}
