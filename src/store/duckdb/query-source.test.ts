import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempStore } from '../../../test/support/temp-store.js';
import { parseQuery } from '../../query/index.js';
import { Catalog } from './catalog.js';
import { DuckDBStore } from './duckdb-store.js';
import { buildWhere, requiredFields } from './query-source.js';
import { SkipIndex, textFieldHashes } from './skip-index.js';
import { HashBuffer } from './token-bloom.js';

describe('requiredFields', () => {
  it.each([
    ['status:>=500', ['status']],
    ['status:>=500 AND url.path:api*', ['status', 'url.path']],
    ['status:500 OR status:503', ['status']],
    ['status:500 OR method:GET', []],
    ['(a:1 AND b:2) OR (b:3 AND c:4)', ['b']],
    ['NOT status:500', []],
    ['_exists_:client.ip', ['client.ip']],
    ['client.ip:*', ['client.ip']],
    ['http.*:500', []],
    ['timeout', []],
    ['"connection refused" AND level:ERROR', ['level']],
    ['*', []],
  ])('%s needs %j', (q, fields) => {
    expect([...requiredFields(parseQuery(q))].sort()).toEqual(fields);
  });
});

describe('partitions without a required field', () => {
  it('are left out with the same answers: searches, totals and aggregations', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-prune-'));
    const store = await DuckDBStore.open({ dataDir: dir, refreshIntervalMs: 60_000 });
    try {
      const t0 = Date.UTC(2025, 5, 1, 12) * 1000;
      const events = [];
      for (let i = 0; i < 40; i++) {
        events.push({
          timestampUs: t0 + i * 1_000_000,
          stream: 'app',
          fields: { message: `app ${i}`, level: 'INFO', duration_ms: i },
        });
        events.push({
          timestampUs: t0 + i * 1_000_000,
          stream: 'nginx',
          fields: { message: `GET /p${i % 3}`, status: i % 4 === 0 ? 503 : 200, path: `/p${i % 3}` },
        });
      }
      await store.append(events);
      await store.refresh();
      const range = { fromUs: t0, toUs: t0 + 3_600_000_000 };
      const total = async (q: string) =>
        (await store.search({ query: parseQuery(q), range, limit: 5 })).total.value;
      expect(await total('status:>=500')).toBe(10);
      expect(await total('status:>=500 OR level:INFO')).toBe(50);
      expect(await total('NOT status:503')).toBe(70);
      expect(await total('level:INFO AND status:200')).toBe(0);
      const hits = await store.search({ query: parseQuery('status:503'), range, limit: 3 });
      expect(hits.hits.map((h) => h.fields['status'])).toEqual([503, 503, 503]);
      const aggs = await store.aggregate({
        query: parseQuery('status:>=500'),
        range,
        aggs: {
          paths: { kind: 'terms', field: 'path', size: 10 },
          levels: { kind: 'terms', field: 'level', size: 10 },
        },
      });
      expect(aggs.total).toBe(10);
      expect(aggs.aggs['paths']).toEqual({
        kind: 'terms',
        buckets: [
          { key: '/p0', count: 4 },
          { key: '/p1', count: 3 },
          { key: '/p2', count: 3 },
        ],
        otherCount: 0,
      });
      // `level` is a column of every partition: the nginx events have none, so no buckets.
      expect(aggs.aggs['levels']).toEqual({ kind: 'terms', buckets: [], otherCount: 0 });
      // Metrics read only the partitions with their field; buckets only others fill get empty metrics.
      const metrics = await store.aggregate({
        query: null,
        range,
        aggs: {
          status: { kind: 'stats', field: 'status' },
          levels: { kind: 'terms', field: 'level', size: 5, aggs: { s: { kind: 'stats', field: 'status' } } },
          paths: {
            kind: 'terms',
            field: 'path',
            size: 1,
            aggs: { p: { kind: 'percentiles', field: 'status', percents: [50] } },
          },
        },
      });
      expect(metrics.aggs['status']).toEqual({
        kind: 'stats',
        count: 40,
        min: 200,
        max: 503,
        avg: 275.75,
        sum: 11030,
      });
      expect(metrics.aggs['levels']).toEqual({
        kind: 'terms',
        buckets: [
          {
            key: 'INFO',
            count: 40,
            aggs: { s: { kind: 'stats', count: 0, min: null, max: null, avg: null, sum: 0 } },
          },
        ],
        otherCount: 0,
      });
      expect(metrics.aggs['paths']).toEqual({
        kind: 'terms',
        buckets: [{ key: '/p0', count: 14, aggs: { p: { kind: 'percentiles', values: { '50.0': 200 } } } }],
        otherCount: 26,
      });
      // Bad input is still reported when it names a field only the skipped partitions have…
      const rejected = async (q: string) =>
        store.search({ query: parseQuery(q), range, limit: 5 }).then(
          () => undefined,
          (err: { status?: number; message?: string }) => err,
        );
      const typeError = await rejected('status:>=500 AND NOT duration_ms:abc');
      expect(typeError?.status).toBe(400);
      expect(typeError?.message).toMatch(/number/);
      // …or when no partition has every required field (nothing is skipped then).
      expect(await total('status:>=500 AND duration_ms:>1')).toBe(0);
      expect((await rejected('status:>=500 AND duration_ms:>1 AND path:/(/'))?.status).toBe(400);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('partitions without skip-index candidates', () => {
  it('are left out of the union while the columns only they have stay defined', async () => {
    await withTempStore('cairn-narrow-', {}, async (store) => {
      const t0 = Date.UTC(2025, 5, 1, 12) * 1000;
      const events = [];
      for (let i = 0; i < 40; i++) {
        events.push({
          timestampUs: t0 + i * 1_000_000,
          stream: 'app',
          fields: { message: i % 10 === 0 ? `needle ${i}` : `app ${i}`, level: 'INFO' },
        });
        events.push({
          timestampUs: t0 + i * 1_000_000,
          stream: 'nginx',
          fields: { message: `GET /p${i % 3}`, status: i % 4 === 0 ? 503 : 200, 'client.ip': '10.0.0.1' },
        });
      }
      await store.append(events);
      await store.refresh();
      const range = { fromUs: t0, toUs: t0 + 3_600_000_000 };
      const search = (q: string) => store.search({ query: parseQuery(q), range, limit: 10 });
      // `status` and `client.ip` are columns of the nginx partition only, which holds no `needle`.
      const hits = await search('needle AND NOT status:503 AND NOT client.ip:10.0.0.0/8');
      expect(hits.total.value).toBe(4);
      expect(hits.hits.map((h) => h.fields['message'])).toEqual([
        'needle 30',
        'needle 20',
        'needle 10',
        'needle 0',
      ]);
      expect((await search('needle AND status:503')).total.value).toBe(0);
      // Nothing holds the token: every partition is left out and the answer is empty.
      expect((await search('absent AND status:503')).total.value).toBe(0);
      const aggs = await store.aggregate({
        query: parseQuery('needle'),
        range,
        aggs: {
          status: { kind: 'stats', field: 'status' },
          ips: { kind: 'terms', field: 'client.ip', size: 3 },
          levels: { kind: 'terms', field: 'level', size: 3 },
        },
      });
      expect(aggs.total).toBe(4);
      expect(aggs.aggs['status']).toEqual({
        kind: 'stats',
        count: 0,
        min: null,
        max: null,
        avg: null,
        sum: 0,
      });
      expect(aggs.aggs['ips']).toEqual({ kind: 'terms', buckets: [], otherCount: 0 });
      expect(aggs.aggs['levels']).toEqual({
        kind: 'terms',
        buckets: [{ key: 'INFO', count: 4 }],
        otherCount: 0,
      });
    });
  });

  it('leave the SQL: a typed empty branch stands in for their columns', async () => {
    const catalog = new Catalog(100);
    catalog.fields.set('status', { name: 'status', type: 'number', list: false });
    const index = new SkipIndex();
    const add = (stream: string, seq: number, message: string) => {
      const hashes = new HashBuffer();
      textFieldHashes({ message }, hashes);
      index.addRow(stream, 0, seq, hashes.data, 0, hashes.length);
    };
    add('p_1', 1, 'needle');
    add('p_2', 2, 'hay');
    const partition = (table: string, columns: string[]) =>
      ({ stream: table, dayUs: 0, table, columns: new Set(['_seq', 'message', ...columns]) }) as never;
    const source = {
      resolver: { resolve: () => [], names: () => [], defaultFields: () => [] },
      partitions: [partition('p_1', []), partition('p_2', ['status'])],
      skip: index,
      fields: catalog.fields,
      from: 'unpruned',
    };
    buildWhere({ source, range: { fromUs: 0, toUs: 1 }, query: parseQuery('needle'), params: [], nowUs: 0 });
    expect(source.from).toContain('FROM "p_1" WHERE _seq BETWEEN');
    expect(source.from).not.toContain('"p_2"');
    expect(source.from).toContain('SELECT CAST(NULL AS DOUBLE) AS "status" WHERE FALSE');
  });
});
