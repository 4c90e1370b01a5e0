import type { Event, FieldValue } from '../model/event.js';
import { createFieldMap, flattenInto, putField } from '../model/flatten.js';
import { type EventLimits, normalizeEvent } from '../model/normalize.js';
import { type PipelineDoc, withoutRemoved } from './doc.js';

export type FinishedEvent =
  | { kind: 'kept'; event: Event }
  | { kind: 'rejected'; reason: string; field?: string };

/*
 * The fields normalizeEvent derives `level`, `service`, `host` and `message` from (src/model/
 * normalize.ts, DESIGN.md "Events"). After a pipeline, only these are run through normalizeEvent
 * again: re-normalising all 20-odd fields of a parsed access-log line costs more than the whole
 * pipeline. finish.test.ts checks that this gives what a full normalizeEvent gives, so a new alias
 * in the model shows up there.
 */
const DERIVED_FROM = [
  'level',
  'log.level',
  'severity',
  'levelname',
  'log_level',
  'loglevel',
  'severity_text',
  'service',
  'service.name',
  'app',
  'application',
  'host',
  'host.name',
  'hostname',
  'message',
  'msg',
  'log',
] as const;
const DERIVED = ['level', 'service', 'host', 'message'] as const;
const DERIVED_SOURCES: ReadonlySet<string> = new Set(DERIVED_FROM);

/**
 * The event after its pipeline, ready for the store. When a processor wrote fields, `level`,
 * `service`, `host` and `message` are derived again by normalizeEvent from the new fields (so
 * `log.level: "warning"` gives `level: WARN`, as on ingest), and the event limits (fields per event,
 * name and value lengths) are checked for what the pipeline wrote.
 */
export function finishEvent(doc: PipelineDoc, limits: EventLimits): FinishedEvent {
  const event = doc.event;
  if (!doc.changed) return { kind: 'kept', event };
  if (doc.removed) event.fields = withoutRemoved(event.fields);
  const fields = event.fields;

  // The derived fields can only change when a field they come from was written or removed.
  if (doc.checkAll || doc.removed || doc.written.some((name) => DERIVED_SOURCES.has(name))) {
    const probe: Record<string, FieldValue> = {};
    for (const key of DERIVED_FROM) {
      const value = fields[key];
      if (value !== undefined) probe[key] = value;
    }
    const derived = normalizeEvent(probe, { stream: event.stream, receivedUs: event.timestampUs, limits });
    if (derived.ok) {
      for (const key of DERIVED) {
        const value = derived.event.fields[key];
        if (value !== undefined && value !== fields[key]) putField(fields, key, value);
      }
    }
  }

  const names = doc.checkAll ? Object.keys(fields) : doc.written;
  for (const name of names) {
    const value = fields[name];
    if (value === undefined) continue;
    if (name.length > limits.maxFieldNameLength || tooLong(value, limits.maxValueLength)) {
      // flattenInto words the violation the way ingest does.
      const error = flattenInto({ [name]: value }, createFieldMap(), { limits });
      if (error !== null) return { kind: 'rejected', reason: error.reason, field: error.field };
    }
  }
  let count = 0;
  for (const _ in fields) count++;
  if (count > limits.maxFields + DERIVED.length) {
    return {
      kind: 'rejected',
      reason: `Cannot store the event: after its pipeline it has ${count} fields, the maximum is ${limits.maxFields}`,
    };
  }
  return { kind: 'kept', event };
}

function tooLong(value: FieldValue, max: number): boolean {
  if (typeof value === 'string') return value.length > max;
  if (!Array.isArray(value)) return false;
  for (const v of value) if (typeof v === 'string' && v.length > max) return true;
  return false;
}
