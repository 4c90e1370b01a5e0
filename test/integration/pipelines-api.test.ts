import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, post, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let configDir: string;

const NGINX_LINE =
  '81.2.69.143 - - [07/Dec/2016:11:05:07 +0100] "GET /ocelot HTTP/1.1" 404 571 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0"';

async function request(method: string, path: string, body?: string, contentType = 'application/json') {
  const res = await fetch(`${server.url}${path}`, {
    method,
    ...(body !== undefined ? { body, headers: { 'content-type': contentType } } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers };
}

const search = (params: Record<string, string>) =>
  getJson(`${server.url}/api/v1/search?${new URLSearchParams({ from: '2000-01-01T00:00:00Z', ...params })}`);

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'cairn-pipelines-'));
  await writeFile(
    join(configDir, 'from-file.yaml'),
    [
      'description: Tags events from a file-managed pipeline',
      'processors:',
      '  - mutate:',
      '      add_tag: [from_file]',
    ].join('\n'),
  );
  await writeFile(
    join(configDir, '_routes.yaml'),
    [
      'routes:',
      '  - stream: "filebeat-*"',
      '    pipeline: from-file',
      '  - stream: web',
      '    pipeline: nginx',
    ].join('\n'),
  );
  server = await startTestServer({ pipelines: { dir: configDir, workers: 2 } });
});

afterAll(async () => {
  await server.close();
  await rm(configDir, { recursive: true, force: true });
});

describe('ingest with ?pipeline=', () => {
  it('parses plain-text nginx lines with the built-in pipeline: fields, time, GeoIP, user agent, tags', async () => {
    const res = await post(
      `${server.url}/api/v1/ingest?stream=nginx&pipeline=nginx`,
      `${NGINX_LINE}\n`,
      'text/plain',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, rejected_count: 0, dropped: 0 });
    const found = await search({ stream: 'nginx', q: 'http.response.status_code:404' });
    expect(found.body.total.value).toBe(1);
    expect(found.body.hits[0]).toMatchObject({
      '@timestamp': '2016-12-07T10:05:07.000Z',
      'client.ip': '81.2.69.143',
      'client.geo.country_iso_code': 'GB',
      'client.geo.city_name': 'London',
      'http.request.method': 'GET',
      'url.original': '/ocelot',
      'http.response.body.bytes': 571,
      'user_agent.name': 'Firefox',
      'user_agent.os.name': 'Mac OS X',
      'event.dataset': 'nginx.access',
      tags: ['client_error'],
    });
  });

  it('keeps an event whose parse failed, tagged, and reports drops', async () => {
    const definition = {
      processors: [{ grok: { patterns: ['^%{WORD:verb} %{INT:n:int}$'] } }, { drop: { if: 'verb:skip' } }],
    };
    expect((await request('PUT', '/api/v1/pipelines/words', JSON.stringify(definition))).status).toBe(201);
    const res = await post(
      `${server.url}/api/v1/ingest?stream=words&pipeline=words`,
      'keep 1\nskip 2\nnot a match\n',
      'text/plain',
    );
    expect(res.body).toMatchObject({ accepted: 2, dropped: 1, rejected_count: 0 });
    const hits = (await search({ stream: 'words', sort: 'message:asc' })).body.hits;
    expect(hits.map((h: any) => [h.message, h.n ?? null, h.tags ?? null])).toEqual([
      ['keep 1', 1, null],
      ['not a match', null, ['_grokparsefailure']],
    ]);
  });

  it('answers 404 for an unknown pipeline and stores nothing', async () => {
    const res = await post(`${server.url}/api/v1/ingest?stream=none&pipeline=nope`, 'x\n', 'text/plain');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', message: 'There is no pipeline "nope"' });
  });

  it('applies ?pipeline= on _bulk: changed documents, drops as noop, routing to another stream', async () => {
    const definition = {
      processors: [{ drop: { if: 'level:DEBUG' } }, { route: { if: 'level:ERROR', stream: 'bulk-errors' } }],
    };
    await request('PUT', '/api/v1/pipelines/triage', JSON.stringify(definition));
    const lines = [
      { message: 'fine', level: 'info' },
      { message: 'noise', level: 'debug' },
      { message: 'broken', level: 'error' },
    ].flatMap((d) => [JSON.stringify({ index: { _index: 'bulk-2024.01.01' } }), JSON.stringify(d)]);
    const res = await post(`${server.url}/_bulk?pipeline=triage&refresh=wait_for`, `${lines.join('\n')}\n`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(false);
    expect(res.body.items.map((i: any) => [i.index.result, i.index.status])).toEqual([
      ['created', 201],
      ['noop', 200],
      ['created', 201],
    ]);
    expect((await search({ stream: 'bulk' })).body.hits.map((h: any) => h.message)).toEqual(['fine']);
    expect((await search({ stream: 'bulk-errors' })).body.hits.map((h: any) => h.message)).toEqual([
      'broken',
    ]);
  });

  it('applies ?pipeline= on /{index}/_doc', async () => {
    const res = await request(
      'POST',
      '/single-2024.01.01/_doc?pipeline=app_plain&refresh=true',
      JSON.stringify({ message: '2025-10-23 14:32:15 WARN [payment-service] Retrying charge' }),
    );
    expect(res.status).toBe(201);
    const hit = (await search({ stream: 'single' })).body.hits[0];
    expect(hit).toMatchObject({
      '@timestamp': '2025-10-23T14:32:15.000Z',
      level: 'WARN',
      service: 'payment-service',
      message: 'Retrying charge',
      tags: ['warning'],
    });
  });
});

describe('routing without ?pipeline=', () => {
  it('sends events to the pipeline of their stream from the route table file', async () => {
    await post(`${server.url}/api/v1/ingest?stream=web`, `${NGINX_LINE}\n`, 'text/plain');
    const hit = (await search({ stream: 'web' })).body.hits[0];
    expect(hit).toMatchObject({ 'event.dataset': 'nginx.access', 'client.ip': '81.2.69.143' });
    const bulk = [
      JSON.stringify({ create: { _index: 'filebeat-8.11.0' } }),
      JSON.stringify({ message: 'beat' }),
    ];
    await post(`${server.url}/_bulk?refresh=true`, `${bulk.join('\n')}\n`);
    expect((await search({ stream: 'filebeat-8.11.0' })).body.hits[0]).toMatchObject({ tags: ['from_file'] });
  });

  it('?pipeline=_none skips the route table', async () => {
    await post(`${server.url}/api/v1/ingest?stream=web&pipeline=_none`, 'raw line\n', 'text/plain');
    const hit = (await search({ stream: 'web', q: 'message:raw' })).body.hits[0];
    expect(hit['event.dataset']).toBeUndefined();
  });

  it('refuses to change file-managed routes and pipelines through the API', async () => {
    const routes = await request('PUT', '/api/v1/pipelines/_routes', JSON.stringify({ routes: [] }));
    expect(routes.status).toBe(400);
    expect(routes.body.error.message).toContain('_routes.yaml');
    const file = await request('DELETE', '/api/v1/pipelines/from-file');
    expect(file.status).toBe(400);
    expect(file.body.error.message).toContain('from-file.yaml');
  });
});

describe('/api/v1/pipelines', () => {
  it('lists built-in, file and API pipelines with the processor kinds', async () => {
    const res = await request('GET', '/api/v1/pipelines');
    const byId = Object.fromEntries(res.body.pipelines.map((p: any) => [p.id, p]));
    expect(byId['nginx']).toMatchObject({
      source: 'builtin',
      processors: expect.arrayContaining(['grok', 'date', 'geoip']),
    });
    expect(byId['auto']).toMatchObject({ source: 'builtin', processors: ['auto'] });
    expect(byId['from-file']).toMatchObject({ source: 'file', processors: ['mutate'] });
    expect(res.body.routes).toEqual([
      { stream: 'filebeat-*', pipeline: 'from-file' },
      { stream: 'web', pipeline: 'nginx' },
    ]);
    expect(res.body.processors.map((p: any) => p.kind)).toEqual(
      expect.arrayContaining([
        'grok',
        'dissect',
        'kv',
        'json',
        'csv',
        'date',
        'mutate',
        'geoip',
        'user_agent',
        'classify',
        'drop',
        'sample',
        'route',
        'fingerprint',
        'auto',
      ]),
    );
  });

  it('creates from YAML, reads, replaces, and deletes, keeping the definition on disk', async () => {
    const yaml = ['description: kv pairs', 'processors:', '  - kv:', '      field: message'].join('\n');
    const created = await request('PUT', '/api/v1/pipelines/pairs', yaml, 'application/yaml');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'pairs', source: 'api', created: true, processors: ['kv'] });
    const onDisk = JSON.parse(await readFile(join(server.dataDir, 'pipelines', 'pairs.json'), 'utf8'));
    expect(onDisk).toEqual({ description: 'kv pairs', processors: [{ kv: { field: 'message' } }] });
    const read = await request('GET', '/api/v1/pipelines/pairs');
    expect(read.body.definition).toEqual(onDisk);
    const replaced = await request(
      'PUT',
      '/api/v1/pipelines/pairs',
      JSON.stringify({ processors: [{ kind: 'kv' }] }),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body.created).toBe(false);
    expect((await request('DELETE', '/api/v1/pipelines/pairs')).body).toEqual({ id: 'pairs', deleted: true });
    expect((await request('GET', '/api/v1/pipelines/pairs')).status).toBe(404);
  });

  it('rejects an invalid definition listing every problem', async () => {
    const definition = {
      processors: [
        { grok: { patterns: ['%{NOPE:x}'], colour: 'red' } },
        { date: { field: 'ts' } },
        { mutate: { if: 'status:(', convert: { n: 'decimal' } } },
        { teleport: {} },
      ],
    };
    const res = await request('PUT', '/api/v1/pipelines/broken', JSON.stringify(definition));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.details.errors).toEqual([
      'processors[0].grok.colour: unknown option (known: break_on_match, field, ignore_missing, keep_empty_captures, match, pattern, pattern_definitions, patterns, rename_captures, trace_match, and the common options)',
      'processors[1].date.formats: is required: give at least one format',
      'processors[2].mutate.convert.n: expected integer, float, string or boolean, got "decimal"',
      expect.stringMatching(
        /^processors\[3\]\.teleport: unknown processor "teleport" \(known: grok, dissect, kv/,
      ),
    ]);
    const second = await request(
      'PUT',
      '/api/v1/pipelines/broken',
      JSON.stringify({ processors: [{ grok: { patterns: ['%{NOPE:x}'] } }, { mutate: { if: 'status:(' } }] }),
    );
    expect(second.body.error.details.errors).toEqual([
      'processors[0].grok: patterns[0]: unknown pattern %{NOPE}',
      expect.stringMatching(/^processors\[1\]\.mutate\.if: /),
    ]);
  });

  it('refuses to replace a built-in pipeline', async () => {
    const res = await request('PUT', '/api/v1/pipelines/nginx', JSON.stringify({ processors: [] }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Cannot change pipeline "nginx": it is built in; copy its definition under another id',
    );
  });

  it('answers 429 with Retry-After when pipelines are saturated', async () => {
    const small = await startTestServer({ pipelines: { workers: 1, maxPendingEvents: 100 } });
    try {
      const body = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
      const send = () =>
        post(`${small.url}/api/v1/ingest?stream=p&pipeline=auto&refresh=false`, body, 'text/plain');
      const results = await Promise.all([send(), send(), send()]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toContain(429);
      const refused = results.find((r) => r.status === 429)!;
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body.error.code).toBe('too_many_requests');
    } finally {
      await small.close();
    }
  });
});

describe('simulate', () => {
  it('shows the document after each processor, with skipped steps and failures (verbose)', async () => {
    const pipeline = {
      processors: [
        { grok: { tag: 'parse', patterns: ['^%{WORD:verb} %{NUMBER:n:int}$'] } },
        { mutate: { if: 'verb:never', add_tag: ['x'] } },
        { date: { field: 'missing', formats: ['ISO8601'] } },
      ],
    };
    const res = await request(
      'POST',
      '/api/v1/pipelines/_simulate?verbose=true',
      JSON.stringify({ pipeline, docs: ['add 5', { _source: { message: 'bad' }, _index: 'other' }] }),
    );
    expect(res.status).toBe(200);
    const [first, second] = res.body.docs;
    expect(first.processor_results.map((r: any) => [r.processor_type, r.status])).toEqual([
      ['grok', 'success'],
      ['mutate', 'skipped'],
      ['date', 'error'],
    ]);
    expect(first.processor_results[0]).toMatchObject({
      tag: 'parse',
      doc: { _index: 'default', _source: { verb: 'add', n: 5 } },
    });
    expect(first.processor_results[1]).toEqual({
      processor_type: 'mutate',
      status: 'skipped',
      if: { condition: 'verb:never', result: false },
    });
    expect(first.processor_results[2].error).toEqual({
      type: 'processor_failure',
      reason: 'field "missing" is missing',
    });
    expect(first.doc._source.tags).toEqual(['_dateparsefailure']);
    expect(second.processor_results[0].error.reason).toBe('no pattern matched the value of "message"');
    expect(second.doc).toMatchObject({
      _index: 'other',
      _source: { message: 'bad', tags: ['_grokparsefailure', '_dateparsefailure'] },
    });
  });

  it('simulates a stored pipeline by id, without verbose', async () => {
    const res = await request(
      'POST',
      '/api/v1/pipelines/syslog/_simulate',
      JSON.stringify({
        docs: ["<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8"],
      }),
    );
    expect(res.body.docs[0].processor_results).toBeUndefined();
    expect(res.body.docs[0].doc._source).toMatchObject({
      'host.name': 'mymachine',
      'process.name': 'su',
      'log.syslog.facility.name': 'security/authorization',
      'log.syslog.severity.name': 'critical',
      level: 'FATAL',
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });
});

describe('persistence', () => {
  it('keeps API pipelines and routes across a restart', async () => {
    const first = await startTestServer({ keepDataDir: true, pipelines: { workers: 1 } });
    const dataDir = first.dataDir;
    try {
      const put = (path: string, body: unknown) =>
        fetch(`${first.url}${path}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect(
        (await put('/api/v1/pipelines/tagger', { processors: [{ mutate: { add_tag: ['tagged'] } }] })).status,
      ).toBe(201);
      expect(
        (await put('/api/v1/pipelines/_routes', { routes: [{ stream: 'app', pipeline: 'tagger' }] })).status,
      ).toBe(200);
    } finally {
      await first.close();
    }
    const second = await startTestServer({ dataDir, pipelines: { workers: 1 } });
    try {
      const list = await getJson(`${second.url}/api/v1/pipelines`);
      expect(list.body.routes).toEqual([{ stream: 'app', pipeline: 'tagger' }]);
      expect(list.body.pipelines.find((p: any) => p.id === 'tagger')).toMatchObject({ source: 'api' });
      await post(`${second.url}/api/v1/ingest?stream=app`, 'hello\n', 'text/plain');
      const hits = (await getJson(`${second.url}/api/v1/search?stream=app&from=now-1h`)).body.hits;
      expect(hits[0]).toMatchObject({ message: 'hello', tags: ['tagged'] });
    } finally {
      await second.close();
    }
  });

  it('re-reads the pipelines directory on _reload', async () => {
    await writeFile(join(configDir, 'from-file.yaml'), 'processors:\n  - mutate: { add_tag: [reloaded] }\n');
    const res = await request('POST', '/api/v1/pipelines/_reload');
    expect(res.status).toBe(200);
    expect(res.body.pipelines.map((p: any) => p.id)).toContain('from-file');
    const sim = await request(
      'POST',
      '/api/v1/pipelines/from-file/_simulate',
      JSON.stringify({ docs: ['x'] }),
    );
    expect(sim.body.docs[0].doc._source.tags).toEqual(['reloaded']);
  });
});

describe('config directory', () => {
  it('refuses to start when a pipeline file is invalid, naming every problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-bad-pipelines-'));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'a.yaml'), 'processors:\n  - grok: {}\n');
    await writeFile(join(dir, 'b.json'), '{ not json');
    try {
      await expect(startTestServer({ pipelines: { dir } })).rejects.toThrow(
        /Cannot load pipelines:[\s\S]*a\.yaml: Pipeline "a" has a problem:[\s\S]*patterns: is required[\s\S]*b\.json: cannot read JSON/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
