import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: Client;
beforeAll(async () => {
  server = await startTestServer();
  client = new Client({ node: server.url });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const count = async (stream: string) =>
  (await getJson(`${server.url}/api/v1/search?stream=${stream}&from=now-1d&limit=0&track_total_hits=1000000`))
    .body.total.value;

describe('the official Elasticsearch JavaScript client against Cairn', () => {
  it('passes the product check and reads cluster info', async () => {
    const info = await client.info();
    expect(info.version.number).toMatch(/^8\./);
    expect(info.tagline).toBe('You Know, for Search');
    const health = await client.cluster.health();
    expect(health.status).toBe('green');
  });

  it('indexes single documents and checks index existence', async () => {
    expect(await client.indices.exists({ index: 'single-2024.05.01' })).toBe(false);
    const res = await client.index({
      index: 'single-2024.05.01',
      document: { message: 'hello from the client', level: 'info' },
      refresh: 'wait_for',
    });
    expect(res.result).toBe('created');
    expect(await client.indices.exists({ index: 'single-2024.05.01' })).toBe(true);
    expect(await count('single')).toBe(1);
  });

  it('ships 20,000 documents with the bulk helper, and every one is stored', async () => {
    const docs = Array.from({ length: 20_000 }, (_, i) => ({
      '@timestamp': new Date(Date.now() - 60_000 + (i % 1000)).toISOString(),
      message: `request ${i} handled`,
      level: i % 10 === 0 ? 'ERROR' : 'INFO',
      service: `svc-${i % 5}`,
      http: { response: { status_code: i % 10 === 0 ? 500 : 200 } },
    }));
    const result = await client.helpers.bulk({
      datasource: docs,
      onDocument: () => ({ create: { _index: 'helper-logs-2024.05.01' } }),
      flushBytes: 256 * 1024,
      concurrency: 4,
    });
    expect(result.failed).toBe(0);
    expect(result.successful).toBe(20_000);
    // As with Elasticsearch, documents become searchable at the next refresh (within a second) or on demand.
    await client.indices.refresh({ index: 'helper-logs-*' });
    expect(await count('helper-logs')).toBe(20_000);
    const errors = await getJson(
      `${server.url}/api/v1/search?stream=helper-logs&from=now-1d&q=level:ERROR&limit=0`,
    );
    expect(errors.body.total.value).toBe(2_000);
  });

  it('reports per-item failures from client.bulk without failing the rest', async () => {
    const res = await client.bulk({
      refresh: true,
      operations: [
        { index: { _index: 'client-bulk' } },
        { message: 'ok' },
        { delete: { _index: 'client-bulk', _id: '1' } },
      ],
    });
    expect(res.errors).toBe(true);
    expect(res.items[0]!.index!.status).toBe(201);
    expect(res.items[1]!.delete!.status).toBe(405);
    expect(await count('client-bulk')).toBe(1);
  });

  it('runs the ingest pipelines documents name in their action lines, installed ones included', async () => {
    await client.ingest.putPipeline({
      id: 'es-took',
      processors: [
        { grok: { field: 'message', patterns: ['user=%{WORD:user.name} took=%{NUMBER:took:int}'] } },
      ],
    });
    await client.ingest.putPipeline({ id: 'es-painless', processors: [{ script: { source: 'ctx.x = 1' } }] });
    const apacheLine =
      '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /index.html HTTP/1.1" 200 203023 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"';
    const res = await client.bulk({
      refresh: true,
      pipeline: 'es-took', // the request's default; an action line's own pipeline wins
      operations: [
        { create: { _index: 'named-logs' } },
        { message: 'user=alice took=42' },
        { create: { _index: 'named-logs', pipeline: 'apache' } }, // built in; needs the GeoIP data
        { message: apacheLine },
        { create: { _index: 'named-logs', pipeline: 'es-painless' } },
        { message: 'user=carol took=9' },
        { create: { _index: 'named-logs', pipeline: 'no-such-pipeline' } },
        { message: 'user=dave took=1' },
        { create: { _index: 'named-logs', pipeline: '_none' } },
        { message: 'user=bob took=7' },
      ],
    });
    expect(res.errors).toBe(true);
    expect(res.items.map((i) => i.create?.status)).toEqual([201, 201, 201, 400, 201]);
    expect(res.items[3]!.create?.error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: 'pipeline with id [no-such-pipeline] does not exist',
    });
    const found = await getJson(
      `${server.url}/api/v1/search?stream=named-logs&from=2015-01-01T00:00:00Z&to=now&limit=10`,
    );
    const byMessage = Object.fromEntries(found.body.hits.map((h: any) => [h.message, h]));
    expect(Object.keys(byMessage)).toHaveLength(4);
    expect(byMessage['user=alice took=42']).toMatchObject({ 'user.name': 'alice', took: 42 });
    expect(byMessage[apacheLine]).toMatchObject({
      'http.response.status_code': 200,
      'client.geo.country_iso_code': 'RU',
      '@timestamp': '2015-05-17T10:05:03.000Z',
    });
    expect(byMessage['user=carol took=9']).toMatchObject({ tags: ['_cairn_pipeline_unsupported'] });
    expect(byMessage['user=carol took=9']['user.name']).toBeUndefined();
    expect(byMessage['user=bob took=7']['user.name']).toBeUndefined();
  });

  it('runs index.default_pipeline and index.final_pipeline from index templates and index settings', async () => {
    await client.ingest.putPipeline({
      id: 'kv-default',
      processors: [{ kv: { field: 'message', field_split: ' ', value_split: '=' } }],
    });
    await client.ingest.putPipeline({
      id: 'stamp-final',
      processors: [{ set: { field: 'pipeline.final', value: 'ran after {{user}}' } }],
    });
    // A Painless condition of the kind Elasticsearch pipelines use.
    await client.ingest.putPipeline({
      id: 'drop-bots',
      processors: [{ drop: { if: "ctx.user != null && ctx.user.startsWith('bot')" } }],
    });
    await client.ingest.putPipeline({
      id: 'mark-special',
      processors: [{ set: { field: 'origin', value: 'special' } }],
    });
    // A component template carries the default pipeline; the index template adds the final one.
    await client.cluster.putComponentTemplate({
      name: 'kv-settings',
      template: { settings: { index: { default_pipeline: 'kv-default' } } },
    });
    await client.indices.putIndexTemplate({
      name: 'kv-logs',
      index_patterns: ['kv-logs-*'],
      priority: 200,
      composed_of: ['kv-settings'],
      template: { settings: { 'index.final_pipeline': 'stamp-final' } },
    });
    // A lower-priority template that also matches does not apply.
    await client.indices.putIndexTemplate({
      name: 'kv-logs-low',
      index_patterns: ['kv-*'],
      priority: 1,
      template: { settings: { index: { default_pipeline: 'no-such-pipeline' } } },
    });
    const res = await client.bulk({
      refresh: true,
      operations: [
        { create: { _index: 'kv-logs-2024.05.01' } },
        { message: 'user=alice took=42' },
        { create: { _index: 'kv-logs-2024.05.01', pipeline: 'drop-bots' } }, // the action line's wins
        { message: 'plain text', user: 'bot' },
        { create: { _index: 'kv-logs-2024.05.01', pipeline: '_none' } }, // no default; final still runs
        { message: 'user=carol took=9', user: 'carol' },
      ],
    });
    expect(res.errors).toBe(false);
    expect(res.items.map((i) => i.create?.result)).toEqual(['created', 'noop', 'created']);
    // ?pipeline= replaces the default pipeline, the final one still runs.
    await client.bulk({
      refresh: true,
      pipeline: '_none',
      operations: [
        { create: { _index: 'kv-logs-2024.05.02' } },
        { message: 'user=dave took=1', user: 'dave' },
      ],
    });
    const found = await getJson(`${server.url}/api/v1/search?stream=kv-logs&from=now-1d&limit=10`);
    const byMessage = Object.fromEntries(found.body.hits.map((h: any) => [h.message, h]));
    expect(Object.keys(byMessage).sort()).toEqual([
      'user=alice took=42',
      'user=carol took=9',
      'user=dave took=1',
    ]);
    expect(byMessage['user=alice took=42']).toMatchObject({
      user: 'alice',
      took: 42, // the field's column is numeric (es-took made it so above)
      'pipeline.final': 'ran after alice',
    });
    expect(byMessage['user=carol took=9']).toMatchObject({ 'pipeline.final': 'ran after carol' });
    expect(byMessage['user=carol took=9'].took).toBeUndefined();
    expect(byMessage['user=dave took=1']).toMatchObject({ 'pipeline.final': 'ran after dave' });
    expect(byMessage['user=dave took=1'].took).toBeUndefined();

    // Settings given to one index override the template's, for bulk and single documents alike.
    await client.indices.create({
      index: 'kv-logs-special',
      settings: { index: { final_pipeline: '_none' } },
    });
    await client.indices.putSettings({
      index: 'kv-logs-special',
      settings: { default_pipeline: 'mark-special' },
    });
    const settings = await client.indices.getSettings({ index: 'kv-logs-special' });
    expect(settings['kv-logs-special']!.settings!.index).toMatchObject({
      default_pipeline: 'mark-special',
      final_pipeline: '_none',
    });
    await client.index({
      index: 'kv-logs-special',
      document: { message: 'user=erin took=3', user: 'erin' },
      refresh: 'wait_for',
    });
    const special = await getJson(`${server.url}/api/v1/search?stream=kv-logs-special&from=now-1d&limit=10`);
    expect(special.body.hits).toHaveLength(1);
    expect(special.body.hits[0]).toMatchObject({ user: 'erin', origin: 'special' });
    expect(special.body.hits[0].took).toBeUndefined(); // kv-default replaced by mark-special
    expect(special.body.hits[0]['pipeline.final']).toBeUndefined(); // final_pipeline: _none

    // A default pipeline nobody installed fails each document as Elasticsearch does.
    await client.indices.putSettings({ index: 'kv-broken', settings: { 'index.default_pipeline': 'gone' } });
    const broken = await client.bulk({ operations: [{ create: { _index: 'kv-broken' } }, { message: 'x' }] });
    expect(broken.items[0]!.create?.error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: 'pipeline with id [gone] does not exist',
    });
  });

  it('keeps a __proto__ key in index settings as data, never as a prototype', async () => {
    const res = await fetch(`${server.url}/proto-check/_settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"__proto__": {"polluted": "yes"}, "index": {"default_pipeline": "_none"}}',
    });
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const shown = await getJson(`${server.url}/proto-check/_settings`);
    expect(shown.body['proto-check'].settings.index.default_pipeline).toBe('_none');
    expect(Object.hasOwn(shown.body['proto-check'].settings.index, '__proto__')).toBe(true);
  });
});
