import type { Event, FieldType, FieldValue, Scalar } from '../../model/event.js';
import { coerce, inferType } from '../../model/infer.js';
import { canonicalIp } from '../../model/ip.js';
import { type ColumnDef, DAY_US, dayOf, INTERNAL_COLUMNS } from './catalog.js';
import { HashBuffer, textFieldHashes } from './token-bloom.js';

/**
 * What the encoder needs to know of the catalog: the typed columns, the fields already kept in the
 * overflow column, and the column cap. On an ingest worker this is a copy kept in sync by the
 * server; on the store's thread it is the catalog itself.
 */
export interface ColumnView {
  fields: ReadonlyMap<string, ColumnDef>;
  overflow: ReadonlySet<string>;
  maxColumns: number;
}

/** The rows of one partition, encoded but not yet numbered. */
export interface EncodedGroup {
  stream: string;
  dayUs: number;
  /**
   * The rows as NDJSON bytes for DuckDB's read_ndjson, each `{"_seq":<SEQ_WIDTH blanks>,…}\n`:
   * sequence numbers are given out when the rows are written, into the blanks (JSON allows the
   * spaces), so the bytes an ingest worker made go to the log without being rebuilt.
   */
  rows: Uint8Array;
  /** Byte offset of each row in `rows`. */
  rowStarts: Int32Array;
  /** Bytes of the longest row (DuckDB's reader is sized to it). */
  maxRowBytes: number;
  /** Index in the batch of each row's event. */
  positions: number[];
  /** Client-supplied ids per row (null: none); absent when no row has one. */
  ids?: (string | null)[];
  minUs: number;
  maxUs: number;
  /** Column names used by these rows (including the base columns). */
  columns: Set<string>;
  /** Characters of scalar string values per column: long text compresses better with zstd. */
  textChars: Map<string, number>;
  /** Token hashes of the rows' text fields for the skip index; row k's are [hashEnds[k-1], hashEnds[k]). */
  hashes: Int32Array;
  hashEnds: number[];
}

export interface EncodedRows {
  /** Events in the batch; each gets an id. */
  count: number;
  groups: EncodedGroup[];
  /** Columns this batch defines (define mode); registered in the catalog once the batch commits. */
  newFields: ColumnDef[];
  /** Field names that went to the overflow column for the first time. */
  newOverflow: string[];
  /**
   * Events left for the store's thread (only without define mode): they carry a field the view has
   * no column for, and defining columns is the store's job.
   */
  deferred: { positions: number[]; events: Event[] };
}

const EMPTY_HASHES = new Int32Array(0);
const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_STARTS = new Int32Array(0);

/** Room for a sequence number: 16 digits hold every safe integer. */
export const SEQ_WIDTH = 16;
/** How every row starts: a blank for its sequence number, then its timestamp's key. */
const ROW_HEAD = Buffer.from(`{"_seq":${' '.repeat(SEQ_WIDTH)},"@timestamp":`, 'latin1');

/**
 * A partition's rows as they are encoded, written straight into one growing buffer (no per-row
 * strings to join, no second pass to find where rows start or which is longest).
 */
class RowWriter {
  private buf = spareBuffers.pop() ?? Buffer.allocUnsafe(64 * 1024);
  private length = 0;
  private starts = new Int32Array(256);
  private count = 0;
  private longest = 0;

  /** `streamMember`: `,"stream":<name as JSON>` as bytes, the same for every row of a partition. */
  constructor(private readonly streamMember: Uint8Array) {}

  /**
   * Appends a row: its fixed members (sequence blank, timestamp, stream, client id) written as
   * bytes, then the members of `json` (a JSON object's text, written over its opening brace) and a
   * newline.
   */
  add(timestampUs: number, id: string | undefined, json: string): void {
    const idJson = id === undefined ? undefined : JSON.stringify(id);
    // UTF-8 takes at most 3 bytes per UTF-16 unit; a timestamp at most 21 characters.
    this.reserve(
      ROW_HEAD.length + 21 + this.streamMember.length + 3 * (json.length + (idJson?.length ?? 0)) + 10,
    );
    const start = this.length;
    if (this.count === this.starts.length) {
      const bigger = new Int32Array(this.count * 2);
      bigger.set(this.starts);
      this.starts = bigger;
    }
    this.starts[this.count++] = start;
    const buf = this.buf;
    buf.set(ROW_HEAD, start);
    let at = writeInteger(buf, start + ROW_HEAD.length, timestampUs);
    buf.set(this.streamMember, at);
    at += this.streamMember.length;
    if (idJson !== undefined) at += buf.write(`,"_id":${idJson}`, at, 'utf8');
    if (json.length > 2) {
      const written = buf.write(json, at, 'utf8');
      buf[at] = 44; // ',' over the '{'
      at += written;
    } else {
      buf[at++] = 125; // '}': no members
    }
    buf[at++] = 10;
    this.length = at;
    if (at - start > this.longest) this.longest = at - start;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + bytes) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  /** The rows written, in a buffer of their own (transferable), their starts and the longest. */
  finish(): { rows: Uint8Array; rowStarts: Int32Array; maxRowBytes: number } {
    // A copy sized to the rows: the working buffer may be a slice of Node's shared pool, which
    // must not be transferred to another thread.
    const rows = new Uint8Array(this.length);
    rows.set(this.buf.subarray(0, this.length));
    // The working buffer serves the next batch: no regrowing it from 64 KiB for every request.
    if (spareBuffers.length < MAX_SPARE_BUFFERS && this.buf.length <= MAX_SPARE_BYTES)
      spareBuffers.push(this.buf);
    return { rows, rowStarts: this.starts.slice(0, this.count), maxRowBytes: this.longest };
  }
}

/** Writes a safe integer's decimal digits at `at`; returns the offset after them. */
function writeInteger(buf: Buffer, at: number, value: number): number {
  if (value < 0 || !Number.isSafeInteger(value)) return at + buf.write(String(value), at, 'latin1');
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  writeDigitsEndingAt(buf, at + digits - 1, value);
  return at + digits;
}

/** Writes a non-negative safe integer's decimal digits so that the last one is at `last`. */
function writeDigitsEndingAt(bytes: Uint8Array, last: number, value: number): void {
  let at = last;
  let v = value;
  do {
    bytes[at--] = 48 + (v % 10);
    v = Math.floor(v / 10);
  } while (v > 0);
}

/** Working buffers of finished RowWriters, kept for the next ones (a thread encodes one batch at a time). */
const spareBuffers: Buffer[] = [];
const MAX_SPARE_BUFFERS = 4;
const MAX_SPARE_BYTES = 16 * 1024 * 1024;

const RESERVED = new Set(['@timestamp', 'stream', ...INTERNAL_COLUMNS]);

/**
 * Turns events into per-partition NDJSON rows with every value coerced to its column's type.
 * A value that cannot live in its field's column (type clash, or the column cap is reached) is kept,
 * as sent, in the `_extra` JSON column: nothing accepted is dropped.
 *
 * With `pending` (define mode: the store's thread, under its write lock) a field without a column
 * gets one, defined from its first value and shared through `pending` by every batch of a commit.
 * Without it (an ingest worker) an event with such a field is deferred to the store's thread.
 */
export function encodeRows(
  events: readonly Event[],
  view: ColumnView,
  pending?: Map<string, ColumnDef>,
): EncodedRows {
  const groups = new Map<string, EncodedGroup>();
  /** Per group: its token hashes and rows as they grow, and the shape version its columns hold. */
  const groupState = new Map<EncodedGroup, { hashes: HashBuffer; writer: RowWriter; shapeVersion: number }>();
  let last: EncodedGroup | undefined;
  const newOverflow = new Set<string>();
  const deferred: EncodedRows['deferred'] = { positions: [], events: [] };
  const column = (name: string) => view.fields.get(name) ?? pending?.get(name);
  const shape = new FieldShape(column);
  const hasRoom = () => view.fields.size + (pending?.size ?? 0) < view.maxColumns;

  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const fields = event.fields;
    const fit = shape.fit(fields, pending === undefined && view.fields.size < view.maxColumns);
    if (fit === DEFER) {
      deferred.positions.push(i);
      deferred.events.push(event);
      continue;
    }
    const ts = Math.trunc(event.timestampUs);
    // Consecutive events mostly share a partition: skip the key and the lookup for them.
    let group =
      last !== undefined && last.stream === event.stream && ts >= last.dayUs && ts < last.dayUs + DAY_US
        ? last
        : undefined;
    if (!group) {
      const dayUs = dayOf(ts);
      const key = `${event.stream}\u0000${dayUs}`;
      group = groups.get(key);
      if (!group) {
        group = {
          stream: event.stream,
          dayUs,
          rows: EMPTY_BYTES,
          rowStarts: EMPTY_STARTS,
          maxRowBytes: 0,
          positions: [],
          minUs: ts,
          maxUs: ts,
          columns: new Set(['@timestamp', '_seq', 'stream']),
          textChars: new Map(),
          hashes: EMPTY_HASHES,
          hashEnds: [],
        };
        groups.set(key, group);
        groupState.set(group, {
          hashes: new HashBuffer(),
          writer: new RowWriter(Buffer.from(`,"stream":${JSON.stringify(event.stream)}`, 'utf8')),
          shapeVersion: -1,
        });
      }
      last = group;
    }
    const state = groupState.get(group)!;
    if (ts < group.minUs) group.minUs = ts;
    if (ts > group.maxUs) group.maxUs = ts;
    if (event.id !== undefined) {
      group.columns.add('_id');
      group.ids ??= new Array<string | null>(group.positions.length).fill(null);
    }
    if (group.ids) group.ids.push(event.id ?? null);
    group.positions.push(i);
    textFieldHashes(fields, state.hashes);
    group.hashEnds.push(state.hashes.length);

    // Sampling string lengths is enough to tell long text from short keywords.
    const sample = group.positions.length <= TEXT_SAMPLE_ROWS;
    if (fit === CLEAN) {
      // Every value already has its column's type: one native stringify of the whole object.
      if (state.shapeVersion !== shape.version) {
        for (const name of shape.names) group.columns.add(name);
        state.shapeVersion = shape.version;
      }
      if (sample) countText(fields, group);
      state.writer.add(ts, event.id, JSON.stringify(fields));
      continue;
    }
    const row: Record<string, unknown> = {};
    let extra: Record<string, FieldValue> | undefined;
    for (const name in fields) {
      const value = fields[name]!;
      const reserved = RESERVED.has(name);
      let col = reserved ? undefined : column(name);
      if (!col && !reserved && pending !== undefined && hasRoom()) {
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
        if (!view.overflow.has(name)) newOverflow.add(name);
      }
    }
    if (extra) {
      row['_extra'] = JSON.stringify(extra);
      group.columns.add('_extra');
    }
    state.writer.add(ts, event.id, JSON.stringify(row));
  }

  for (const [group, state] of groupState) {
    group.hashes = state.hashes.view();
    Object.assign(group, state.writer.finish());
  }
  // Only fields that some row actually stored become columns.
  const newFields: ColumnDef[] = [];
  if (pending !== undefined) {
    const used = new Set<string>();
    for (const g of groups.values()) for (const c of g.columns) used.add(c);
    for (const c of pending.values()) if (used.has(c.name) && !view.fields.has(c.name)) newFields.push(c);
  }
  return {
    count: events.length,
    groups: [...groups.values()],
    newFields,
    newOverflow: [...newOverflow],
    deferred,
  };
}

/**
 * Adds the rows encoded on the store's thread for a batch's deferred events; their positions are
 * relative to the deferred list and become positions in the batch.
 */
export function mergeDeferred(into: EncodedRows, rows: EncodedRows): void {
  const positions = into.deferred.positions;
  for (const g of rows.groups) {
    g.positions = g.positions.map((p) => positions[p]!);
    into.groups.push(g);
  }
  into.newFields.push(...rows.newFields);
  into.newOverflow.push(...rows.newOverflow);
  into.deferred = { positions: [], events: [] };
}

/** The rows of one partition, numbered: NDJSON bytes as the write-ahead log stores them. */
export interface NumberedGroup {
  group: EncodedGroup;
  minSeq: number;
  maxSeq: number;
}

/**
 * Gives the rows of a batch their sequence numbers (contiguous per partition, from `firstSeq`),
 * written into each row's blank, and returns every event's id in batch order: the client's, else
 * one made from the sequence number.
 */
export function numberRows(
  rows: EncodedRows,
  firstSeq: number,
): { groups: NumberedGroup[]; ids: string[]; lastSeq: number } {
  const ids = new Array<string>(rows.count);
  const out: NumberedGroup[] = [];
  let seq = firstSeq;
  for (const group of rows.groups) {
    const n = group.rowStarts.length;
    const bytes = group.rows;
    for (let k = 0; k < n; k++) {
      // Right-aligned digits in the blank after `{"_seq":` (cleared first: numbering is idempotent).
      const blank = group.rowStarts[k]! + 8;
      bytes.fill(32, blank, blank + SEQ_WIDTH);
      writeDigitsEndingAt(bytes, blank + SEQ_WIDTH - 1, seq + k);
      ids[group.positions[k]!] = group.ids?.[k] ?? formatSeqId(seq + k);
    }
    out.push({ group, minSeq: seq, maxSeq: seq + n - 1 });
    seq += n;
  }
  return { groups: out, ids, lastSeq: seq - 1 };
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

/** FieldShape.fit: every value has a column of exactly its type, so the fields object is written as it is. */
const CLEAN = 0;
/** FieldShape.fit: some value needs converting, a new column or the overflow column. */
const CAREFUL = 1;
/** FieldShape.fit: a field has no column yet and only the store's thread may define one. */
const DEFER = 2;
/** Stands for a reserved name (`@timestamp`, `stream`, internal columns) in a FieldShape. */
const RESERVED_NAME: ColumnDef = { name: '', type: 'string', list: false };

/**
 * The field names of the events looked at last, in order, with their columns: events from one
 * source mostly list the same names, so a name at the same position as before costs a pointer
 * comparison instead of map lookups. Every entry is a name and its column, right whatever event
 * comes; an entry without a column may go stale when the store's thread defines one, which only
 * sends events down the careful path that looks columns up itself.
 */
class FieldShape {
  readonly names: string[] = [];
  readonly columns: (ColumnDef | undefined)[] = [];
  /** Changes whenever the list changes: a group whose columns hold this version's names skips adding them. */
  version = 0;
  /** Names seen in this batch with their columns (one lookup instead of the reserved set and the views). */
  private readonly known = new Map<string, ColumnDef>();

  constructor(private readonly lookup: (name: string) => ColumnDef | undefined) {}

  /**
   * One pass over an event's fields: CLEAN, CAREFUL or (with `deferUnknown`, on an ingest worker
   * with room for more columns) DEFER when a field has no column. Leaves the event's names in the
   * shape (all of them unless it returns DEFER).
   */
  fit(
    fields: Record<string, FieldValue>,
    deferUnknown: boolean,
  ): typeof CLEAN | typeof CAREFUL | typeof DEFER {
    const { names, columns } = this;
    let fit: typeof CLEAN | typeof CAREFUL = CLEAN;
    let k = 0;
    let same = true;
    for (const name in fields) {
      let col: ColumnDef | undefined;
      if (same && k < names.length && names[k] === name) {
        col = columns[k];
      } else {
        if (same) {
          same = false;
          names.length = k;
          columns.length = k;
          this.version++;
        }
        col = this.known.get(name);
        if (col === undefined) {
          col = RESERVED.has(name) ? RESERVED_NAME : this.lookup(name);
          if (col !== undefined) this.known.set(name, col);
        }
        names.push(name);
        columns.push(col);
      }
      k++;
      if (col === RESERVED_NAME) {
        fit = CAREFUL;
        continue;
      }
      if (col === undefined) {
        if (deferUnknown) return DEFER;
        fit = CAREFUL;
        continue;
      }
      if (fit === CAREFUL) continue;
      const value = fields[name]!;
      const exact = col.list
        ? Array.isArray(value) && value.every((v) => fitsExactly(v, col.type))
        : fitsExactly(value, col.type);
      if (!exact) fit = CAREFUL;
    }
    if (same && k !== names.length) {
      names.length = k;
      columns.length = k;
      this.version++;
    }
    return fit;
  }
}

/** Adds the characters of an event's string values to its group's per-column counts. */
function countText(fields: Record<string, FieldValue>, group: EncodedGroup): void {
  for (const name in fields) {
    const value = fields[name];
    if (typeof value === 'string') group.textChars.set(name, (group.textChars.get(name) ?? 0) + value.length);
  }
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
