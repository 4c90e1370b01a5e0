import { afterEach, describe, expect, it } from 'vitest';
import { searchCommand } from './search.js';
import { memoryIo, type RecordingServer, type Reply, startRecordingServer } from './test-support.js';

let server: RecordingServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(answer: (url: URL) => Reply): Promise<string> {
  server = await startRecordingServer((req) => answer(new URL(req.url, 'http://x')));
  return server.url;
}

const HITS = [
  {
    _id: 'a1',
    stream: 'app-logs',
    '@timestamp': '2024-05-01T12:00:03.120Z',
    level: 'ERROR',
    service: 'payment-service',
    message: 'Payment gateway timeout after 10042 ms for order ORD-4412345',
    error: { type: 'org.springframework.web.client.ResourceAccessException' },
  },
  {
    _id: 'a2',
    stream: 'nginx-access',
    '@timestamp': '2024-05-01T12:00:02.000Z',
    service: 'nginx',
    message:
      '10.0.0.1 - - [01/May/2024:12:00:02 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29" 0.002',
  },
  {
    _id: 'a3',
    stream: 'default',
    '@timestamp': '2024-05-01T12:00:01.000Z',
    level: 'WARN',
    service: 'web-app',
    message: 'first line\n  second line',
  },
  { _id: 'a4', stream: 'default', '@timestamp': '2024-05-01T12:00:00.000Z', user_id: 7, action: 'login' },
];

describe('cairn search', () => {
  it('asks for the query and range given and prints a table cut to the terminal width', async () => {
    const url = await serve(() => ({
      json: { hits: HITS, total: { value: 1234, relation: 'eq' }, next_cursor: 'c1', took_ms: 12 },
    }));
    const m = memoryIo({ columns: 100 });
    const code = await searchCommand.run(
      [
        'level:ERROR',
        'AND',
        'service:payment-service',
        '--from',
        'now-1h',
        '--to',
        '2024-05-01T13:00:00Z',
        '--url',
        url,
      ],
      m.io,
    );
    expect(code).toBe(0);
    expect(server!.requests.map((r) => [r.method, r.url])).toEqual([
      [
        'GET',
        '/api/v1/search?q=level%3AERROR+AND+service%3Apayment-service&from=now-1h&to=2024-05-01T13%3A00%3A00Z&limit=50',
      ],
    ]);
    expect(m.stdout()).toBe(
      [
        'TIME                      LEVEL  SERVICE          MESSAGE',
        '2024-05-01T12:00:03.120Z  ERROR  payment-service  Payment gateway timeout after 10042 ms for order…',
        '2024-05-01T12:00:02.000Z         nginx            10.0.0.1 - - [01/May/2024:12:00:02 +0000] "GET /h…',
        '2024-05-01T12:00:01.000Z  WARN   web-app          first line ⏎ second line',
        '2024-05-01T12:00:00.000Z                          user_id=7 action=login',
        '',
      ].join('\n'),
    );
    for (const line of m.stdout().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    // 50 were asked for and 4 came back: there is no next page to fetch.
    expect(m.stderr()).toBe('4 of 1,234 hits (took 12 ms)\n');
  });

  it('uses COLUMNS, else 80 columns, when stdout is not a terminal', async () => {
    const url = await serve(() => ({
      json: { hits: HITS.slice(0, 1), total: { value: 1, relation: 'eq' }, next_cursor: null, took_ms: 1 },
    }));
    const narrow = memoryIo({ env: { COLUMNS: '60' } });
    expect(await searchCommand.run(['--url', url], narrow.io)).toBe(0);
    expect(narrow.stdout().split('\n')[1]).toBe(
      '2024-05-01T12:00:03.120Z  ERROR  payment-service  Payment g…',
    );
    const plain = memoryIo();
    expect(await searchCommand.run(['--url', url], plain.io)).toBe(0);
    expect(plain.stdout().split('\n')[1]).toHaveLength(80);
    expect(server!.requests[0]!.url).toBe('/api/v1/search?limit=50');
  });

  it('prints NDJSON hits with --json and follows next_cursor for limits above a page', async () => {
    const url = await serve((u) => {
      const cursor = u.searchParams.get('cursor');
      const limit = Number(u.searchParams.get('limit'));
      const start = cursor === null ? 0 : Number(cursor);
      const hits = Array.from({ length: limit }, (_, i) => ({
        _id: String(start + i),
        '@timestamp': '2024-05-01T00:00:00.000Z',
      }));
      return {
        json: {
          hits,
          total: { value: 10_000, relation: 'gte' },
          next_cursor: String(start + limit),
          took_ms: 2,
        },
      };
    });
    const m = memoryIo();
    expect(await searchCommand.run(['*', '--json', '--limit', '2500', '--url', url], m.io)).toBe(0);
    expect(server!.requests.map((r) => r.url)).toEqual([
      '/api/v1/search?q=*&limit=1000',
      '/api/v1/search?q=*&limit=1000&cursor=1000',
      '/api/v1/search?q=*&limit=500&cursor=2000',
    ]);
    const lines = m.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(2500);
    expect(lines[0]).toBe('{"_id":"0","@timestamp":"2024-05-01T00:00:00.000Z"}');
    expect(lines[2499]).toBe('{"_id":"2499","@timestamp":"2024-05-01T00:00:00.000Z"}');
    expect(m.stderr()).toBe('2,500 of 10,000+ hits (took 6 ms)\n');
  });

  it("shows the server's query error with its caret and exits 1", async () => {
    const message = 'line 1, col 7: expected a value after ":"\n  level: AND x\n        ^';
    const url = await serve(() => ({
      status: 400,
      json: {
        error: { code: 'invalid_query', message, details: { expected: ['value'] }, requestId: 'req-3' },
      },
    }));
    const m = memoryIo();
    expect(await searchCommand.run(['level:', 'AND', 'x', '--url', url], m.io)).toBe(1);
    expect(m.stdout()).toBe('');
    expect(m.stderr()).toBe(
      'cairn search: line 1, col 7: expected a value after ":"\n  level: AND x\n        ^\n(HTTP 400 invalid_query, request id req-3)\n',
    );
  });

  it('says when nothing matched and how to widen the range', async () => {
    const url = await serve(() => ({
      json: { hits: [], total: { value: 0, relation: 'eq' }, next_cursor: null, took_ms: 3 },
    }));
    const m = memoryIo();
    expect(await searchCommand.run(['service:nope', '--url', url], m.io)).toBe(0);
    expect(m.stdout()).toBe('');
    expect(m.stderr()).toBe(
      'No hits (took 3 ms). Only the last 15 minutes were searched; widen the range with --from now-24h.\n',
    );
  });

  it('passes --sort and --stream through', async () => {
    const url = await serve(() => ({
      json: { hits: [], total: { value: 0, relation: 'eq' }, next_cursor: null, took_ms: 0 },
    }));
    const m = memoryIo();
    await searchCommand.run(
      ['--sort', '@timestamp:asc', '--stream', 'app-logs,nginx-access', '--from', 'now-1d', '--url', url],
      m.io,
    );
    expect(server!.requests[0]!.url).toBe(
      '/api/v1/search?from=now-1d&limit=50&sort=%40timestamp%3Aasc&stream=app-logs%2Cnginx-access',
    );
    expect(m.stderr()).toBe('No hits (took 0 ms).\n');
  });

  it('prints usage for --help and rejects unknown options and bad limits with exit 2', async () => {
    const help = memoryIo();
    expect(await searchCommand.run(['-h'], help.io)).toBe(0);
    expect(help.stdout()).toBe(searchCommand.usage);
    const unknown = memoryIo();
    expect(await searchCommand.run(['--colour'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toBe(
      'cairn search: Unknown option "--colour"\nRun "cairn search --help" for usage.\n',
    );
    const limit = memoryIo();
    expect(await searchCommand.run(['--limit', 'ten'], limit.io)).toBe(2);
    expect(limit.stderr()).toBe(
      'cairn search: Option --limit must be a whole number of at least 1, got "ten"\nRun "cairn search --help" for usage.\n',
    );
  });

  it('says when the server cannot be reached', async () => {
    const url = await serve(() => ({}));
    await server!.close();
    server = undefined;
    const m = memoryIo();
    expect(await searchCommand.run(['--url', url], m.io)).toBe(1);
    expect(m.stderr()).toBe(
      `cairn search: Cannot reach the Cairn server at ${url}: connect ECONNREFUSED 127.0.0.1:${new URL(url).port}\n`,
    );
  });
});
