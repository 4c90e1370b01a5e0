import type { Event, FieldType, FieldValue, Scalar } from '../../model/event.js';
import { coerce, inferType } from '../../model/infer.js';
import { canonicalIp } from '../../model/ip.js';
import { type Catalog, type ColumnDef, dayOf, INTERNAL_COLUMNS } from './catalog.js';

/** The rows of one partition, encoded as NDJSON lines for DuckDB's read_ndjson. */
export interface PartitionRows {
  stream: string;
  dayUs: number;
  lines: string[];
  minUs: number;
  maxUs: number;
  /** Column names used by these rows (including the base columns). */
  columns: Set<string>;
  /** Characters of scalar string values per column: long text compresses better with zstd. */
  textChars: Map<string, number>;
}

export interface EncodedBatch {
  partitions: PartitionRows[];
  /** Field definitions first seen in this batch; registered in the catalog once the batch commits. */
  newFields: ColumnDef[];
  /** Field names that went to the overflow column for the first time. */
  newOverflow: string[];
  ids: string[];
  lastSeq: number;
}

const RESERVED = new Set(['@timestamp', 'stream', ...INTERNAL_COLUMNS]);

/**
 * Turns events into per-partition NDJSON rows with every value coerced to its column's type.
 * A value that cannot live in its field's column (type clash, or the column cap is reached) is kept,
 * as sent, in the `_extra` JSON column: nothing accepted is dropped.
 */
export function encodeBatch(
  events: readonly Event[],
  opts: {
    catalog: Catalog;
    overflow: ReadonlySet<string>;
    firstSeq: number;
    /** Sees every row as it is encoded (the skip index). */
    onRow?: (stream: string, dayUs: number, seq: number, fields: Record<string, FieldValue>) => void;
  },
): EncodedBatch {
  const { catalog } = opts;
  const groups = new Map<string, PartitionRows>();
  const pending = new Map<string, ColumnDef>();
  const newOverflow = new Set<string>();
  const ids: string[] = new Array(events.length);
  let seq = opts.firstSeq;

  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const ts = Math.trunc(event.timestampUs);
    const dayUs = dayOf(ts);
    const key = `${event.stream}\u0000${dayUs}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        stream: event.stream,
        dayUs,
        lines: [],
        minUs: ts,
        maxUs: ts,
        columns: new Set(['@timestamp', '_seq', 'stream']),
        textChars: new Map(),
      };
      groups.set(key, group);
    }
    if (ts < group.minUs) group.minUs = ts;
    if (ts > group.maxUs) group.maxUs = ts;

    const fixed = `{"@timestamp":${ts},"_seq":${seq},"stream":${JSON.stringify(event.stream)}${
      event.id !== undefined ? `,"_id":${JSON.stringify(event.id)}` : ''
    }`;
    if (event.id !== undefined) group.columns.add('_id');
    ids[i] = event.id ?? formatSeqId(seq);
    const fields = event.fields;
    opts.onRow?.(event.stream, dayUs, seq, fields);
    seq++;

    // Sampling string lengths is enough to tell long text from short keywords.
    const sample = group.lines.length < TEXT_SAMPLE_ROWS;
    if (isClean(fields, catalog, pending, group, sample)) {
      // Every value already has its column's type: one native stringify of the whole object.
      const json = JSON.stringify(fields);
      group.lines.push(json.length > 2 ? `${fixed},${json.slice(1)}` : `${fixed}}`);
      continue;
    }
    const row: Record<string, unknown> = {};
    let extra: Record<string, FieldValue> | undefined;
    for (const name in fields) {
      const value = fields[name]!;
      const reserved = RESERVED.has(name);
      let col = reserved ? undefined : (catalog.fields.get(name) ?? pending.get(name));
      if (!col && !reserved && catalog.fields.size + pending.size < catalog.maxColumns) {
        col = defineColumn(name, value);
        pending.set(name, col);
      }
      const stored = col ? coerceForColumn(value, col) : undefined;
      if (col && stored !== undefined) {
        row[name] = stored;
        group.columns.add(name);
        if (sample && typeof stored === 'string')
          group.textChars.set(name, (group.textChars.get(name) ?? 0) + stored.length);
      } else {
        extra ??= {};
        extra[name] = value;
        if (!opts.overflow.has(name)) newOverflow.add(name);
      }
    }
    if (extra) {
      row['_extra'] = JSON.stringify(extra);
      group.columns.add('_extra');
    }
    const json = JSON.stringify(row);
    group.lines.push(json.length > 2 ? `${fixed},${json.slice(1)}` : `${fixed}}`);
  }

  // Only fields that some row actually stored become columns.
  const used = new Set<string>();
  for (const g of groups.values()) for (const c of g.columns) used.add(c);
  const newFields = [...pending.values()].filter((c) => used.has(c.name));
  return {
    partitions: [...groups.values()],
    newFields,
    newOverflow: [...newOverflow],
    ids,
    lastSeq: seq - 1,
  };
}

/** Ids of events without a client id are derived from their sequence number, so they cost no disk. */
export function formatSeqId(seq: number): string {
  return `c${seq.toString(36).padStart(10, '0')}`;
}

export function parseSeqId(id: string): number | null {
  if (!/^c[0-9a-z]{10,}$/.test(id)) return null;
  const n = Number.parseInt(id.slice(1), 36);
  return Number.isSafeInteger(n) ? n : null;
}

function defineColumn(name: string, value: FieldValue): ColumnDef {
  if (Array.isArray(value)) {
    const first = value[0] as Scalar;
    const t = inferType(first);
    // Lists of timestamps stay text: the list keeps the values exactly as sent.
    const type: FieldType = t === 'timestamp' ? 'string' : t;
    return { name, type, list: true };
  }
  return { name, type: wellKnownType(name) ?? inferType(value), list: false };
}

/** The well-known columns are always text, whatever the first value looked like. */
function wellKnownType(name: string): FieldType | undefined {
  return name === 'message' || name === 'level' || name === 'service' || name === 'host'
    ? 'string'
    : undefined;
}

/** Rows per partition and batch whose string lengths are counted. */
const TEXT_SAMPLE_ROWS = 64;

/**
 * True when every field maps to an existing (or pending) column of exactly the value's type, so the
 * fields object can be written as it is. Records the columns used; counts text lengths when sampling.
 */
function isClean(
  fields: Record<string, FieldValue>,
  catalog: Catalog,
  pending: ReadonlyMap<string, ColumnDef>,
  group: PartitionRows,
  sample: boolean,
): boolean {
  for (const name in fields) {
    if (RESERVED.has(name)) return false;
    const col = catalog.fields.get(name) ?? pending.get(name);
    if (!col) return false;
    const value = fields[name]!;
    if (col.list) {
      if (!Array.isArray(value) || !value.every((v) => fitsExactly(v, col.type))) return false;
    } else if (!fitsExactly(value, col.type)) {
      return false;
    }
  }
  for (const name in fields) {
    group.columns.add(name);
    if (sample) {
      const value = fields[name];
      if (typeof value === 'string')
        group.textChars.set(name, (group.textChars.get(name) ?? 0) + value.length);
    }
  }
  return true;
}

/** Values stored as they are: strings in string columns, numbers in number columns, booleans likewise. */
function fitsExactly(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'ip':
      return typeof value === 'string' && canonicalIp(value) === value;
    case 'timestamp':
      return false; // converted to µs on the careful path
  }
}

function coerceForColumn(value: FieldValue, col: ColumnDef): unknown {
  // Fast paths: the value already has the column's type.
  if (typeof value === 'string' && col.type === 'string' && !col.list) return value;
  if (typeof value === 'number' && col.type === 'number' && !col.list)
    return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    if (!col.list) return undefined;
    const out: Scalar[] = [];
    for (const v of value) {
      const c = col.type === 'string' ? String(v) : coerce(v, col.type);
      if (c === undefined) return undefined;
      out.push(c);
    }
    return out;
  }
  if (col.list) {
    const c = col.type === 'string' ? String(value) : coerce(value, col.type);
    return c === undefined ? undefined : [c];
  }
  if (col.type === 'string') return typeof value === 'string' ? value : String(value);
  return coerce(value, col.type);
}
