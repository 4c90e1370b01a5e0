import { describe, expect, it } from 'vitest';
import {
  BASE_COLUMNS,
  Catalog,
  type ColumnDef,
  columnDdl,
  DAY_US,
  dayOf,
  INTERNAL_COLUMNS,
  type Partition,
  quoteIdent,
  quoteLiteral,
  sqlType,
  transportType,
} from './catalog.js';

const D1 = Date.UTC(2024, 0, 15) * 1000;

function partition(table: string, stream: string, dayUs: number, extra: Partial<Partition> = {}): Partition {
  return {
    table,
    stream,
    dayUs,
    minUs: dayUs + 1,
    maxUs: dayUs + DAY_US - 1,
    rows: 10,
    columns: new Set(),
    inDb: true,
    textChars: new Map(),
    textRows: 0,
    ...extra,
  };
}

describe('dayOf', () => {
  const cases: [us: number, day: number][] = [
    [D1, D1],
    [D1 + 1, D1],
    [D1 + DAY_US - 1, D1],
    [D1 + DAY_US, D1 + DAY_US],
    [0, 0],
    [-1, -DAY_US],
    [-DAY_US, -DAY_US],
  ];
  for (const [us, day] of cases) {
    it(`${us} → ${day}`, () => {
      expect(dayOf(us)).toBe(day);
    });
  }
});

describe('column types and DDL', () => {
  const cases: [col: ColumnDef, sql: string, transport: string][] = [
    [{ name: '@timestamp', type: 'timestamp', list: false }, 'TIMESTAMP', 'BIGINT'],
    [{ name: '_seq', type: 'number', list: false }, 'BIGINT', 'BIGINT'],
    [{ name: 'n', type: 'number', list: false }, 'DOUBLE', 'DOUBLE'],
    [{ name: 'b', type: 'boolean', list: false }, 'BOOLEAN', 'BOOLEAN'],
    [{ name: 's', type: 'string', list: false }, 'VARCHAR', 'VARCHAR'],
    [{ name: 'ip', type: 'ip', list: false }, 'VARCHAR', 'VARCHAR'],
    [{ name: 'ns', type: 'number', list: true }, 'DOUBLE[]', 'DOUBLE[]'],
    [{ name: 'ss', type: 'string', list: true }, 'VARCHAR[]', 'VARCHAR[]'],
    [{ name: 'ts', type: 'timestamp', list: true }, 'TIMESTAMP[]', 'TIMESTAMP[]'],
  ];
  for (const [col, sql, transport] of cases) {
    it(`${col.name} (${col.type}${col.list ? '[]' : ''}) is ${sql}, sent as ${transport}`, () => {
      expect(sqlType(col)).toBe(sql);
      expect(transportType(col)).toBe(transport);
    });
  }

  it('compresses long text with zstd, and only scalar strings', () => {
    expect(columnDdl({ name: 'message', type: 'string', list: false }, { longText: true })).toBe(
      '"message" VARCHAR USING COMPRESSION zstd',
    );
    expect(columnDdl({ name: 'message', type: 'string', list: false }, { longText: false })).toBe(
      '"message" VARCHAR',
    );
    expect(columnDdl({ name: 'tags', type: 'string', list: true }, { longText: true })).toBe(
      '"tags" VARCHAR[]',
    );
    expect(columnDdl({ name: 'n', type: 'number', list: false }, { longText: true })).toBe('"n" DOUBLE');
  });

  it('quotes identifiers and literals', () => {
    expect(quoteIdent('http.status')).toBe('"http.status"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral("''")).toBe("''''''");
  });

  it('has the base columns in order and marks the internal ones', () => {
    expect(BASE_COLUMNS.map((c) => c.name)).toStrictEqual([
      '@timestamp',
      '_seq',
      '_id',
      'stream',
      'message',
      'level',
      'service',
      'host',
      '_extra',
    ]);
    expect([...INTERNAL_COLUMNS].sort()).toStrictEqual(['_cairn_partition', '_extra', '_id', '_seq']);
  });
});

describe('Catalog', () => {
  it('starts with the base columns as fields', () => {
    const c = new Catalog(100);
    expect([...c.fields.keys()]).toStrictEqual(BASE_COLUMNS.map((b) => b.name));
    expect(c.partitions.size).toBe(0);
  });

  it('counts the base columns towards maxColumns', () => {
    const c = new Catalog(BASE_COLUMNS.length + 1);
    expect(c.hasRoomForColumn()).toBe(true);
    c.fields.set('x', { name: 'x', type: 'string', list: false });
    expect(c.hasRoomForColumn()).toBe(false);
  });

  it('names new tables after the highest one it has seen', () => {
    const c = new Catalog(100);
    expect(c.newTableName()).toBe('p_1');
    expect(c.newTableName()).toBe('p_2');
    c.addPartition(partition('p_41', 'a', D1));
    expect(c.newTableName()).toBe('p_42');
    c.addPartition(partition('p_7', 'b', D1)); // a lower id does not move the counter back
    expect(c.newTableName()).toBe('p_43');
  });

  it('finds partitions by stream and day, and by table', () => {
    const c = new Catalog(100);
    const a = partition('p_1', 'a', D1);
    const b = partition('p_2', 'a', D1 + DAY_US);
    const d = partition('p_3', 'b', D1);
    for (const p of [a, b, d]) c.addPartition(p);
    expect(c.findPartition('a', D1)).toBe(a);
    expect(c.findPartition('a', D1 + DAY_US)).toBe(b);
    expect(c.findPartition('b', D1)).toBe(d);
    expect(c.findPartition('b', D1 + DAY_US)).toBeUndefined();
    expect(c.partitionByTable('p_2')).toBe(b);
    expect(c.partitionByTable('p_9')).toBeUndefined();
    c.removePartition(b);
    expect(c.findPartition('a', D1 + DAY_US)).toBeUndefined();
    expect(c.partitionByTable('p_2')).toBeUndefined();
  });

  it('keeps stream names with separators apart', () => {
    const c = new Catalog(100);
    expect(c.partitionKey('a', 1)).not.toBe(c.partitionKey('a\u00001', 0));
    expect(c.partitionKey('a-1', 2)).not.toBe(c.partitionKey('a', 12));
  });

  describe('select', () => {
    const c = new Catalog(100);
    const DAY2 = D1 + DAY_US;
    c.addPartition(partition('p_1', 'web', DAY2, { minUs: DAY2 + 100, maxUs: DAY2 + 200 }));
    c.addPartition(partition('p_2', 'app', D1, { minUs: D1 + 100, maxUs: D1 + 200 }));
    c.addPartition(partition('p_3', 'web', D1, { minUs: D1 + 50, maxUs: D1 + 150 }));
    c.addPartition(partition('p_4', 'empty', D1, { rows: 0 }));

    const cases: { name: string; from: number; to: number; streams?: string[]; tables: string[] }[] = [
      {
        name: 'everything, sorted by day then stream',
        from: 0,
        to: DAY2 + DAY_US,
        tables: ['p_2', 'p_3', 'p_1'],
      },
      { name: 'a stream filter', from: 0, to: DAY2 + DAY_US, streams: ['web'], tables: ['p_3', 'p_1'] },
      {
        name: 'an empty stream filter means all',
        from: 0,
        to: DAY2 + DAY_US,
        streams: [],
        tables: ['p_2', 'p_3', 'p_1'],
      },
      { name: 'an unknown stream', from: 0, to: DAY2 + DAY_US, streams: ['nope'], tables: [] },
      { name: 'a range inside one partition', from: D1 + 120, to: D1 + 130, tables: ['p_2', 'p_3'] },
      { name: 'from equal to maxUs still overlaps', from: D1 + 200, to: D1 + 300, tables: ['p_2'] },
      { name: 'from just past maxUs', from: D1 + 201, to: D1 + 300, tables: [] },
      { name: 'to equal to minUs is exclusive', from: 0, to: D1 + 100, tables: ['p_3'] },
      { name: 'to just past minUs', from: 0, to: D1 + 101, tables: ['p_2', 'p_3'] },
      { name: 'only the second day', from: DAY2, to: DAY2 + DAY_US, tables: ['p_1'] },
    ];
    for (const t of cases) {
      it(t.name, () => {
        expect(c.select({ fromUs: t.from, toUs: t.to }, t.streams).map((p) => p.table)).toStrictEqual(
          t.tables,
        );
      });
    }
  });
});
