import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, post, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { maxBodyBytes: 32 * 1024 } });
});
afterAll(() => server.close());

const nd = (...lines: unknown[]) =>
  `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;
const now = () => new Date(Date.now() - 1000).toISOString();

describe('Elasticsearch start-up calls', () => {
  it('GET / answers like an Elasticsearch 8 node, with the product header on every response', async () => {
    const res = await getJson(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(res.body.version.number).toMatch(/^8\.\d+\.\d+$/);
    expect(res.body.version.build_flavor).toBe('default');
    expect(res.body.tagline).toBe('You Know, for Search');
    const head = await fetch(`${server.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-elastic-product')).toBe('Elasticsearch');
    const missing = await fetch(`${server.url}/api/v1/nope`);
    expect(missing.headers.get('x-elastic-product')).toBe('Elasticsearch');
  });

  it('reports an active license, a green cluster and one node', async () => {
    expect((await getJson(`${server.url}/_license`)).body.license.status).toBe('active');
    expect((await getJson(`${server.url}/_cluster/health`)).body).toMatchObject({
      status: 'green',
      number_of_nodes: 1,
    });
    const nodes = (await getJson(`${server.url}/_nodes/http`)).body;
    expect(nodes._nodes.total).toBe(1);
    expect(Object.values(nodes.nodes as Record<string, { version: string }>)[0]!.version).toMatch(/^8\./);
  });

  it('keeps index templates, ILM policies and ingest pipelines that shippers install', async () => {
    expect((await fetch(`${server.url}/_index_template/filebeat-8`, { method: 'HEAD' })).status).toBe(404);
    const put = await fetch(`${server.url}/_index_template/filebeat-8`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ index_patterns: ['filebeat-*'], template: { settings: {} } }),
    });
    expect(await put.json()).toEqual({ acknowledged: true });
    expect((await fetch(`${server.url}/_index_template/filebeat-8`, { method: 'HEAD' })).status).toBe(200);
    const got = (await getJson(`${server.url}/_index_template/filebeat-8`)).body;
    expect(got.index_templates[0]).toEqual({
      name: 'filebeat-8',
      index_template: { index_patterns: ['filebeat-*'], template: { settings: {} } },
    });
    await fetch(`${server.url}/_ilm/policy/logs`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ policy: { phases: {} } }),
    });
    expect((await getJson(`${server.url}/_ilm/policy/logs`)).body.logs.policy).toEqual({ phases: {} });
    expect((await getJson(`${server.url}/_ingest/pipeline/none`)).status).toBe(404);
  });

  it('answers HEAD /{index} by whether the stream has events', async () => {
    expect((await fetch(`${server.url}/probe-2024.01.15`, { method: 'HEAD' })).status).toBe(404);
    await post(`${server.url}/probe-2024.01.15/_doc`, JSON.stringify({ message: 'x' }), 'application/json');
    expect((await fetch(`${server.url}/probe-2024.01.16`, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('POST /_bulk', () => {
  it('answers with the exact Elasticsearch response shape, one item per action in order', async () => {
    const body = nd(
      { index: { _index: 'logs-2024.01.15' } },
      { '@timestamp': now(), message: 'first', level: 'info' },
      { create: { _index: 'logs-2024.01.16', _id: 'my-id' } },
      { '@timestamp': now(), message: 'second' },
      { delete: { _index: 'logs-2024.01.15', _id: 'x' } },
      { update: { _index: 'logs-2024.01.15', _id: 'x' } },
      { doc: { message: 'u' } },
      { index: { _index: 'logs' } },
      '["not", "an object"]',
    );
    const res = await post(`${server.url}/_bulk?refresh=wait_for`, body);
    expect(res.status).toBe(200);
    expect(typeof res.body.took).toBe('number');
    expect(res.body.errors).toBe(true);
    const items = res.body.items;
    expect(items).toHaveLength(5);
    expect(Object.keys(items[0])).toEqual(['index']);
    expect(items[0].index).toMatchObject({
      _index: 'logs-2024.01.15',
      result: 'created',
      status: 201,
      _version: 1,
    });
    expect(typeof items[0].index._id).toBe('string');
    expect(items[1].create).toMatchObject({ _index: 'logs-2024.01.16', _id: 'my-id', status: 201 });
    expect(items[2].delete).toMatchObject({
      _id: 'x',
      status: 405,
      error: { type: 'illegal_argument_exception' },
    });
    expect(items[3].update.error.reason).toMatch(/append-only/);
    expect(items[4].index).toMatchObject({
      status: 400,
      error: { type: 'document_parsing_exception', reason: 'expected a JSON object, got an array' },
    });
    const found = await getJson(`${server.url}/api/v1/search?stream=logs&from=now-1h`);
    expect(found.body.hits.map((h: any) => h.message).sort()).toEqual(['first', 'second']);
    expect(found.body.hits.find((h: any) => h.message === 'second')._id).toBe('my-id');
  });

  it('takes the index from the path and honours filter_path', async () => {
    const body = nd({ index: {} }, { message: 'a' }, { index: {} }, { message: 'b' });
    const res = await post(`${server.url}/pathidx/_bulk?filter_path=errors,items.*.status`, body);
    expect(res.body).toEqual({
      errors: false,
      items: [{ index: { status: 201 } }, { index: { status: 201 } }],
    });
    const excl = await post(`${server.url}/pathidx/_bulk?filter_path=-items`, body);
    expect(Object.keys(excl.body).sort()).toEqual(['errors', 'took']);
  });

  it('accepts the content types the official clients send', async () => {
    const res = await post(
      `${server.url}/_bulk`,
      nd({ index: { _index: 'ctype' } }, { message: 'x' }),
      'application/vnd.elasticsearch+x-ndjson; compatible-with=8',
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(false);
  });

  it('fails the whole request on a malformed action line, in Elasticsearch error shape', async () => {
    const res = await post(`${server.url}/_bulk`, '{"index": {}\n{"message":"x"}\n');
    expect(res.status).toBe(400);
    expect(res.body.status).toBe(400);
    expect(res.body.error.type).toBe('x_content_parse_exception');
    expect(res.body.error.reason).toMatch(/Malformed action\/metadata line \[1\]/);
    const unknown = await post(`${server.url}/_bulk`, '{"upsert": {}}\n{}\n');
    expect(unknown.body.error.reason).toBe(
      'Malformed action/metadata line [1], expected one of [create, delete, index, update] but found [upsert]',
    );
    const empty = await post(`${server.url}/_bulk`, '\n');
    expect(empty.body.error).toMatchObject({
      type: 'action_request_validation_exception',
      reason: 'Validation Failed: 1: no requests added;',
    });
  });

  it('answers 413 for an oversized request', async () => {
    const res = await post(
      `${server.url}/_bulk`,
      nd({ index: { _index: 'big' } }, { message: 'x'.repeat(40 * 1024) }),
    );
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
    expect(res.body.error.type).toBe('content_too_long_exception');
  });

  it('types a new field once when concurrent requests (parsed on different workers) disagree', async () => {
    const typed = await startTestServer({});
    try {
      // Each request brings its own fields; the same new field arrives as a number and as a string.
      const bodies = Array.from({ length: 8 }, (_, r) =>
        nd(
          ...Array.from({ length: 200 }, (_, i) => [
            { create: { _index: 'race' } },
            { message: `r${r} ${i}`, clash: r % 2 === 0 ? i : `text-${i}`, [`only_${r}`]: i },
          ]).flat(),
        ),
      );
      const results = await Promise.all(bodies.map((b) => post(`${typed.url}/_bulk?refresh=wait_for`, b)));
      expect(results.map((r) => [r.status, r.body.errors])).toStrictEqual(bodies.map(() => [200, false]));
      const ids = results.flatMap((r) =>
        r.body.items.map((it: { create: { _id: string } }) => it.create._id),
      );
      expect(new Set(ids).size).toBe(1600);
      const all = await getJson(`${typed.url}/api/v1/search?stream=race&from=now-1h&limit=0`);
      expect(all.body.total.value).toBe(1600);
      // Whichever type won, every value is still found by its field, typed or from the overflow.
      const numbers = await getJson(
        `${typed.url}/api/v1/search?${new URLSearchParams({ q: 'clash:7', from: 'now-1h', limit: '0' })}`,
      );
      const strings = await getJson(
        `${typed.url}/api/v1/search?${new URLSearchParams({ q: 'clash:"text-7"', from: 'now-1h', limit: '0' })}`,
      );
      expect(numbers.body.total.value).toBe(4);
      expect(strings.body.total.value).toBe(4);
      for (let r = 0; r < 8; r++) {
        const own = await getJson(
          `${typed.url}/api/v1/search?${new URLSearchParams({ q: `only_${r}:5`, from: 'now-1h', limit: '0' })}`,
        );
        expect(own.body.total.value).toBe(1);
      }
    } finally {
      await typed.close();
    }
  });

  it('answers 429 with Retry-After under back-pressure and loses nothing it accepted', async () => {
    const tight = await startTestServer({ ingest: { maxPendingEvents: 1 } });
    try {
      const body = nd(
        ...Array.from({ length: 50 }, (_, i) => [{ index: { _index: 'bp' } }, { message: `m${i}` }]).flat(),
      );
      const results = await Promise.all(Array.from({ length: 12 }, () => post(`${tight.url}/_bulk`, body)));
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      const limited = results.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]!.headers.get('retry-after')).toBe('1');
      expect(limited[0]!.body.error.type).toBe('es_rejected_execution_exception');
      const accepted = results.filter((r) => r.status === 200).length * 50;
      await fetch(`${tight.url}/_refresh`, { method: 'POST' });
      const found = await getJson(`${tight.url}/api/v1/search?stream=bp&from=now-1h&limit=0`);
      expect(found.body.total.value).toBe(accepted);
    } finally {
      await tight.close();
    }
  });

  it('answers 429 while loading is behind by store.maxUnloadedRows, and takes writes again once it caught up', async () => {
    // No interval loads within the test and no load triggered by row count: only _refresh loads.
    const behind = await startTestServer({
      store: { maxUnloadedRows: 60, refreshIntervalMs: 600_000, refreshRows: 100_000 },
    });
    try {
      const body = nd(
        ...Array.from({ length: 50 }, (_, i) => [{ index: { _index: 'lag' } }, { message: `m${i}` }]).flat(),
      );
      expect((await post(`${behind.url}/_bulk`, body)).status).toBe(200);
      expect((await post(`${behind.url}/_bulk`, body)).status).toBe(200); // 50 waiting: under 60
      const refused = await post(`${behind.url}/_bulk`, body); // 100 waiting
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body.error.type).toBe('es_rejected_execution_exception');
      expect(refused.body.error.reason).toContain('store.maxUnloadedRows');
      const metrics = await (await fetch(`${behind.url}/metrics`)).text();
      expect(metrics).toMatch(/^cairn_store_unloaded_events 100$/m);
      await fetch(`${behind.url}/_refresh`, { method: 'POST' });
      expect((await post(`${behind.url}/_bulk`, body)).status).toBe(200);
      await fetch(`${behind.url}/_refresh`, { method: 'POST' });
      const found = await getJson(`${behind.url}/api/v1/search?stream=lag&from=now-1h&limit=0`);
      expect(found.body.total.value).toBe(150);
    } finally {
      await behind.close();
    }
  });
});

describe('POST /_ingest/pipeline/_simulate', () => {
  const docs = [
    { _index: 'web', _id: 'a', _source: { message: '10.0.0.1 GET /home 200' } },
    { _source: { message: 'not a request line' } },
  ];
  const pipeline = {
    processors: [
      {
        grok: {
          field: 'message',
          patterns: ['%{IP:client.ip} %{WORD:method} %{URIPATH:path} %{INT:status:int}'],
        },
      },
    ],
  };

  it('runs an inline pipeline and answers in Elasticsearch shape', async () => {
    const res = await post(
      `${server.url}/_ingest/pipeline/_simulate`,
      JSON.stringify({ pipeline, docs }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(res.body.docs[0].doc).toMatchObject({
      _index: 'web',
      _id: 'a',
      _version: '-3',
      _source: { 'client.ip': '10.0.0.1', method: 'GET', path: '/home', status: 200 },
    });
    expect(typeof res.body.docs[0].doc._ingest.timestamp).toBe('string');
    // A failed parse tags the event, as in Logstash (see docs/pipelines.md).
    expect(res.body.docs[1].doc._source.tags).toContain('_grokparsefailure');
  });

  it('simulates a pipeline installed through PUT _ingest/pipeline, verbosely', async () => {
    const put = await fetch(`${server.url}/_ingest/pipeline/web-requests`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(pipeline),
    });
    expect(put.status).toBe(200);
    const res = await post(
      `${server.url}/_ingest/pipeline/web-requests/_simulate?verbose=true`,
      JSON.stringify({ docs: docs.slice(0, 1) }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(res.body.docs[0].processor_results).toMatchObject([
      { processor_type: 'grok', status: 'success', doc: { _source: { method: 'GET' }, _version: '-3' } },
    ]);
  });

  it('answers 404 for an unknown pipeline and 400 for a body without docs', async () => {
    const missing = await post(
      `${server.url}/_ingest/pipeline/nope/_simulate`,
      JSON.stringify({ docs }),
      'application/json',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toBe('resource_not_found_exception');
    expect(missing.body.error.reason).toBe('pipeline [nope] is missing');
    const empty = await post(
      `${server.url}/_ingest/pipeline/_simulate`,
      JSON.stringify({ pipeline }),
      'application/json',
    );
    expect(empty.status).toBe(400);
    expect(empty.body.error.reason).toContain('[docs]');
  });
});
