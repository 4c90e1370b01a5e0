import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, post, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { maxBodyBytes: 64 * 1024 } });
});
afterAll(() => server.close());

const recent = () => new Date(Date.now() - 60_000).toISOString();
const search = (params: Record<string, string>) =>
  getJson(`${server.url}/api/v1/search?${new URLSearchParams({ from: 'now-1h', ...params })}`);

describe('POST /api/v1/ingest', () => {
  it('takes a single JSON object and answers only once it is searchable', async () => {
    const res = await post(
      `${server.url}/api/v1/ingest?stream=single`,
      JSON.stringify({ '@timestamp': recent(), message: 'one object', level: 'warning' }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, rejected: [], rejected_count: 0, stream: 'single' });
    const found = await search({ stream: 'single' });
    expect(found.body.total).toEqual({ value: 1, relation: 'eq' });
    expect(found.body.hits[0]).toMatchObject({ message: 'one object', level: 'WARN', stream: 'single' });
  });

  it('takes a JSON array and NDJSON', async () => {
    const arr = [1, 2, 3].map((i) => ({ '@timestamp': recent(), message: `array ${i}` }));
    expect(
      (await post(`${server.url}/api/v1/ingest?stream=arr`, JSON.stringify(arr), 'application/json')).body
        .accepted,
    ).toBe(3);
    const nd = [1, 2].map((i) => JSON.stringify({ '@timestamp': recent(), message: `nd ${i}` })).join('\n');
    expect((await post(`${server.url}/api/v1/ingest?stream=arr`, nd)).body.accepted).toBe(2);
    expect((await search({ stream: 'arr' })).body.total.value).toBe(5);
  });

  it('takes plain text lines as messages and gzip bodies', async () => {
    const res = await post(
      `${server.url}/api/v1/ingest?stream=text`,
      'first line\n\nsecond line\n',
      'text/plain',
    );
    expect(res.body.accepted).toBe(2);
    const gz = gzipSync(JSON.stringify({ message: 'zipped', service: 'zip' }));
    const zipped = await post(`${server.url}/api/v1/ingest?stream=text`, gz, 'application/json', {
      'content-encoding': 'gzip',
    });
    expect(zipped.body.accepted).toBe(1);
    const hits = (await search({ stream: 'text', sort: '@timestamp:asc' })).body.hits.map(
      (h: any) => h.message,
    );
    expect(hits.sort()).toEqual(['first line', 'second line', 'zipped']);
  });

  it('normalises timestamps, levels and service/host aliases, keeping the originals', async () => {
    const lines = [
      { ts: 1_700_000_000, message: 'epoch seconds', severity: 'err', app: 'billing', hostname: 'h1' },
      { timestamp: 1_700_000_000_123, message: 'epoch ms', levelname: 'WARNING', 'service.name': 'svc' },
      {
        time: '2023-11-14T22:13:20.000123+00:00',
        message: 'iso micro',
        log: { level: 'debug' },
        host: { name: 'h2' },
      },
      { '@timestamp': 1_700_000_000_000_000_000, message: 'epoch ns', level: 50 },
    ];
    const res = await post(
      `${server.url}/api/v1/ingest?stream=norm`,
      lines.map((l) => JSON.stringify(l)).join('\n'),
    );
    expect(res.body.accepted).toBe(4);
    const { body } = await getJson(
      `${server.url}/api/v1/search?stream=norm&from=2023-11-14T00:00:00Z&to=2023-11-15T00:00:00Z&sort=message:asc`,
    );
    const byMessage = Object.fromEntries(body.hits.map((h: any) => [h.message, h]));
    expect(byMessage['epoch seconds']).toMatchObject({
      '@timestamp': '2023-11-14T22:13:20.000Z',
      level: 'ERROR',
      severity: 'err',
      service: 'billing',
      app: 'billing',
      host: 'h1',
      hostname: 'h1',
    });
    expect(byMessage['epoch ms']).toMatchObject({
      '@timestamp': '2023-11-14T22:13:20.123Z',
      level: 'WARN',
      service: 'svc',
      'service.name': 'svc',
    });
    expect(byMessage['iso micro']).toMatchObject({
      '@timestamp': '2023-11-14T22:13:20.000123Z',
      level: 'DEBUG',
      'log.level': 'debug',
      host: 'h2',
      'host.name': 'h2',
    });
    expect(byMessage['epoch ns']).toMatchObject({ '@timestamp': '2023-11-14T22:13:20.000Z', level: 'ERROR' });
  });

  it('stores the valid events of a batch and lists the rejected lines with reasons', async () => {
    const body = [
      JSON.stringify({ message: 'good 1' }),
      '{"message": "broken',
      '42',
      JSON.stringify({ '@timestamp': '2024-13-01T00:00:00Z', message: 'bad month' }),
      JSON.stringify({ message: 'good 2' }),
    ].join('\n');
    const res = await post(`${server.url}/api/v1/ingest?stream=mixed`, body);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected_count).toBe(3);
    expect(res.body.rejected.map((r: any) => r.line)).toEqual([2, 3, 4]);
    expect(res.body.rejected[0].reason).toMatch(/^invalid JSON/);
    expect(res.body.rejected[1].reason).toBe('expected a JSON object, got a number');
    expect(res.body.rejected[2]).toEqual({
      line: 4,
      field: '@timestamp',
      reason: 'Cannot parse timestamp "2024-13-01T00:00:00Z": month must be 1-12',
    });
    expect((await search({ stream: 'mixed' })).body.total.value).toBe(2);
  });

  it('answers 400 naming the line when nothing in the body is valid', async () => {
    const res = await post(`${server.url}/api/v1/ingest`, '{"a": 1}\n[1]\n', 'application/x-ndjson');
    expect(res.status).toBe(200); // line 1 is fine
    const bad = await post(`${server.url}/api/v1/ingest`, '"just a string"\n', 'application/x-ndjson');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'invalid_event',
      message: 'No event was stored: line 1: expected a JSON object, got a string',
    });
    expect(bad.body.error.details.rejected).toEqual([
      { line: 1, reason: 'expected a JSON object, got a string' },
    ]);
    expect(typeof bad.body.error.requestId).toBe('string');
  });

  it('refuses oversized bodies with 413, also after decompression', async () => {
    const big = JSON.stringify({ message: 'x'.repeat(70 * 1024) });
    const res = await post(`${server.url}/api/v1/ingest`, big, 'application/json');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const bomb = gzipSync(Buffer.from(`${JSON.stringify({ message: 'y'.repeat(200 * 1024) })}`));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const unzipped = await post(`${server.url}/api/v1/ingest`, bomb, 'application/json', {
      'content-encoding': 'gzip',
    });
    expect(unzipped.status).toBe(413);
    expect(unzipped.body.error.message).toMatch(/larger than 65536 bytes once decompressed/);
  });

  it('refuses unsupported content types and bad stream names with clear errors', async () => {
    const xml = await post(`${server.url}/api/v1/ingest`, '<a/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.body.error).toMatchObject({
      code: 'unsupported_media_type',
      message:
        'Cannot ingest Content-Type "application/xml": send application/json, application/x-ndjson or text/plain',
    });
    const badStream = await post(`${server.url}/api/v1/ingest?stream=Bad*Name`, '{}', 'application/json');
    expect(badStream.status).toBe(400);
    expect(badStream.body.error.message).toMatch(/Cannot ingest into stream "Bad\*Name"/);
  });

  it('rejects an event with too many fields, naming the limit', async () => {
    const s2 = await startTestServer({ limits: { maxFieldsPerEvent: 5 } });
    try {
      const event = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, i]));
      const res = await post(`${s2.url}/api/v1/ingest`, JSON.stringify(event), 'application/json');
      expect(res.status).toBe(400);
      expect(res.body.error.details.rejected[0].reason).toMatch(/fields/);
    } finally {
      await s2.close();
    }
  });
});
