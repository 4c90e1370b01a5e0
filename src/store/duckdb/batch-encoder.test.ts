import { describe, expect, it } from 'vitest';
import type { Event, FieldValue } from '../../model/event.js';
import { encodeRows, formatSeqId, mergeDeferred, numberRows, parseSeqId } from './batch-encoder.js';
import { BASE_COLUMNS, Catalog, type ColumnDef, DAY_US } from './catalog.js';

const D1 = Date.UTC(2024, 0, 15) * 1000; // 2024-01-15T00:00:00Z
const D2 = D1 + DAY_US;
const H = 3_600_000_000;

function ev(
  fields: Record<string, FieldValue>,
  opts: { t?: number; stream?: string; id?: string } = {},
): Event {
  return {
    timestampUs: opts.t ?? D1 + H,
    stream: opts.stream ?? 'app',
    fields,
    ...(opts.id !== undefined ? { id: opts.id } : {}),
  };
}

function catalogWith(cols: ColumnDef[] = [], maxColumns = 1000): Catalog {
  const catalog = new Catalog(maxColumns);
  for (const c of cols) catalog.fields.set(c.name, c);
  return catalog;
}

function encode(
  events: Event[],
  opts: { catalog?: Catalog; overflow?: Set<string>; firstSeq?: number } = {},
) {
  const catalog = opts.catalog ?? catalogWith();
  const view = {
    fields: catalog.fields,
    overflow: opts.overflow ?? new Set<string>(),
    maxColumns: catalog.maxColumns,
  };
  const rows = encodeRows(events, view, new Map());
  const numbered = numberRows(rows, opts.firstSeq ?? 1);
  return {
    partitions: numbered.groups.map((g) => ({ ...g.group, lines: linesOf(g.group.rows) })),
    newFields: rows.newFields,
    newOverflow: rows.newOverflow,
    ids: numbered.ids,
    lastSeq: numbered.lastSeq,
  };
}

/** A group's NDJSON rows as lines. */
function linesOf(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes).toString('utf8');
  return text.slice(0, -1).split('\n');
}

/** Every row of the batch, parsed, in partition order. */
function rows(batch: ReturnType<typeof encode>): Record<string, unknown>[] {
  return batch.partitions.flatMap((p) => p.lines.map((l) => JSON.parse(l) as Record<string, unknown>));
}

/** The stored (non-base) part of a single-row batch: fields and _extra. */
function storedOf(fields: Record<string, FieldValue>, catalog?: Catalog) {
  const batch = encode([ev(fields)], catalog ? { catalog } : {});
  const { '@timestamp': _t, _seq: _s, stream: _st, _extra, ...rest } = rows(batch)[0]!;
  return {
    row: rest,
    extra: typeof _extra === 'string' ? JSON.parse(_extra) : undefined,
    newFields: batch.newFields,
    newOverflow: batch.newOverflow,
  };
}

describe('encodeRows: partitions', () => {
  it('groups rows by stream and UTC day, in first-seen order, with their time span', () => {
    const batch = encode([
      ev({ n: 1 }, { stream: 'a', t: D1 + 5 * H }),
      ev({ n: 2 }, { stream: 'b', t: D1 + H }),
      ev({ n: 3 }, { stream: 'a', t: D2 + 2 * H }),
      ev({ n: 4 }, { stream: 'a', t: D1 + 2 * H }),
      ev({ n: 5 }, { stream: 'a', t: D2 - 1 }), // last µs of day 1
      ev({ n: 6 }, { stream: 'a', t: D2 }), // first µs of day 2
    ]);
    expect(
      batch.partitions.map((p) => ({
        stream: p.stream,
        dayUs: p.dayUs,
        minUs: p.minUs,
        maxUs: p.maxUs,
        n: p.lines.map((l) => JSON.parse(l).n),
      })),
    ).toStrictEqual([
      { stream: 'a', dayUs: D1, minUs: D1 + 2 * H, maxUs: D2 - 1, n: [1, 4, 5] },
      { stream: 'b', dayUs: D1, minUs: D1 + H, maxUs: D1 + H, n: [2] },
      { stream: 'a', dayUs: D2, minUs: D2, maxUs: D2 + 2 * H, n: [3, 6] },
    ]);
  });

  it('puts times before 1970 in the right day', () => {
    const t = Date.UTC(1969, 11, 31, 23) * 1000;
    const batch = encode([ev({ n: 1 }, { t })]);
    expect(batch.partitions[0]!.dayUs).toBe(Date.UTC(1969, 11, 31) * 1000);
  });

  it('writes the base columns first and truncates fractional timestamps', () => {
    const batch = encode(
      [ev({ message: 'hi' }, { t: D1 + 7.5, stream: 'web "x"' }), ev({}, { id: 'client-1', t: D1 })],
      {
        firstSeq: 41,
      },
    );
    const lines = batch.partitions.flatMap((p) => p.lines);
    expect(lines).toStrictEqual([
      `{"_seq":              41,"@timestamp":${D1 + 7},"stream":"web \\"x\\"","message":"hi"}`,
      `{"_seq":              42,"@timestamp":${D1},"stream":"app","_id":"client-1"}`,
    ]);
    expect([...batch.partitions[0]!.columns].sort()).toStrictEqual([
      '@timestamp',
      '_seq',
      'message',
      'stream',
    ]);
    expect([...batch.partitions[1]!.columns].sort()).toStrictEqual(['@timestamp', '_id', '_seq', 'stream']);
  });
});

describe('encodeRows: ids and sequence numbers', () => {
  it('uses the client id when there is one, else the sequence id', () => {
    const batch = encode([ev({}), ev({}, { id: 'mine' }), ev({}, { stream: 'other' }), ev({})], {
      firstSeq: 100,
    });
    // Numbers are contiguous per partition, in the order partitions first appear.
    expect(batch.ids).toStrictEqual([formatSeqId(100), 'mine', formatSeqId(103), formatSeqId(102)]);
    expect(batch.lastSeq).toBe(103);
    expect(batch.ids.filter((id) => id !== 'mine').map(parseSeqId)).toStrictEqual([100, 103, 102]);
    expect(rows(batch).map((r) => r['_seq'])).toStrictEqual([100, 101, 102, 103]);
  });

  it('reports lastSeq = firstSeq - 1 for an empty batch', () => {
    expect(encode([], { firstSeq: 7 })).toStrictEqual({
      partitions: [],
      newFields: [],
      newOverflow: [],
      ids: [],
      lastSeq: 6,
    });
  });
});

describe('encodeRows: type inference of new columns', () => {
  const cases: { name: string; value: FieldValue; def: Omit<ColumnDef, 'name'>; stored: unknown }[] = [
    { name: 'a number', value: 1.5, def: { type: 'number', list: false }, stored: 1.5 },
    { name: 'a boolean', value: false, def: { type: 'boolean', list: false }, stored: false },
    { name: 'a string', value: 'GET', def: { type: 'string', list: false }, stored: 'GET' },
    {
      name: 'a numeric string (stays text)',
      value: '200',
      def: { type: 'string', list: false },
      stored: '200',
    },
    {
      name: 'a date-only string (stays text)',
      value: '2024-01-15',
      def: { type: 'string', list: false },
      stored: '2024-01-15',
    },
    { name: 'an IPv4 address', value: '10.0.0.1', def: { type: 'ip', list: false }, stored: '10.0.0.1' },
    {
      name: 'an IPv6 address, canonicalised',
      value: '2001:DB8::1',
      def: { type: 'ip', list: false },
      stored: '2001:db8::1',
    },
    {
      name: 'an ISO date-time, stored as µs',
      value: '2024-01-15T10:00:00Z',
      def: { type: 'timestamp', list: false },
      stored: D1 + 10 * H,
    },
    { name: 'a list of strings', value: ['a', 'b'], def: { type: 'string', list: true }, stored: ['a', 'b'] },
    { name: 'a list of numbers', value: [1, 2], def: { type: 'number', list: true }, stored: [1, 2] },
    {
      name: 'a list of IPs',
      value: ['10.0.0.1', '::1'],
      def: { type: 'ip', list: true },
      stored: ['10.0.0.1', '::1'],
    },
    {
      name: 'a list of date-times (kept as text)',
      value: ['2024-01-15T10:00:00Z'],
      def: { type: 'string', list: true },
      stored: ['2024-01-15T10:00:00Z'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = storedOf({ f: c.value });
      expect(out.newFields).toStrictEqual([{ name: 'f', ...c.def }]);
      expect(out.row).toStrictEqual({ f: c.stored });
      expect(out.extra).toBeUndefined();
    });
  }

  for (const name of ['message', 'level', 'service', 'host']) {
    it(`keeps the well-known ${name} as text whatever its first value looks like`, () => {
      const catalog = new Catalog(1000);
      catalog.fields.delete(name); // as if the store had not registered it
      const out = storedOf({ [name]: '10.0.0.1' }, catalog);
      expect(out.newFields).toStrictEqual([{ name, type: 'string', list: false }]);
      expect(out.row).toStrictEqual({ [name]: '10.0.0.1' });
    });
  }

  it('uses a column defined earlier in the same batch for later rows', () => {
    const batch = encode([ev({ n: 1 }), ev({ n: '2' }), ev({ n: 'three' })]);
    expect(batch.newFields).toStrictEqual([{ name: 'n', type: 'number', list: false }]);
    expect(rows(batch).map((r) => [r['n'], r['_extra']])).toStrictEqual([
      [1, undefined],
      [2, undefined],
      [undefined, '{"n":"three"}'],
    ]);
    expect(batch.newOverflow).toStrictEqual(['n']);
  });

  it('does not register a column that no row could use', () => {
    const out = storedOf({ mixed: [1, 'a'] });
    expect(out.newFields).toStrictEqual([]);
    expect(out.extra).toStrictEqual({ mixed: [1, 'a'] });
  });

  it('does not register columns the catalog already has', () => {
    const out = storedOf({ message: 'm', level: 'INFO' });
    expect(out.newFields).toStrictEqual([]);
    expect(out.row).toStrictEqual({ message: 'm', level: 'INFO' });
  });
});

describe('encodeRows: values into existing columns', () => {
  const COLS: ColumnDef[] = [
    { name: 'num', type: 'number', list: false },
    { name: 'str', type: 'string', list: false },
    { name: 'flag', type: 'boolean', list: false },
    { name: 'addr', type: 'ip', list: false },
    { name: 'when', type: 'timestamp', list: false },
    { name: 'tags', type: 'string', list: true },
    { name: 'codes', type: 'number', list: true },
  ];
  const cases: {
    name: string;
    fields: Record<string, FieldValue>;
    row: Record<string, unknown>;
    extra?: unknown;
  }[] = [
    { name: 'a number as it is', fields: { num: 3 }, row: { num: 3 } },
    { name: 'a numeric string into a number column', fields: { num: '-1.5e3' }, row: { num: -1500 } },
    { name: 'a number into a string column', fields: { str: 42 }, row: { str: '42' } },
    { name: 'a boolean into a string column', fields: { str: true }, row: { str: 'true' } },
    { name: '"false" into a boolean column', fields: { flag: 'false' }, row: { flag: false } },
    {
      name: 'an IP into an ip column, canonicalised',
      fields: { addr: '2001:DB8:0:0::1' },
      row: { addr: '2001:db8::1' },
    },
    {
      name: 'epoch ms into a timestamp column',
      fields: { when: 1_705_312_800_000 },
      row: { when: D1 + 10 * H },
    },
    {
      name: 'an ISO string into a timestamp column',
      fields: { when: '2024-01-15T10:00:00Z' },
      row: { when: D1 + 10 * H },
    },
    { name: 'a scalar into a list column', fields: { tags: 'solo' }, row: { tags: ['solo'] } },
    {
      name: 'numbers into a string list column',
      fields: { tags: [1, true] as FieldValue },
      row: { tags: ['1', 'true'] },
    },
    {
      name: 'numeric strings into a number list',
      fields: { codes: ['1', 2] as FieldValue },
      row: { codes: [1, 2] },
    },
    { name: 'an empty list', fields: { tags: [] }, row: { tags: [] } },
    // Clashes: kept as sent in _extra.
    { name: 'text into a number column', fields: { num: 'abc' }, row: {}, extra: { num: 'abc' } },
    { name: 'a boolean into a number column', fields: { num: true }, row: {}, extra: { num: true } },
    { name: '"yes" into a boolean column', fields: { flag: 'yes' }, row: {}, extra: { flag: 'yes' } },
    {
      name: 'a non-IP into an ip column',
      fields: { addr: 'localhost' },
      row: {},
      extra: { addr: 'localhost' },
    },
    {
      name: 'a non-date into a timestamp column',
      fields: { when: 'soon' },
      row: {},
      extra: { when: 'soon' },
    },
    { name: 'a list into a scalar column', fields: { str: ['a', 'b'] }, row: {}, extra: { str: ['a', 'b'] } },
    {
      name: 'a bad element in a number list',
      fields: { codes: [1, 'x'] as FieldValue },
      row: {},
      extra: { codes: [1, 'x'] },
    },
    {
      name: 'only the clashing field goes to _extra',
      fields: { num: 'abc', str: 'fine', flag: true },
      row: { str: 'fine', flag: true },
      extra: { num: 'abc' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = storedOf(c.fields, catalogWith(COLS));
      expect(out.row).toStrictEqual(c.row);
      expect(out.extra).toStrictEqual(c.extra);
      expect(out.newFields).toStrictEqual([]);
    });
  }

  it('lists a field sent to _extra as new overflow only the first time', () => {
    const catalog = catalogWith(COLS);
    expect(encode([ev({ num: 'x' }), ev({ num: 'y' })], { catalog }).newOverflow).toStrictEqual(['num']);
    expect(encode([ev({ num: 'x' })], { catalog, overflow: new Set(['num']) }).newOverflow).toStrictEqual([]);
  });

  it('takes the fast path and the careful path to the same row', () => {
    const catalog = catalogWith(COLS);
    const fast = encode([ev({ str: 'a', num: 1, flag: true, tags: ['x'] })], { catalog });
    const careful = encode([ev({ str: 'a', num: '1', flag: 'true', tags: 'x' })], { catalog });
    expect(rows(careful)).toStrictEqual(rows(fast));
    expect([...careful.partitions[0]!.columns].sort()).toStrictEqual([...fast.partitions[0]!.columns].sort());
  });
});

describe('encodeRows: events whose field lists change from one to the next', () => {
  it('gives each partition exactly the columns its rows use, and each row its own fields', () => {
    const catalog = catalogWith([
      { name: 'str', type: 'string', list: false },
      { name: 'num', type: 'number', list: false },
      { name: 'flag', type: 'boolean', list: false },
    ]);
    const events = [
      ev({ str: 'a', num: 1 }),
      ev({ str: 'b', num: 2 }, { stream: 'other' }),
      ev({ str: 'c' }),
      ev({ str: 'd', num: 4, flag: true }),
      ev({ num: 5, str: 'e' }),
      ev({ str: 'f', num: 6 }, { stream: 'other' }),
    ];
    const batch = encode(events, { catalog });
    const [app, other] = batch.partitions;
    expect([...app!.columns].sort()).toStrictEqual(['@timestamp', '_seq', 'flag', 'num', 'str', 'stream']);
    expect([...other!.columns].sort()).toStrictEqual(['@timestamp', '_seq', 'num', 'str', 'stream']);
    const stored = rows(batch).map(({ '@timestamp': _t, _seq: _s, stream: _st, ...rest }) => rest);
    expect(stored).toStrictEqual([
      { str: 'a', num: 1 },
      { str: 'c' },
      { str: 'd', num: 4, flag: true },
      { num: 5, str: 'e' },
      { str: 'b', num: 2 },
      { str: 'f', num: 6 },
    ]);
  });

  it('types a field by the column a careful row defined earlier in the batch', () => {
    // The first row defines `fresh` as a number on the careful path; the same field list follows.
    const batch = encode([
      ev({ fresh: 1, str: 'x' }),
      ev({ fresh: 2, str: 'y' }),
      ev({ fresh: 'z', str: 'w' }),
    ]);
    expect(batch.newFields.find((f) => f.name === 'fresh')?.type).toBe('number');
    const stored = rows(batch).map((r) => [r['fresh'], r['_extra']]);
    expect(stored).toStrictEqual([
      [1, undefined],
      [2, undefined],
      [undefined, '{"fresh":"z"}'],
    ]);
  });

  it('defers an event with an unknown field on a worker even when its earlier fields match the last event', () => {
    const known = catalogWith([
      { name: 'n', type: 'number', list: false },
      { name: 's', type: 'string', list: false },
    ]);
    const view = { fields: known.fields, overflow: new Set<string>(), maxColumns: 1000 };
    const out = encodeRows(
      [ev({ n: 1, s: 'a' }), ev({ n: 2, s: 'b', fresh: 1 }), ev({ n: 3, s: 'c' })],
      view,
    );
    expect(out.deferred.positions).toStrictEqual([1]);
    expect(out.groups.flatMap((g) => g.positions)).toStrictEqual([0, 2]);
  });
});

describe('encodeRows: reserved names and the column cap', () => {
  for (const name of ['_id', '_seq', '_extra', 'stream', '@timestamp']) {
    it(`keeps a field named ${name} in _extra`, () => {
      const out = storedOf({ [name]: 'sent', ok: 1 });
      expect(out.row).toStrictEqual({ ok: 1 });
      expect(out.extra).toStrictEqual({ [name]: 'sent' });
      expect(out.newFields.map((f) => f.name)).toStrictEqual(['ok']);
    });
  }

  it('stops adding typed columns at maxColumns (base columns included) and keeps the rest in _extra', () => {
    const catalog = new Catalog(BASE_COLUMNS.length + 2);
    const batch = encode([ev({ a: 1, b: 'x' }), ev({ c: true, a: 2 }), ev({ d: 'y' })], { catalog });
    expect(batch.newFields.map((f) => f.name)).toStrictEqual(['a', 'b']);
    expect(rows(batch).map((r) => [r['a'], r['b'], r['_extra']])).toStrictEqual([
      [1, 'x', undefined],
      [2, undefined, '{"c":true}'],
      [undefined, undefined, '{"d":"y"}'],
    ]);
    expect(batch.newOverflow.sort()).toStrictEqual(['c', 'd']);
  });

  it('still fills existing columns when the cap is reached', () => {
    const catalog = catalogWith([{ name: 'n', type: 'number', list: false }], BASE_COLUMNS.length + 1);
    expect(catalog.hasRoomForColumn()).toBe(false);
    const out = storedOf({ n: 5, extra: 'e' }, catalog);
    expect(out.row).toStrictEqual({ n: 5 });
    expect(out.extra).toStrictEqual({ extra: 'e' });
  });
});

describe('encodeRows: text statistics', () => {
  it('counts characters of string values per column', () => {
    const batch = encode([ev({ message: 'abcd', n: 1 }), ev({ message: 'ef', path: '/x' })]);
    const p = batch.partitions[0]!;
    expect(Object.fromEntries(p.textChars)).toStrictEqual({ message: 6, path: 2 });
  });
});

describe('encodeRows: row bytes', () => {
  it('records where each row starts and the longest row, across multi-byte text and a growing buffer', () => {
    const events = [
      ev({}),
      ev({ message: 'größe 😀 日本語' }),
      ...Array.from({ length: 600 }, (_, i) => ev({ message: `line ${i} ${'x'.repeat(i % 300)}`, n: i })),
      ev({ message: 'é'.repeat(40_000) }),
    ];
    const batch = encode(events, { catalog: catalogWith([{ name: 'n', type: 'number', list: false }]) });
    const group = batch.partitions[0]!;
    const bytes = Buffer.from(group.rows);
    expect(bytes.byteLength).toBeGreaterThan(64 * 1024);
    let longest = 0;
    for (let k = 0; k < events.length; k++) {
      const end = k + 1 < events.length ? group.rowStarts[k + 1]! : bytes.byteLength;
      expect(bytes[end - 1]).toBe(10);
      const row = JSON.parse(bytes.subarray(group.rowStarts[k]!, end - 1).toString('utf8'));
      expect(row['message']).toBe(events[k]!.fields['message']);
      longest = Math.max(longest, end - group.rowStarts[k]!);
    }
    expect(group.maxRowBytes).toBe(longest);
    expect(group.maxRowBytes).toBeGreaterThan(80_000);
  });
});

describe('formatSeqId / parseSeqId', () => {
  const seqs = [0, 1, 35, 36, 1_000_000, 2 ** 40, 36 ** 10 - 1, 36 ** 10, Number.MAX_SAFE_INTEGER];
  for (const seq of seqs) {
    it(`round-trips ${seq}`, () => {
      const id = formatSeqId(seq);
      expect(id).toMatch(/^c[0-9a-z]{10,}$/);
      expect(parseSeqId(id)).toBe(seq);
    });
  }

  it('formats fixed-width ids that sort like their numbers', () => {
    expect(formatSeqId(0)).toBe('c0000000000');
    expect(formatSeqId(36)).toBe('c0000000010');
    const sample = [5, 36, 1295, 1296, 99_999, 2 ** 32];
    const ids = sample.map(formatSeqId);
    expect([...ids].sort()).toStrictEqual(ids);
  });

  const invalid = [
    '',
    'c',
    'c123',
    'C0000000001',
    'x0000000001',
    'c000000000A',
    'c0000000001 ',
    'c-000000001',
    'mine',
    `c${'z'.repeat(12)}`,
  ];
  for (const id of invalid) {
    it(`does not read ${JSON.stringify(id)} as a sequence id`, () => {
      expect(parseSeqId(id)).toBeNull();
    });
  }
});

describe('encodeRows on an ingest worker (no column definitions)', () => {
  const known = catalogWith([{ name: 'n', type: 'number', list: false }]);
  const view = { fields: known.fields, overflow: new Set<string>(), maxColumns: 1000 };

  it('encodes events with known fields and defers the others, with their positions', () => {
    const out = encodeRows([ev({ n: 1 }), ev({ n: 2, fresh: 'x' }), ev({ n: 3, message: 'hi' })], view);
    expect(out.count).toBe(3);
    expect(out.groups.flatMap((g) => g.positions)).toStrictEqual([0, 2]);
    expect(out.deferred.positions).toStrictEqual([1]);
    expect(out.deferred.events[0]!.fields).toStrictEqual({ n: 2, fresh: 'x' });
    expect(out.newFields).toStrictEqual([]);
  });

  it('sends unknown fields to _extra instead of deferring once the column cap is reached', () => {
    const full = { ...view, maxColumns: known.fields.size };
    const out = encodeRows([ev({ n: 1, fresh: 'x' })], full);
    expect(out.deferred.positions).toStrictEqual([]);
    expect(out.newOverflow).toStrictEqual(['fresh']);
  });

  it('numbers merged deferred rows as the store does, giving every event its id in order', () => {
    const out = encodeRows([ev({ n: 1 }), ev({ fresh: 'x' }), ev({ n: 3 })], view);
    const pending = new Map<string, ColumnDef>();
    mergeDeferred(out, encodeRows(out.deferred.events, view, pending));
    expect(out.newFields.map((f) => f.name)).toStrictEqual(['fresh']);
    const numbered = numberRows(out, 10);
    // The worker's group first (events 0 and 2), then the deferred row's group (event 1).
    expect(numbered.ids).toStrictEqual([formatSeqId(10), formatSeqId(12), formatSeqId(11)]);
    const parsed = numbered.groups.flatMap((g) => linesOf(g.group.rows).map((l) => JSON.parse(l)));
    expect(parsed.map((r) => [r._seq, r.n ?? r.fresh])).toStrictEqual([
      [10, 1],
      [11, 3],
      [12, 'x'],
    ]);
  });
});

describe('numberRows', () => {
  it('writes numbers into the blanks of rows with multi-byte text, and can number again', () => {
    const rows = encodeRows([ev({ message: 'héllo wörld ✓' }), ev({ message: '日本語' })], {
      fields: catalogWith().fields,
      overflow: new Set(),
      maxColumns: 1000,
    });
    numberRows(rows, 123_456_789);
    numberRows(rows, 7);
    expect(linesOf(rows.groups[0]!.rows).map((l) => JSON.parse(l))).toMatchObject([
      { _seq: 7, message: 'héllo wörld ✓' },
      { _seq: 8, message: '日本語' },
    ]);
  });
});
