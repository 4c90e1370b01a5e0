import { describe, expect, it } from 'vitest';
import { applyFilterPath } from './filter-path.js';

const BULK = {
  took: 30,
  errors: true,
  items: [
    {
      index: {
        _index: 'logs',
        _id: 'c1',
        _version: 1,
        result: 'created',
        _shards: { total: 1, successful: 1, failed: 0 },
        status: 201,
      },
    },
    {
      create: {
        _index: 'Bad',
        _id: null,
        status: 400,
        error: { type: 'invalid_index_name_exception', reason: 'must be lowercase', index: 'Bad' },
      },
    },
  ],
};

const SEARCH = {
  took: 2,
  timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: {
    total: { value: 2, relation: 'eq' },
    max_score: null,
    hits: [
      { _index: 'logs', _id: 'a', _source: { message: 'one', http: { status: 200 } } },
      { _index: 'logs', _id: 'b', _source: { message: 'two' } },
    ],
  },
};

describe('applyFilterPath', () => {
  const cases: { name: string; value: unknown; filter: string | undefined; want: unknown }[] = [
    { name: 'no filter returns the value itself', value: SEARCH, filter: undefined, want: SEARCH },
    { name: 'an empty filter returns the value itself', value: SEARCH, filter: '', want: SEARCH },
    { name: 'one top-level key', value: SEARCH, filter: 'took', want: { took: 2 } },
    {
      name: 'several keys, spaces ignored',
      value: SEARCH,
      filter: 'took, timed_out',
      want: { took: 2, timed_out: false },
    },
    {
      name: 'a dotted path',
      value: SEARCH,
      filter: 'hits.total.value',
      want: { hits: { total: { value: 2 } } },
    },
    {
      name: 'a path through an array keeps the matching part of each element',
      value: SEARCH,
      filter: 'hits.hits._id',
      want: { hits: { hits: [{ _id: 'a' }, { _id: 'b' }] } },
    },
    {
      name: 'array elements without a match are dropped',
      value: SEARCH,
      filter: 'hits.hits._source.http',
      want: { hits: { hits: [{ _source: { http: { status: 200 } } }] } },
    },
    {
      name: '* matches one level',
      value: SEARCH,
      filter: 'hits.*.value',
      want: { hits: { total: { value: 2 } } },
    },
    {
      name: '* inside a name',
      value: SEARCH,
      filter: '*shards.fail*',
      want: { _shards: { failed: 0 } },
    },
    {
      name: '** matches any number of levels',
      value: SEARCH,
      filter: '**.status',
      want: { hits: { hits: [{ _source: { http: { status: 200 } } }] } },
    },
    {
      name: '** also matches no level',
      value: { a: { b: 1 }, b: 2 },
      filter: '**.b',
      want: { a: { b: 1 }, b: 2 },
    },
    {
      name: 'regex characters in names are literal',
      value: { 'a.b': 1, 'a+b': 2, axb: 3 },
      filter: 'a+*',
      want: { 'a+b': 2 },
    },
    {
      name: 'the Filebeat filter on a bulk response',
      value: BULK,
      filter: 'errors,items.*.error,items.*.status',
      want: {
        errors: true,
        items: [
          { index: { status: 201 } },
          {
            create: {
              status: 400,
              error: { type: 'invalid_index_name_exception', reason: 'must be lowercase', index: 'Bad' },
            },
          },
        ],
      },
    },
    {
      name: 'items.*.error alone keeps only the failed items',
      value: BULK,
      filter: 'items.*.error',
      want: {
        items: [
          {
            create: {
              error: { type: 'invalid_index_name_exception', reason: 'must be lowercase', index: 'Bad' },
            },
          },
        ],
      },
    },
    { name: 'nothing matches: an empty object', value: SEARCH, filter: 'nope', want: {} },
    { name: 'a path through a scalar matches nothing', value: SEARCH, filter: 'took.value', want: {} },
    { name: 'null values are kept when named', value: { a: null, b: 1 }, filter: 'a', want: { a: null } },
    {
      name: 'an exclude removes a key',
      value: SEARCH,
      filter: '-hits',
      want: { took: 2, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } },
    },
    {
      name: 'an exclude through arrays',
      value: SEARCH,
      filter: '-hits.hits._source,-took,-timed_out,-_shards,-hits.total,-hits.max_score',
      want: {
        hits: {
          hits: [
            { _index: 'logs', _id: 'a' },
            { _index: 'logs', _id: 'b' },
          ],
        },
      },
    },
    {
      name: 'an exclude with *',
      value: BULK,
      filter: '-items.*._shards,-items.*._version,-items.*.result,-items.*._index,-items.*.error,-took',
      want: {
        errors: true,
        items: [{ index: { _id: 'c1', status: 201 } }, { create: { _id: null, status: 400 } }],
      },
    },
    {
      name: 'includes first, then excludes',
      value: SEARCH,
      filter: 'hits.hits,-hits.hits._source',
      want: {
        hits: {
          hits: [
            { _index: 'logs', _id: 'a' },
            { _index: 'logs', _id: 'b' },
          ],
        },
      },
    },
    {
      name: 'an exclude of a missing key changes nothing',
      value: { a: 1 },
      filter: '-b.c',
      want: { a: 1 },
    },
    {
      name: 'a top-level array',
      value: [{ a: 1, b: 2 }, { b: 3 }, 4],
      filter: 'a',
      want: [{ a: 1 }],
    },
  ];
  for (const c of cases) {
    it(`${c.name} (${c.filter})`, () => {
      expect(applyFilterPath(c.value, c.filter)).toStrictEqual(c.want);
    });
  }

  it('does not modify its input', () => {
    const copy = structuredClone(BULK);
    applyFilterPath(BULK, 'errors,-items.*.error');
    expect(BULK).toStrictEqual(copy);
  });

  // The doc comment says `**` matches any number of levels, and Elasticsearch applies it to excludes
  // too (`filter_path=-**.status`); here an exclude treats `**` like `*`: one level only.
  it('-**.name excludes the name at every depth', () => {
    const value = { status: 0, a: { status: 1, b: { status: 2, c: 3 } } };
    expect(applyFilterPath(value, '-**.status')).toStrictEqual({ a: { b: { c: 3 } } });
  });
});
