import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, post, postJson, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
// A fixed hour of events: 600 events, one every 6 s, from 10:00 to 10:59:54 UTC on 2024-03-05.
const BASE = Date.parse('2024-03-05T10:00:00Z');
const services = ['api', 'web', 'auth'];
const levels = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR'];

beforeAll(async () => {
  server = await startTestServer();
  const lines: string[] = [];
  for (let i = 0; i < 600; i++) {
    lines.push(JSON.stringify({ index: { _index: i % 2 === 0 ? 'app-2024.03.05' : 'edge-2024.03.05' } }));
    lines.push(
      JSON.stringify({
        '@timestamp': new Date(BASE + i * 6000).toISOString(),
        message:
          i === 123 ? 'Payment FAILED for order 77: card declined' : `request ${i} served in ${i % 50} ms`,
        level: levels[i % 5],
        service: services[i % 3],
        status: i % 10 === 0 ? 503 : 200,
        duration_ms: i % 50,
        client: { ip: `10.0.${i % 4}.${i % 250}` },
        user: i % 7 === 0 ? { id: `u${i % 13}` } : undefined,
      }),
    );
  }
  const res = await post(`${server.url}/_bulk?refresh=true`, `${lines.join('\n')}\n`);
  expect(res.body.errors).toBe(false);
});
afterAll(() => server.close());

const range = { from: '2024-03-05T10:00:00Z', to: '2024-03-05T11:00:00Z' };
const search = (params: Record<string, string>) =>
  getJson(`${server.url}/api/v1/search?${new URLSearchParams({ ...range, ...params })}`);
const total = async (q: string) => (await search({ q, limit: '0' })).body.total.value;

describe('GET /api/v1/search', () => {
  it('counts exactly what the query selects', async () => {
    expect(await total('')).toBe(600);
    expect(await total('level:ERROR')).toBe(120);
    expect(await total('level:ERROR AND service:api')).toBe(40);
    expect(await total('status:>=500')).toBe(60);
    expect(await total('status:[500 TO 599]')).toBe(60);
    expect(await total('NOT level:INFO')).toBe(240);
    expect(await total('payment')).toBe(1);
    expect(await total('"card declined"')).toBe(1);
    expect(await total('PAYMENT AND failed')).toBe(1);
    expect(await total('client.ip:10.0.1.0/24')).toBe(150);
    expect(await total('_exists_:user.id')).toBe(86);
    expect(await total('serv*')).toBe(599);
    expect(await total('service:(api OR web)')).toBe(400);
    expect(await total('no-such-field:x')).toBe(0);
  });

  it('returns newest first with the fields as sent and honours limit and sort', async () => {
    const res = await search({ q: 'service:auth', limit: '3' });
    expect(res.status).toBe(200);
    expect(res.body.hits).toHaveLength(3);
    expect(res.body.hits[0]).toMatchObject({
      '@timestamp': '2024-03-05T10:59:54.000Z',
      service: 'auth',
      stream: 'edge',
      'client.ip': '10.0.3.99',
    });
    expect(typeof res.body.took_ms).toBe('number');
    const asc = await search({ q: 'service:auth', limit: '1', sort: '@timestamp:asc' });
    expect(asc.body.hits[0]['@timestamp']).toBe('2024-03-05T10:00:12.000Z');
    const byDuration = await search({ limit: '1', sort: 'duration_ms:desc,@timestamp:asc' });
    expect(byDuration.body.hits[0].duration_ms).toBe(49);
  });

  it('filters by stream and time range, with date math', async () => {
    expect((await search({ stream: 'edge', limit: '0' })).body.total.value).toBe(300);
    const firstMinute = await getJson(
      `${server.url}/api/v1/search?from=2024-03-05T10:00:00Z&to=2024-03-05T10:00:00Z||%2B1m&limit=0`,
    );
    expect(firstMinute.body.total.value).toBe(10);
    const rounded = await getJson(
      `${server.url}/api/v1/search?from=2024-03-05T10:30:00Z||/h&to=2024-03-05T10:30:00Z||/h&limit=0`,
    );
    expect(rounded.body.total.value).toBe(600);
  });

  it('pages with a cursor that stays stable while ingestion goes on', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const res = await search({ limit: '100', q: 'level:INFO', ...(cursor ? { cursor } : {}) });
      expect(res.body.total.value).toBe(360);
      for (const h of res.body.hits) seen.push(h._id);
      cursor = res.body.next_cursor;
      if (page++ === 0) {
        // New events inside the same range arrive between pages: the snapshot must not shift.
        await post(
          `${server.url}/_bulk?refresh=true`,
          `${JSON.stringify({ index: { _index: 'late' } })}\n${JSON.stringify({ '@timestamp': '2024-03-05T10:30:00Z', level: 'INFO', message: 'late' })}\n`,
        );
      }
    } while (cursor);
    expect(seen).toHaveLength(360);
    expect(new Set(seen).size).toBe(360);
    expect(await total('level:INFO')).toBe(361);
  });

  it('flags the total as a lower bound past the cap', async () => {
    const res = await search({ limit: '1', track_total_hits: '100' });
    expect(res.body.total).toEqual({ value: 100, relation: 'gte' });
  });

  it('answers a syntax error with 400, the position, a caret and what was expected', async () => {
    const res = await search({ q: 'level:ERROR AND status:' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
    expect(res.body.error.message).toMatch(/^line 1, col \d+: expected/);
    expect(res.body.error.message).toContain('level:ERROR AND status:\n');
    expect(res.body.error.message).toMatch(/\n\s*\^/);
  });

  it('answers bad parameters with 400 naming them', async () => {
    expect((await search({ limit: 'ten' })).body.error.message).toBe(
      'Parameter "limit" must be a non-negative integer, got "ten"',
    );
    const badRange = await getJson(`${server.url}/api/v1/search?from=now&to=now-1h`);
    expect(badRange.status).toBe(400);
    expect(badRange.body.error.code).toBe('invalid_time_range');
    const badDate = await getJson(`${server.url}/api/v1/search?from=yesterday`);
    expect(badDate.body.error.message).toMatch(/^Cannot parse "from" = "yesterday"/);
    const badCursor = await search({ cursor: 'garbage' });
    expect(badCursor.body.error.message).toMatch(/it is not a cursor Cairn issued/);
    const badSort = await search({ sort: 'nope:asc' });
    expect(badSort.body.error.message).toBe('Cannot sort on field "nope": no event in range has it');
  });

  it('takes the same parameters as a JSON body over POST', async () => {
    const res = await postJson(`${server.url}/api/v1/search`, { q: 'level:WARN', ...range, limit: 2 });
    expect(res.body.total.value).toBe(120);
    expect(res.body.hits).toHaveLength(2);
  });
});

describe('POST /api/v1/aggregate', () => {
  it('computes terms with the rest counted, nested date histograms and metrics', async () => {
    const res = await postJson(`${server.url}/api/v1/aggregate`, {
      ...range,
      q: 'status:200',
      aggs: {
        services: {
          terms: { field: 'service', size: 2 },
          aggs: { per_20m: { date_histogram: { fixed_interval: '20m' } } },
        },
        duration: { stats: { field: 'duration_ms' } },
        p: { percentiles: { field: 'duration_ms', percents: [50, 95] } },
        users: { cardinality: { field: 'user.id' } },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(540);
    const services = res.body.aggregations.services;
    expect(services.buckets.map((b: any) => [b.key, b.doc_count])).toEqual([
      ['api', 180],
      ['auth', 180],
    ]);
    expect(services.sum_other_doc_count).toBe(180);
    const hist = services.buckets[0].per_20m.buckets;
    expect(hist.map((b: any) => b.key_as_string)).toEqual([
      '2024-03-05T10:00:00.000Z',
      '2024-03-05T10:20:00.000Z',
      '2024-03-05T10:40:00.000Z',
    ]);
    expect(hist.reduce((n: number, b: any) => n + b.doc_count, 0)).toBe(180);
    expect(res.body.aggregations.duration).toMatchObject({ count: 540, min: 1, max: 49 });
    expect(res.body.aggregations.p.values['50.0']).toBeGreaterThan(20);
    expect(res.body.aggregations.users.value).toBe(13);
  });

  it('chooses an automatic histogram interval and fills empty buckets', async () => {
    const res = await postJson(`${server.url}/api/v1/aggregate`, {
      from: '2024-03-05T09:00:00Z',
      to: '2024-03-05T12:00:00Z',
      aggs: { h: { date_histogram: { buckets: 12 } } },
    });
    const h = res.body.aggregations.h;
    expect(h.interval).toBe('30m');
    expect(h.buckets).toHaveLength(6);
    // 301: the cursor test above added one late event at 10:30.
    expect(h.buckets.map((b: any) => b.doc_count)).toEqual([0, 0, 300, 301, 0, 0]);
  });

  it('lists every problem of an invalid aggregation request at once', async () => {
    const res = await postJson(`${server.url}/api/v1/aggregate`, {
      ...range,
      aggs: { a: { terms: {} }, b: { sum: { field: 'x' } } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors).toEqual([
      'aggs.a.terms.field is required',
      'aggs.b must have exactly one of terms, date_histogram, stats, percentiles, cardinality (found sum)',
    ]);
    const typeClash = await postJson(`${server.url}/api/v1/aggregate`, {
      ...range,
      aggs: { s: { stats: { field: 'service' } } },
    });
    expect(typeClash.body.error.message).toBe(
      'Cannot compute stats of "service": it is a string field, expected a number',
    );
  });
});

describe('fields, streams and operations', () => {
  it('lists fields with types, exact counts and top values', async () => {
    const res = await getJson(`${server.url}/api/v1/fields?${new URLSearchParams(range)}`);
    const byName = Object.fromEntries(res.body.fields.map((f: any) => [f.name, f]));
    expect(byName['status']).toMatchObject({
      type: 'number',
      count: 600,
      top_values: [
        { value: 200, count: 540 },
        { value: 503, count: 60 },
      ],
    });
    expect(byName['client.ip'].type).toBe('ip');
    expect(byName['@timestamp'].type).toBe('timestamp');
    expect(byName['user.id'].count).toBe(86);
    expect(byName['service'].top_values).toHaveLength(3);
  });

  it('lists streams with counts and time spans', async () => {
    const res = await getJson(`${server.url}/api/v1/streams`);
    const app = res.body.streams.find((s: any) => s.name === 'app');
    expect(app).toMatchObject({ events: 300, partitions: 1, first: '2024-03-05T10:00:00.000Z' });
    expect(app.bytes).toBeGreaterThan(0);
  });

  it('serves health, readiness, Prometheus metrics, the OpenAPI document and its browser', async () => {
    expect((await getJson(`${server.url}/health`)).body).toEqual({ status: 'ok' });
    expect((await getJson(`${server.url}/ready`)).body.status).toBe('ready');
    // A flush rolls every loaded event up into the minute counts.
    expect((await fetch(`${server.url}/_flush`, { method: 'POST' })).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^cairn_ingested_events_total\{input="bulk"\} 601$/m);
    expect(metrics).toMatch(/^cairn_store_events 601$/m);
    expect(metrics).toMatch(/^cairn_store_rolled_up_events 601$/m);
    // …and keeps them in memory too.
    expect(Number(/^cairn_store_rollup_memory_rows (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^cairn_store_rollup_memory_left_out 0$/m);
    expect(metrics).toContain('cairn_query_seconds_bucket');
    expect(metrics).toContain('cairn_batch_commit_seconds_bucket');
    const doc = (await getJson(`${server.url}/api/v1/openapi.json`)).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/ingest', '/api/v1/search', '/api/v1/aggregate', '/api/v1/fields']),
    );
    const docs = await fetch(`${server.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});
