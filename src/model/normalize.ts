import type { Event, FieldValue, Level } from './event.js';
import { createFieldMap, type FieldMap, type FlattenLimits, flattenInto } from './flatten.js';
import { describeJsonType } from './json-type.js';
import { normalizeLevel } from './level.js';
import { describeTimestampError, parseTimestamp } from './timestamp.js';

/** Per-event limits; answered with 400 and the offending field, never a crash. */
export type EventLimits = FlattenLimits;

/** Elasticsearch's defaults where it has one (depth 20, 1000 fields, 32766 bytes for a keyword term). */
export const DEFAULT_EVENT_LIMITS: Readonly<EventLimits> = Object.freeze({
  maxFields: 1000,
  maxFieldNameLength: 512,
  maxValueLength: 32766,
  maxDepth: 20,
});

export type NormalizeResult = { ok: true; event: Event } | { ok: false; reason: string; field?: string };

export interface NormalizeOptions {
  stream: string;
  /** When the event was received, µs since the epoch: its timestamp when it carries none. */
  receivedUs: number;
  /** Client-supplied id (Elasticsearch `_id`). */
  id?: string;
  limits: EventLimits;
}

/*
 * Decisions (DESIGN.md "Events" leaves these open):
 *
 * - Timestamp: the first of TIMESTAMP_KEYS present (null counts as absent) is the event time.
 *   `@timestamp` becomes `timestampUs` and is not kept in fields; `timestamp`, `time` and `ts` stay
 *   as sent. A present but unparseable one rejects the event, naming the field: silently using the
 *   receive time would misplace the event in time.
 * - Level: `level` holds the canonical level (TRACE … FATAL) of the first LEVEL_KEYS field that is a
 *   level, so pino's `level: 30` becomes "INFO"; alias fields (`severity`, `log.level` …) stay as
 *   sent. A `level` that is not a level name is kept, upper-cased ("NOTICE2"); an alias that is not a
 *   level name is ignored, since `severity: "high"` is often not a log level at all.
 * - Service and host: the first non-empty string of SERVICE_KEYS / HOST_KEYS; originals stay.
 * - Message: pino and bunyan write `msg`, Docker's json-file driver writes `log`; when `message` is
 *   absent the first string of those is copied to `message` (one trailing newline dropped) so the UI
 *   and `message:` searches work, and the original stays, like every alias.
 * - `stream` in the raw event is dropped: `stream` is the reserved column the route decides
 *   (Event.fields never holds it), and a client must not be able to move its event to another
 *   stream. Docker and Filebeat use it for stdout/stderr, which is lost with it.
 * - Derived fields (level, service, host, message) do not count towards maxFields.
 */

const TIMESTAMP_KEYS = ['@timestamp', 'timestamp', 'time', 'ts'] as const;
const LEVEL_KEYS = ['level', 'log.level', 'severity', 'levelname', 'log_level', 'loglevel', 'severity_text'];
const SERVICE_KEYS = ['service', 'service.name', 'app', 'application'];
const HOST_KEYS = ['host', 'host.name', 'hostname'];
const MESSAGE_KEYS = ['msg', 'log'];
const SKIPPED_KEYS = ['@timestamp', 'stream'];

/** Turns one decoded JSON event into an Event, or says why it cannot be stored. */
export function normalizeEvent(raw: unknown, opts: NormalizeOptions): NormalizeResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: `expected a JSON object, got ${describeJsonType(raw)}` };
  }
  const source = raw as Record<string, unknown>;

  let timestampUs = opts.receivedUs;
  for (let k = 0; k < TIMESTAMP_KEYS.length; k++) {
    const key = TIMESTAMP_KEYS[k]!;
    const value = source[key];
    if (value === undefined || value === null) continue;
    const us = parseTimestamp(value);
    if (us === null) return { ok: false, reason: describeTimestampError(value), field: key };
    timestampUs = us;
    break;
  }

  const fields = createFieldMap();
  const error = flattenInto(source, fields, { limits: opts.limits, skipKeys: SKIPPED_KEYS });
  if (error !== null) return { ok: false, reason: error.reason, field: error.field };

  applyLevel(fields);
  applyAlias(fields, 'service', SERVICE_KEYS);
  applyAlias(fields, 'host', HOST_KEYS);
  applyMessage(fields);

  return { ok: true, event: { timestampUs, stream: opts.stream, id: opts.id, fields } };
}

function applyLevel(fields: FieldMap): void {
  let level: Level | null = null;
  for (let k = 0; k < LEVEL_KEYS.length && level === null; k++) {
    const value = fields[LEVEL_KEYS[k]!];
    if (value !== undefined) level = normalizeLevel(value);
  }
  if (level !== null) {
    fields.level = level;
    return;
  }
  const own = fields.level;
  if (typeof own === 'string') fields.level = own.toUpperCase();
  else if (typeof own === 'number') fields.level = String(own);
}

function firstNonEmptyString(fields: FieldMap, keys: readonly string[]): string | undefined {
  for (let k = 0; k < keys.length; k++) {
    const value: FieldValue | undefined = fields[keys[k]!];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

function applyAlias(fields: FieldMap, target: string, keys: readonly string[]): void {
  const value = firstNonEmptyString(fields, keys);
  if (value !== undefined) fields[target] = value;
}

function applyMessage(fields: FieldMap): void {
  if (fields.message !== undefined) return;
  const value = firstNonEmptyString(fields, MESSAGE_KEYS);
  if (value === undefined) return;
  fields.message = stripTrailingNewline(value);
}

function stripTrailingNewline(text: string): string {
  let end = text.length;
  if (text.charCodeAt(end - 1) === 10) end--;
  if (end < text.length && text.charCodeAt(end - 1) === 13) end--;
  return end === text.length ? text : text.slice(0, end);
}
