import { describe, expect, it } from 'vitest';
import { CairnError } from './errors.js';
import type { FieldValue } from './event.js';
import { createFieldMap, type FlattenError, type FlattenLimits, flattenInto, putField } from './flatten.js';

const LIMITS: FlattenLimits = {
  maxFields: 1000,
  maxFieldNameLength: 512,
  maxValueLength: 32766,
  maxDepth: 20,
};

function flatten(value: unknown, limits: FlattenLimits = LIMITS): Record<string, FieldValue> {
  const out = createFieldMap();
  const error = flattenInto(value, out, { limits });
  expect(error).toBeNull();
  return { ...out };
}

describe('flattenInto', () => {
  const cases: [string, unknown, Record<string, FieldValue>][] = [
    [
      'scalars',
      { a: 'x', b: 1, c: true, d: false, e: 0, f: '' },
      { a: 'x', b: 1, c: true, d: false, e: 0, f: '' },
    ],
    [
      'nested objects',
      { http: { request: { method: 'GET' }, response: { status_code: 200 } } },
      { 'http.request.method': 'GET', 'http.response.status_code': 200 },
    ],
    ['dotted keys kept', { 'http.method': 'GET', 'a.b': { c: 1 } }, { 'http.method': 'GET', 'a.b.c': 1 }],
    [
      'arrays of scalars stay arrays',
      { tags: ['a', 'b'], one: ['x'], n: [1, 2] },
      { tags: ['a', 'b'], one: ['x'], n: [1, 2] },
    ],
    ['arrays of objects per leaf path', { x: [{ a: 1 }, { a: 2, b: 3 }] }, { 'x.a': [1, 2], 'x.b': [3] }],
    ['one object in an array', { x: [{ a: 1 }] }, { 'x.a': [1] }],
    [
      'arrays of objects with nested objects and arrays',
      {
        x: [
          { a: { b: 'p' }, t: ['u', 'v'] },
          { a: { b: 'q' }, t: 'w' },
        ],
      },
      { 'x.a.b': ['p', 'q'], 'x.t': ['u', 'v', 'w'] },
    ],
    ['nested arrays are flat', { x: [[1, 2], [3], [[4]]] }, { x: [1, 2, 3, 4] }],
    ['mixed types become strings', { x: [1, 'a', true, 2.5] }, { x: ['1', 'a', 'true', '2.5'] }],
    ['mixed after strings', { x: ['a', 1] }, { x: ['a', '1'] }],
    ['mixed numbers and booleans', { x: [false, 0] }, { x: ['false', '0'] }],
    ['objects and scalars in one array', { x: [1, { a: 2 }, 3] }, { x: [1, 3], 'x.a': [2] }],
    ['null dropped', { a: null, b: { c: null }, d: 1 }, { d: 1 }],
    ['null in arrays dropped', { a: [null, 1, null], b: [null] }, { a: [1] }],
    ['empty arrays and objects dropped', { a: [], b: {}, c: { d: {} }, e: [[], {}], f: 1 }, { f: 1 }],
    ['a dotted key and a nested path merge', { 'a.b': 1, a: { b: 2 } }, { 'a.b': [1, 2] }],
    ['merging a scalar into an array', { a: { b: [1] }, 'a.b': 2 }, { 'a.b': [1, 2] }],
    ['a nested path and a later dotted key merge', { a: { b: 1 }, 'a.b': 2 }, { 'a.b': [1, 2] }],
    ['dotted keys inside objects merge', { a: { b: { c: 1 }, 'b.c': 2 } }, { 'a.b.c': [1, 2] }],
    ['dotted keys inside arrays merge', { x: [{ 'a.b': 1 }, { a: { b: 2 } }] }, { 'x.a.b': [1, 2] }],
    ['merging different types', { 'a.b': 'x', a: { b: 2 } }, { 'a.b': ['x', '2'] }],
    ['merging a string into a number array', { a: { b: [1, 2] }, 'a.b': 'x' }, { 'a.b': ['1', '2', 'x'] }],
    [
      'prototype-looking keys are plain fields',
      JSON.parse('{"__proto__":{"polluted":1},"constructor":"c","toString":1,"hasOwnProperty":{"x":2}}'),
      { '__proto__.polluted': 1, constructor: 'c', toString: 1, 'hasOwnProperty.x': 2 },
    ],
    ['unicode keys and values', { ключ: { ü: '✓' } }, { 'ключ.ü': '✓' }],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(flatten(input)).toStrictEqual(expected);
  });

  it('gives the same result when the paths are already known', () => {
    const event = () => ({ a: { b: { c: 1 } }, 'a.b': { c: 2 }, x: [{ y: 1 }, { y: 2 }] });
    const first = flatten(event());
    expect(flatten(event())).toStrictEqual(first);
    expect(first).toStrictEqual({ 'a.b.c': [1, 2], 'x.y': [1, 2] });
  });

  it('returns a map whose missing keys read as undefined and does not pollute Object.prototype', () => {
    const out = createFieldMap();
    expect(out['constructor']).toBeUndefined();
    expect(out['toString']).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')).toBeUndefined();
    expect(Reflect.get(out, '__proto__')).toBeUndefined();
    flattenInto(JSON.parse('{"__proto__":{"polluted":1},"constructor":2}'), out, { limits: LIMITS });
    expect(Object.keys(out)).toEqual(['__proto__.polluted', 'constructor']);
    expect(out['constructor']).toBe(2);
    expect(JSON.stringify(out)).toBe('{"__proto__.polluted":1,"constructor":2}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps a __proto__ leaf as a plain field', () => {
    const out = createFieldMap();
    flattenInto(JSON.parse('{"__proto__":"x","a":{"__proto__":[1]}}'), out, { limits: LIMITS });
    expect(Object.keys(out)).toEqual(['__proto__', 'a.__proto__']);
    expect(Reflect.get(out, '__proto__')).toBe('x');
    expect(out['a.__proto__']).toEqual([1]);
  });

  it('gives the same paths however many distinct paths it has seen', () => {
    // More distinct paths than the path memo holds, twice over, then a known event.
    const pad = 'x'.repeat(30);
    for (let k = 0; k < 50_000; k++) {
      const out = createFieldMap();
      flattenInto({ [`p${k}${pad}`]: { [`c${k}${pad}`]: k, 'd.e': k } }, out, { limits: LIMITS });
      expect(out[`p${k}${pad}.c${k}${pad}`]).toBe(k);
      expect(out[`p${k}${pad}.d.e`]).toBe(k);
    }
    expect(flatten({ a: { b: { c: 1 } }, 'a.b': { c: 2 } })).toStrictEqual({ 'a.b.c': [1, 2] });
  });

  it('does not change the input', () => {
    const input = { a: [1, 2], b: [{ c: 1 }], 'b.c': 2 };
    const copy = structuredClone(input);
    const out = createFieldMap();
    flattenInto(input, out, { limits: LIMITS });
    out['a'] = 'changed';
    expect(input).toStrictEqual(copy);
  });

  it('flattens under a prefix and skips top-level keys', () => {
    const out = createFieldMap();
    expect(flattenInto({ a: { b: 1 } }, out, { limits: LIMITS, prefix: 'p' })).toBeNull();
    expect(flattenInto(5, out, { limits: LIMITS, prefix: 'q' })).toBeNull();
    expect(
      flattenInto({ skip: 1, keep: 2, n: { skip: 3 } }, out, { limits: LIMITS, skipKeys: ['skip'] }),
    ).toBeNull();
    expect({ ...out }).toStrictEqual({ 'p.a.b': 1, q: 5, keep: 2, 'n.skip': 3 });
  });

  it('needs a map from createFieldMap', () => {
    expect(() => flattenInto({ a: 1 }, {}, { limits: LIMITS })).toThrow(
      new CairnError(
        'internal',
        'Cannot flatten into this object: create the field map with createFieldMap()',
      ),
    );
  });

  it('merges into fields already in the map', () => {
    const out = createFieldMap();
    expect(flattenInto({ a: 1, b: [true] }, out, { limits: LIMITS })).toBeNull();
    expect(flattenInto({ a: 2, b: false, c: 'x' }, out, { limits: LIMITS })).toBeNull();
    expect({ ...out }).toStrictEqual({ a: [1, 2], b: [true, false], c: 'x' });
  });
});

describe('flattenInto limits', () => {
  const cases: [string, unknown, Partial<FlattenLimits>, FlattenError][] = [
    [
      'too many fields',
      { a: 1, b: 2, c: 3 },
      { maxFields: 2 },
      {
        kind: 'maxFields',
        field: 'c',
        reason: 'Cannot add field "c": the event already has the maximum of 2 fields',
      },
    ],
    [
      'too many fields from an array of objects',
      { x: [{ a: 1 }, { a: 2 }, { b: 3 }] },
      { maxFields: 1 },
      {
        kind: 'maxFields',
        field: 'x.b',
        reason: 'Cannot add field "x.b": the event already has the maximum of 1 fields',
      },
    ],
    [
      'field name too long',
      { abc: { defg: 1 } },
      { maxFieldNameLength: 7 },
      {
        kind: 'maxFieldNameLength',
        field: 'abc.defg',
        reason: 'Cannot add field "abc.defg": the name is 8 characters long, the maximum is 7',
      },
    ],
    [
      'value too long',
      { message: 'x'.repeat(11) },
      { maxValueLength: 10 },
      {
        kind: 'maxValueLength',
        field: 'message',
        reason: 'Cannot add field "message": the value is 11 characters long, the maximum is 10',
      },
    ],
    [
      'value in an array too long',
      { tags: ['ok', 'x'.repeat(11)] },
      { maxValueLength: 10 },
      {
        kind: 'maxValueLength',
        field: 'tags',
        reason: 'Cannot add field "tags": the value is 11 characters long, the maximum is 10',
      },
    ],
    [
      'nested too deep',
      { a: { b: { c: 1 } } },
      { maxDepth: 2 },
      {
        kind: 'maxDepth',
        field: 'a.b',
        reason: 'Cannot add field "a.b": it is nested 3 levels deep, the maximum is 2',
      },
    ],
    [
      'nested arrays too deep',
      { a: [[[1]]] },
      { maxDepth: 2 },
      {
        kind: 'maxDepth',
        field: 'a',
        reason: 'Cannot add field "a": it is nested 3 levels deep, the maximum is 2',
      },
    ],
    [
      'empty field name at the top',
      { '': 1 },
      {},
      { kind: 'emptyFieldName', field: '', reason: 'Cannot add a field with an empty name' },
    ],
    [
      'empty field name inside an object',
      { a: { '': 1 } },
      {},
      { kind: 'emptyFieldName', field: 'a', reason: 'Cannot add a field with an empty name under "a"' },
    ],
  ];
  it.each(cases)('%s', (_name, input, limits, expected) => {
    const out = createFieldMap();
    expect(flattenInto(input, out, { limits: { ...LIMITS, ...limits } })).toStrictEqual(expected);
  });

  it('accepts values exactly at the limits', () => {
    const limits: FlattenLimits = { maxFields: 2, maxFieldNameLength: 3, maxValueLength: 3, maxDepth: 2 };
    expect(flatten({ a: { b: 'xyz' }, c: [1, 2, 3] }, limits)).toStrictEqual({ 'a.b': 'xyz', c: [1, 2, 3] });
  });

  it('does not count repeated paths as new fields', () => {
    expect(flatten({ x: [{ a: 1 }, { a: 2 }, { a: 3 }] }, { ...LIMITS, maxFields: 1 })).toStrictEqual({
      'x.a': [1, 2, 3],
    });
  });

  it('survives very deep input without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let k = 0; k < 100_000; k++) deep = { a: deep };
    const error = flattenInto(deep, createFieldMap(), { limits: LIMITS });
    expect(error?.kind).toBe('maxDepth');
    expect(error?.field).toBe(Array(20).fill('a').join('.'));
  });

  it('cuts a huge field name in the report', () => {
    const name = 'n'.repeat(1000);
    const error = flattenInto({ [name]: 1 }, createFieldMap(), { limits: LIMITS });
    expect(error).toStrictEqual({
      kind: 'maxFieldNameLength',
      field: `${'n'.repeat(256)}…`,
      reason: `Cannot add field "${'n'.repeat(64)}…": the name is 1000 characters long, the maximum is 512`,
    });
  });
});

describe('putField', () => {
  // Names that would break a setter compiled carelessly from the name, and ones a plain object inherits.
  const awkward = [
    'client.geo.city_name',
    'quote"d',
    "single'quote",
    'back\\slash',
    'line\nbreak',
    'separator\u2028here',
    '$' + '{template}',
    '`tick`',
    '__proto__',
    'constructor',
    'toString',
    '0',
    '',
    'ünïcødé 🚀',
  ];

  it('writes every name as an own field, on first, second and later writes', () => {
    for (let round = 0; round < 3; round++) {
      const map = createFieldMap();
      awkward.forEach((name, i) => {
        putField(map, name, i + round);
      });
      expect(Object.keys(map).sort()).toEqual([...awkward].sort());
      awkward.forEach((name, i) => {
        expect(Object.getOwnPropertyDescriptor(map, name)?.value).toBe(i + round);
      });
      expect(Object.getPrototypeOf(Object.getPrototypeOf(map))).toBeNull();
    }
  });

  it('overwrites a value and keeps insertion order', () => {
    const map = createFieldMap();
    for (let round = 0; round < 3; round++) {
      putField(map, 'a', round);
      putField(map, 'b', [String(round)]);
    }
    expect(JSON.stringify(map)).toBe('{"a":2,"b":["2"]}');
  });

  it('writes maps of many fields, as wide events have, with the values intact', () => {
    const names = Array.from({ length: 60 }, (_, i) => `field.number_${i}`);
    for (let round = 0; round < 3; round++) {
      const map = createFieldMap();
      for (const name of names) putField(map, name, `${name}=${round}`);
      expect(Object.entries(map)).toEqual(names.map((n) => [n, `${n}=${round}`]));
    }
  });

  it('flattenInto keeps wide events whole', () => {
    const event: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) event[`k${i}`] = { v: i };
    const out = flatten(event);
    expect(Object.keys(out)).toHaveLength(40);
    expect(out['k39.v']).toBe(39);
  });
});
