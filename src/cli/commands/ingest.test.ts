import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIngestCommand, retryAfterMs, serverErrorMessage, toNdjsonLine } from './ingest.js';
import {
  fakeClock,
  memoryIo,
  type RecordingServer,
  type Reply,
  startRecordingServer,
} from './test-support.js';

let server: RecordingServer;
let replies: Array<(body: string) => Reply>;
let clock: ReturnType<typeof fakeClock>;

/** Answers per the contract: every line accepted, unless the test queued other replies. */
function accept(text: string): Reply {
  return { json: { accepted: text.split('\n').filter(Boolean).length, rejected: [], took_ms: 3 } };
}

beforeEach(async () => {
  replies = [];
  clock = fakeClock();
  server = await startRecordingServer((req) => {
    // Each request takes 500 ms of the fake clock, so rates in the summary are exact.
    clock.advance(500);
    const next = replies.shift() ?? accept;
    return next(req.text);
  });
});

afterEach(async () => {
  await server.close();
});

function run(args: string[], options: Parameters<typeof memoryIo>[0] = {}) {
  const m = memoryIo(options);
  const command = createIngestCommand({ deps: clock, idleFlushMs: 20 });
  return { m, done: command.run(args, m.io) };
}

describe('cairn ingest', () => {
  it('sends JSON lines as they are and wraps text lines, in batches, to the stream asked for', async () => {
    const stdin = [
      '{"level":"INFO","message":"started"}',
      'plain text line',
      '',
      '  {"nested":{"a":1}}',
      '[1,2]',
      '{not json',
      '\t',
      'last line',
    ].join('\n');
    const { m, done } = run(['--url', server.url, '--stream', 'app-logs', '--batch', '2'], { stdin });
    expect(await done).toBe(0);
    expect(server.requests.map((r) => [r.method, r.url, r.headers['content-type']])).toEqual([
      ['POST', '/api/v1/ingest?stream=app-logs', 'application/x-ndjson'],
      ['POST', '/api/v1/ingest?stream=app-logs', 'application/x-ndjson'],
      ['POST', '/api/v1/ingest?stream=app-logs', 'application/x-ndjson'],
    ]);
    expect(server.requests.map((r) => r.text)).toEqual([
      '{"level":"INFO","message":"started"}\n{"message":"plain text line"}\n',
      '  {"nested":{"a":1}}\n{"message":"[1,2]"}\n',
      '{"message":"{not json"}\n{"message":"last line"}\n',
    ]);
    expect(server.requests[0]!.headers['content-encoding']).toBeUndefined();
    expect(m.stderr()).toBe(
      'Stream "app-logs": 6 of 6 lines accepted, 0 rejected, in 3 requests (1.5 s, 4 events/s)\n',
    );
    expect(m.stdout()).toBe('');
  });

  it('lists rejected lines by their line number in the input and exits 1', async () => {
    replies.push(
      () => ({
        json: {
          accepted: 2,
          rejected: [{ line: 2, reason: 'expected a JSON object, got a number' }],
          rejected_count: 1,
          took_ms: 1,
        },
      }),
      // A batch where nothing could be stored: the server answers 400 and lists the lines.
      () => ({
        status: 400,
        json: {
          error: {
            code: 'invalid_event',
            message: 'No event was stored: line 1: field "@timestamp": cannot parse "yesterday"',
            details: {
              rejected: [
                { line: 1, reason: 'field "@timestamp": cannot parse "yesterday"' },
                { line: 2, reason: 'field "@timestamp": cannot parse "today"' },
                { line: 3, reason: 'field "@timestamp": cannot parse "tomorrow"' },
              ],
              rejectedCount: 3,
            },
            requestId: 'req-2',
          },
        },
      }),
    );
    const stdin =
      '{"a":1}\n\n7\n{"b":2}\n{"@timestamp":"yesterday"}\n{"@timestamp":"today"}\n{"@timestamp":"tomorrow"}\n';
    const { m, done } = run(['--url', server.url, '--batch', '3', '--format', 'json'], { stdin });
    expect(await done).toBe(1);
    expect(server.requests.map((r) => r.text)).toEqual([
      '{"a":1}\n7\n{"b":2}\n',
      '{"@timestamp":"yesterday"}\n{"@timestamp":"today"}\n{"@timestamp":"tomorrow"}\n',
    ]);
    expect(m.stderr()).toBe(
      [
        'Stream "default": 2 of 6 lines accepted, 4 rejected, in 2 requests (1.0 s, 2 events/s)',
        '  line 3: expected a JSON object, got a number',
        '  line 5: field "@timestamp": cannot parse "yesterday"',
        '  line 6: field "@timestamp": cannot parse "today"',
        '  line 7: field "@timestamp": cannot parse "tomorrow"',
        '',
      ].join('\n'),
    );
  });

  it('waits as long as Retry-After says on 429, backs off on 503, then sends the same batch again', async () => {
    replies.push(
      () => ({
        status: 429,
        headers: { 'retry-after': '3' },
        json: { error: { code: 'too_many_requests', message: 'busy' } },
      }),
      () => ({ status: 503, json: { error: { code: 'store_unavailable', message: 'restarting' } } }),
    );
    const { m, done } = run(['--url', server.url], { stdin: '{"a":1}\nhello\n' });
    expect(await done).toBe(0);
    expect(clock.sleeps).toEqual([3000, 1000]);
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.text))).toEqual(new Set(['{"a":1}\n{"message":"hello"}\n']));
    expect(m.stderr()).toBe(
      [
        'cairn ingest: the server is busy (HTTP 429, Retry-After); retrying in 3 s (attempt 2 of 10)',
        'cairn ingest: the server is busy (HTTP 503); retrying in 1 s (attempt 3 of 10)',
        'Stream "default": 2 of 2 lines accepted, 0 rejected, in 1 request (5.5 s, 0 events/s)',
        '',
      ].join('\n'),
    );
  });

  it("stops at the first server failure and prints the server's message", async () => {
    replies.push(
      (text) => accept(text),
      () => ({
        status: 413,
        json: {
          error: {
            code: 'payload_too_large',
            message: 'The request body is too large: send smaller batches or raise limits.maxBodyBytes',
            details: {},
            requestId: 'req-9',
          },
        },
      }),
    );
    const stdin = Array.from({ length: 7 }, (_, i) => `line ${i + 1}`).join('\n');
    const { m, done } = run(['--url', server.url, '--batch', '2', '--stream', 'big'], { stdin });
    expect(await done).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(m.stderr()).toBe(
      [
        'Stream "big": 2 of 4 lines accepted, 0 rejected, in 2 requests (1.0 s, 2 events/s)',
        'cairn ingest: The request body is too large: send smaller batches or raise limits.maxBodyBytes',
        '(HTTP 413 payload_too_large, request id req-9)',
        '',
      ].join('\n'),
    );
  });

  it('compresses bodies with --gzip', async () => {
    const { done } = run(['--url', server.url, '--gzip'], { stdin: 'one\ntwo\n' });
    expect(await done).toBe(0);
    const [req] = server.requests;
    expect(req!.headers['content-encoding']).toBe('gzip');
    expect(req!.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(req!.text).toBe('{"message":"one"}\n{"message":"two"}\n');
  });

  it('reads a file, a gzipped file, and says clearly when the file is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-ingest-'));
    try {
      await writeFile(join(dir, 'app.ndjson'), '{"n":1}\r\n{"n":2}\r\n');
      await writeFile(join(dir, 'old.log.gz'), gzipSync('rotated line\n'));
      const plain = run([join(dir, 'app.ndjson'), '--url', server.url]);
      expect(await plain.done).toBe(0);
      const zipped = run([join(dir, 'old.log.gz'), '--url', server.url, '--format', 'text']);
      expect(await zipped.done).toBe(0);
      expect(server.requests.map((r) => r.text)).toEqual([
        '{"n":1}\n{"n":2}\n',
        '{"message":"rotated line"}\n',
      ]);
      const missing = run([join(dir, 'nope.ndjson'), '--url', server.url]);
      expect(await missing.done).toBe(1);
      expect(missing.m.stderr()).toBe(
        `cairn ingest: Cannot read "${join(dir, 'nope.ndjson')}": no such file\n`,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('sends a partial batch when the input goes quiet (tail -f)', async () => {
    const stdin = new PassThrough();
    const { done } = run(['--url', server.url, '--stream', 'live'], { stdin });
    stdin.write('first\nsecond\n');
    for (let i = 0; i < 1000 && server.requests.length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(server.requests.map((r) => r.text)).toEqual(['{"message":"first"}\n{"message":"second"}\n']);
    stdin.end('third\n');
    expect(await done).toBe(0);
    expect(server.requests.map((r) => r.text)).toEqual([
      '{"message":"first"}\n{"message":"second"}\n',
      '{"message":"third"}\n',
    ]);
  });

  it('uses CAIRN_URL when --url is not given', async () => {
    const { done } = run([], { stdin: 'x\n', env: { CAIRN_URL: `${server.url}/` } });
    expect(await done).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v1/ingest?stream=default']);
  });

  it('says when the server cannot be reached', async () => {
    const url = server.url;
    await server.close();
    const { m, done } = run(['--url', url], { stdin: 'x\n' });
    expect(await done).toBe(1);
    const port = new URL(url).port;
    expect(m.stderr()).toBe(
      [
        'Stream "default": 0 of 1 lines accepted, 0 rejected, in 1 request (0.0 s, 0 events/s)',
        `cairn ingest: Cannot reach the Cairn server at ${url}: connect ECONNREFUSED 127.0.0.1:${port}`,
        '',
      ].join('\n'),
    );
    server = await startRecordingServer(() => ({}));
  });

  it('prints usage for --help and rejects unknown or bad options with exit 2', async () => {
    const help = run(['--help']);
    expect(await help.done).toBe(0);
    expect(help.m.stdout()).toMatch(/^Usage: cairn ingest \[FILE\|-\] \[options\]\n/);
    const unknown = run(['--nope']);
    expect(await unknown.done).toBe(2);
    expect(unknown.m.stderr()).toBe(
      'cairn ingest: Unknown option "--nope"\nRun "cairn ingest --help" for usage.\n',
    );
    const batch = run(['--batch', '0']);
    expect(await batch.done).toBe(2);
    expect(batch.m.stderr()).toBe(
      'cairn ingest: Option --batch must be a whole number of lines of at least 1, got "0"\nRun "cairn ingest --help" for usage.\n',
    );
    const format = run(['--format', 'xml']);
    expect(await format.done).toBe(2);
    expect(format.m.stderr()).toMatch(
      /^cairn ingest: Option --format must be auto, json or text, got "xml"\n/,
    );
    expect(server.requests).toEqual([]);
  });
});

describe('toNdjsonLine', () => {
  it.each([
    ['{"a":1}', 'auto', '{"a":1}'],
    ['{"a":', 'auto', '{"message":"{\\"a\\":"}'],
    ['"str"', 'auto', '{"message":"\\"str\\""}'],
    ['null', 'auto', '{"message":"null"}'],
    ['{"a":1}', 'text', '{"message":"{\\"a\\":1}"}'],
    ['whatever', 'json', 'whatever'],
  ] as const)('%s (%s) → %s', (line, format, expected) => {
    expect(toNdjsonLine(line, format)).toBe(expected);
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates, and ignores junk', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('86400', now)).toBe(120_000);
  });
});

describe('serverErrorMessage', () => {
  it("renders Cairn's and Elasticsearch's error shapes and anything else", () => {
    expect(
      serverErrorMessage(400, { error: { code: 'bad_request', message: 'Nope', requestId: 'r1' } }, ''),
    ).toBe('Nope\n(HTTP 400 bad_request, request id r1)');
    expect(
      serverErrorMessage(
        429,
        { error: { type: 'es_rejected_execution_exception', reason: 'busy' }, status: 429 },
        '',
      ),
    ).toBe('busy\n(HTTP 429 es_rejected_execution_exception)');
    expect(serverErrorMessage(502, undefined, '<html>Bad Gateway</html>')).toBe(
      'The server answered HTTP 502: <html>Bad Gateway</html>',
    );
    expect(serverErrorMessage(500, undefined, '')).toBe('The server answered HTTP 500 with an empty body');
  });
});
