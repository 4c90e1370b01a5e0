import type { Event, FieldValue, Scalar } from '../model/event.js';
import { createFieldMap, type FieldMap, flattenInto, putField } from '../model/flatten.js';
import { DEFAULT_EVENT_LIMITS } from '../model/normalize.js';
import { formatTimestamp, parseTimestamp } from '../model/timestamp.js';

/**
 * One event on its way through a pipeline. Processors read and write `event.fields` by dotted name
 * through the functions below, which also know the members that are not fields: `@timestamp`
 * (event.timestampUs), `stream`, `_id` (event.id) and `@metadata.*`, a scratch space that is never
 * stored (Logstash's `[@metadata]`).
 */
export interface PipelineDoc {
  event: Event;
  metadata: FieldMap;
  /** Set by `drop` and `sample`: the event is not stored. */
  dropped: boolean;
  /** Whether a field was written, so level/service/host need deriving again after the pipeline. */
  changed: boolean;
  /** Names written since the event was normalised (for the limit checks after the pipeline). */
  written: string[];
  /** A processor added fields it did not name one by one (json): check every field's limits. */
  checkAll: boolean;
  /**
   * Fields were removed. Removal leaves `undefined` in the field map instead of deleting the key:
   * `delete` turns a V8 object into a slow dictionary for the rest of its life (every later field
   * access, and the store's encoding of it); finishEvent copies the map without those keys once.
   */
  removed: boolean;
}

/** The field map as it is during a pipeline: removed fields hold `undefined`. */
type WorkingFields = Record<string, FieldValue | undefined>;

export const METADATA_PREFIX = '@metadata.';

export function createDoc(event: Event): PipelineDoc {
  return {
    event,
    metadata: createFieldMap(),
    dropped: false,
    changed: false,
    written: [],
    checkAll: false,
    removed: false,
  };
}

/**
 * Field names as users write them: dotted (`http.request.method`) or as Logstash field references
 * (`[http][request][method]`), which become dotted.
 */
export function normalizeFieldName(name: string): string {
  if (name.length === 0 || name.charCodeAt(0) !== 91 /* [ */) return name;
  const parts = name.match(/\[([^\]]*)\]/g);
  if (parts === null || parts.join('') !== name) return name;
  return parts.map((p) => p.slice(1, -1)).join('.');
}

/** A field's value, or undefined when absent. `@timestamp` reads as ISO 8601 text. */
export function getField(doc: PipelineDoc, name: string): FieldValue | undefined {
  const own = doc.event.fields[name];
  if (own !== undefined) return own;
  switch (name) {
    case '@timestamp':
      return formatTimestamp(doc.event.timestampUs);
    case 'stream':
      return doc.event.stream;
    case '_id':
      return doc.event.id;
  }
  if (name.startsWith(METADATA_PREFIX)) return doc.metadata[name.slice(METADATA_PREFIX.length)];
  return undefined;
}

/** The field as one string: arrays joined with commas (as Logstash's sprintf does), absent as undefined. */
export function getString(doc: PipelineDoc, name: string): string | undefined {
  const value = getField(doc, name);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** Whether the field or any field below it (`a` for `a.b`) is present. */
export function hasField(doc: PipelineDoc, name: string): boolean {
  if (getField(doc, name) !== undefined) return true;
  const prefix = name + '.';
  const fields = name.startsWith(METADATA_PREFIX) ? doc.metadata : doc.event.fields;
  const inner = name.startsWith(METADATA_PREFIX) ? prefix.slice(METADATA_PREFIX.length) : prefix;
  for (const key in fields) if (fields[key] !== undefined && key.startsWith(inner)) return true;
  return false;
}

/**
 * Writes a field. `@timestamp` takes any timestamp Cairn reads on ingest (ISO 8601, epoch numbers);
 * `stream` and `_id` take text. Returns a reason when the value cannot go there, else null.
 */
export function setField(doc: PipelineDoc, name: string, value: FieldValue): string | null {
  switch (name) {
    case '@timestamp': {
      const us = parseTimestamp(Array.isArray(value) ? value[0] : value);
      if (us === null) return `Cannot set @timestamp to ${JSON.stringify(value)}: expected a timestamp`;
      doc.event.timestampUs = us;
      return null;
    }
    case 'stream':
      if (typeof value !== 'string' || value.length === 0)
        return `Cannot set stream to ${JSON.stringify(value)}: expected a name`;
      doc.event.stream = value;
      return null;
    case '_id':
      doc.event.id = Array.isArray(value) ? value.join(',') : String(value);
      return null;
  }
  if (name.startsWith(METADATA_PREFIX)) {
    doc.metadata[name.slice(METADATA_PREFIX.length)] = value;
    return null;
  }
  putField(doc.event.fields, name, value);
  doc.changed = true;
  doc.written.push(name);
  return null;
}

/**
 * Writes a JSON value (object, array or scalar) at `name`, flattening objects to dotted names below
 * it, or at the top level when `name` is ''. Returns a reason when the value breaks an event limit.
 */
export function setJson(doc: PipelineDoc, name: string, value: unknown): string | null {
  if (name.startsWith(METADATA_PREFIX) || name === '@timestamp' || name === 'stream' || name === '_id') {
    const scalar = toFieldValue(value);
    return scalar === undefined ? null : setField(doc, name, scalar);
  }
  const fields = doc.event.fields;
  if (name !== '') removeField(doc, name);
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    // Keys of the object replace fields of the same name, as Logstash's json filter does.
    for (const key in value) if (key !== '@timestamp' && key !== 'stream') removeField(doc, key);
  }
  const error = flattenInto(value, fields, {
    limits: DEFAULT_EVENT_LIMITS,
    ...(name === '' ? { skipKeys: ['@timestamp', 'stream'] } : { prefix: name }),
  });
  doc.changed = true;
  doc.checkAll = true;
  return error === null ? null : error.reason;
}

/** A JSON value as a field value: scalars as they are, arrays of scalars as arrays, else undefined. */
export function toFieldValue(value: unknown): FieldValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      if (Array.isArray(value)) {
        const out: Scalar[] = [];
        for (const v of value) {
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(v);
          else if (v !== null && v !== undefined) out.push(JSON.stringify(v));
        }
        return out;
      }
      return value === null ? undefined : JSON.stringify(value);
    default:
      return undefined;
  }
}

/** Removes a field and every field below it (`agent` removes `agent.name`, `agent.version`…). */
export function removeField(doc: PipelineDoc, name: string): boolean {
  const isMeta = name.startsWith(METADATA_PREFIX);
  const fields: WorkingFields = isMeta ? doc.metadata : doc.event.fields;
  const key = isMeta ? name.slice(METADATA_PREFIX.length) : name;
  let removed = false;
  if (fields[key] !== undefined) {
    fields[key] = undefined;
    removed = true;
  }
  const prefix = key + '.';
  for (const k in fields) {
    if (fields[k] !== undefined && k.startsWith(prefix)) {
      fields[k] = undefined;
      removed = true;
    }
  }
  if (removed && !isMeta) {
    doc.changed = true;
    doc.removed = true;
  }
  if (removed && isMeta) doc.metadata = withoutRemoved(doc.metadata);
  return removed;
}

/** The field and the fields below it, as [suffix, value] pairs ('' for the field itself). */
export function subtree(doc: PipelineDoc, name: string): [string, FieldValue][] {
  const isMeta = name.startsWith(METADATA_PREFIX);
  const fields = isMeta ? doc.metadata : doc.event.fields;
  const key = isMeta ? name.slice(METADATA_PREFIX.length) : name;
  const out: [string, FieldValue][] = [];
  const own = isMeta ? fields[key] : getField(doc, name);
  if (own !== undefined) out.push(['', own]);
  const prefix = key + '.';
  for (const k in fields) {
    const value = fields[k];
    if (value !== undefined && k.startsWith(prefix)) out.push([k.slice(key.length), value]);
  }
  return out;
}

/** Adds tags to the `tags` field (a list of strings), each once. */
export function addTags(doc: PipelineDoc, tags: readonly string[]): void {
  if (tags.length === 0) return;
  const current = doc.event.fields['tags'];
  const list: Scalar[] = current === undefined ? [] : Array.isArray(current) ? current : [current];
  let added = false;
  for (const tag of tags) {
    if (!list.includes(tag)) {
      list.push(tag);
      added = true;
    }
  }
  if (added || !Array.isArray(current)) {
    doc.event.fields['tags'] = list.map(String);
    doc.changed = true;
    doc.written.push('tags');
  }
}

export function removeTags(doc: PipelineDoc, tags: readonly string[]): void {
  const current = doc.event.fields['tags'];
  if (current === undefined) return;
  const list = (Array.isArray(current) ? current : [current]).filter((t) => !tags.includes(String(t)));
  if (list.length === 0) removeField(doc, 'tags');
  else setField(doc, 'tags', list.map(String));
}

export function hasTag(doc: PipelineDoc, tag: string): boolean {
  const current = doc.event.fields['tags'];
  return Array.isArray(current) ? current.includes(tag) : current === tag;
}

/** A copy of a field map without the keys of removed fields. */
export function withoutRemoved(fields: FieldMap): FieldMap {
  const out = createFieldMap();
  const source: WorkingFields = fields;
  for (const key in source) {
    const value = source[key];
    if (value !== undefined) putField(out, key, value);
  }
  return out;
}

/** A copy of the event that later processors cannot change (for simulate's per-processor results). */
export function snapshotEvent(event: Event): Event {
  const fields = createFieldMap();
  const source: WorkingFields = event.fields;
  for (const key in source) {
    const value = source[key];
    if (value !== undefined) fields[key] = Array.isArray(value) ? value.slice() : value;
  }
  return {
    timestampUs: event.timestampUs,
    stream: event.stream,
    ...(event.id !== undefined ? { id: event.id } : {}),
    fields,
  };
}
