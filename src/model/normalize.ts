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
 * - Timestamp: the first of `@timestamp`, `timestamp`, `time`, `ts` that is present (null counts as
 *   absent) is the event time. `@timestamp` becomes `timestampUs` and is not kept in fields;
 *   `timestamp`, `time` and `ts` stay as sent. A present but unparseable one rejects the event,
 *   naming the field: silently using the receive time would misplace the event in time.
 * - Level: `level` holds the canonical level (TRACE … FATAL) of the first of `level`, `log.level`,
 *   `severity`, `levelname`, `log_level`, `loglevel`, `severity_text` that is a level, so pino's
 *   `level: 30` becomes "INFO"; alias fields stay as sent. A `level` that is not a level name is
 *   kept, upper-cased ("NOTICE2"); an alias that is not a level name is ignored, since
 *   `severity: "high"` is often not a log level at all.
 * - Service: the first non-empty string of `service`, `service.name`, `app`, `application`; host:
 *   of `host`, `host.name`, `hostname`. Originals stay.
 * - Message: pino and bunyan write `msg`, Docker's json-file driver writes `log`; when `message` is
 *   absent the first string of those is copied to `message` (one trailing newline dropped) so the UI
 *   and `message:` searches work, and the original stays, like every alias.
 * - `stream` is the reserved column the route decides (Event.fields never holds it), and a client
 *   must not be able to move its event to another stream. A raw top-level `stream` (Docker and
 *   Filebeat's container input write stdout/stderr there) is kept as `log.iostream`, the
 *   OpenTelemetry name for it, unless the event already has that field.
 * - Derived fields (level, service, host, message) do not count towards maxFields.
 *
 * The aliases are read with property names spelled out rather than looped over a key list: a load
 * with a constant name gets its own inline cache and costs a fraction of a keyed load with a
 * variable name, which matters at 17 lookups per event.
 */

const SKIPPED_KEYS = ['@timestamp', 'stream'];
/** Where a raw event's own `stream` (stdout, stderr) is kept. */
const IOSTREAM = 'log.iostream';

/** Turns one decoded JSON event into an Event, or says why it cannot be stored. */
export function normalizeEvent(raw: unknown, opts: NormalizeOptions): NormalizeResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: `expected a JSON object, got ${describeJsonType(raw)}` };
  }
  const source = raw as Record<string, unknown>;

  let timeKey = '@timestamp';
  let time = source['@timestamp'];
  if (time == null) {
    timeKey = 'timestamp';
    time = source['timestamp'];
    if (time == null) {
      timeKey = 'time';
      time = source['time'];
      if (time == null) {
        timeKey = 'ts';
        time = source['ts'];
      }
    }
  }
  let timestampUs = opts.receivedUs;
  if (time != null) {
    const us = parseTimestamp(time);
    if (us === null) return { ok: false, reason: describeTimestampError(time), field: timeKey };
    timestampUs = us;
  }

  const fields = createFieldMap();
  const error = flattenInto(source, fields, { limits: opts.limits, skipKeys: SKIPPED_KEYS });
  if (error !== null) return { ok: false, reason: error.reason, field: error.field };
  const rawStream = source['stream'];
  if (rawStream != null && fields[IOSTREAM] === undefined) {
    const streamError = flattenInto(rawStream, fields, { limits: opts.limits, prefix: IOSTREAM });
    if (streamError !== null) return { ok: false, reason: streamError.reason, field: streamError.field };
  }

  applyLevel(fields);
  applyServiceHostMessage(fields);

  return { ok: true, event: { timestampUs, stream: opts.stream, id: opts.id, fields } };
}

function levelOf(value: FieldValue | undefined): Level | null {
  return value === undefined ? null : normalizeLevel(value);
}

function applyLevel(fields: FieldMap): void {
  const level =
    levelOf(fields['level']) ??
    levelOf(fields['log.level']) ??
    levelOf(fields['severity']) ??
    levelOf(fields['levelname']) ??
    levelOf(fields['log_level']) ??
    levelOf(fields['loglevel']) ??
    levelOf(fields['severity_text']);
  const own = fields['level'];
  if (level !== null) {
    if (own !== level) fields['level'] = level;
  } else if (typeof own === 'string') {
    fields['level'] = own.toUpperCase();
  } else if (typeof own === 'number') {
    fields['level'] = String(own);
  }
}

function nonEmptyString(value: FieldValue | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function applyServiceHostMessage(fields: FieldMap): void {
  const ownService = fields['service'];
  if (nonEmptyString(ownService) === undefined) {
    const service =
      nonEmptyString(fields['service.name']) ??
      nonEmptyString(fields['app']) ??
      nonEmptyString(fields['application']);
    if (service !== undefined) fields['service'] = service;
  }
  const ownHost = fields['host'];
  if (nonEmptyString(ownHost) === undefined) {
    const host = nonEmptyString(fields['host.name']) ?? nonEmptyString(fields['hostname']);
    if (host !== undefined) fields['host'] = host;
  }
  if (fields['message'] === undefined) {
    const message = nonEmptyString(fields['msg']) ?? nonEmptyString(fields['log']);
    if (message !== undefined) fields['message'] = stripTrailingNewline(message);
  }
}

function stripTrailingNewline(text: string): string {
  let end = text.length;
  if (text.charCodeAt(end - 1) === 10) end--;
  if (end < text.length && text.charCodeAt(end - 1) === 13) end--;
  return end === text.length ? text : text.slice(0, end);
}
