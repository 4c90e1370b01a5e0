import { afterEach, describe, expect, it } from 'vitest';
import { searchCommand } from './search.js';
import { formatResultTable } from './search-table.js';
import { memoryIo, type RecordingServer, startRecordingServer } from './test-support.js';

let server: RecordingServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TABLE = {
  columns: [
    { name: 'service', type: 'string' },
    { name: 'count', type: 'number' },
    { name: 'avg(rt)', type: 'number' },
    { name: 'values(tags)', type: 'string[]' },
  ],
  rows: [
    ['api', 1234, 12.345678, ['eu', 'prod']],
    ['payment-service', 7, null, []],
  ],
  truncated: false,
  took_ms: 9,
};

async function serve(json: unknown): Promise<string> {
  server = await startRecordingServer(() => ({ json }));
  return server.url;
}

describe('cairn search with pipes', () => {
  it('prints a table result with numbers right-aligned and lists joined', async () => {
    const url = await serve(TABLE);
    const m = memoryIo({ columns: 100 });
    const code = await searchCommand.run(
      ['level:ERROR', '|', 'stats', 'count()', 'by', 'service', '--url', url],
      m.io,
    );
    expect(code).toBe(0);
    expect(server!.requests[0]!.url).toBe(
      '/api/v1/search?q=level%3AERROR+%7C+stats+count%28%29+by+service&limit=50',
    );
    expect(m.stdout()).toBe(
      [
        'service          count  avg(rt)  values(tags)',
        'api               1234  12.3457  eu, prod',
        'payment-service      7',
        '',
      ].join('\n'),
    );
    expect(m.stderr()).toBe('2 rows (took 9 ms)\n');
  });

  it('prints rows as NDJSON objects with --json and says when the table was cut', async () => {
    const url = await serve({ ...TABLE, rows: TABLE.rows.slice(0, 1), truncated: true });
    const m = memoryIo();
    expect(
      await searchCommand.run(['| stats count() by service', '--json', '--limit', '1', '--url', url], m.io),
    ).toBe(0);
    expect(m.stdout()).toBe(
      '{"service":"api","count":1234,"avg(rt)":12.345678,"values(tags)":["eu","prod"]}\n',
    );
    expect(m.stderr()).toBe(
      '1 row, more matched (took 9 ms); raise --limit or narrow the query to see the rest\n',
    );
  });

  it('prints nothing but the footer for an empty table', async () => {
    const url = await serve({
      columns: [{ name: 'count', type: 'number' }],
      rows: [],
      truncated: false,
      took_ms: 1,
    });
    const m = memoryIo();
    expect(await searchCommand.run(['| head 0', '--url', url], m.io)).toBe(0);
    expect(m.stdout()).toBe('');
    expect(m.stderr()).toBe('0 rows (took 1 ms)\n');
  });

  it('narrows the message column to the terminal width', () => {
    const out = formatResultTable(
      {
        columns: [
          { name: '@timestamp', type: 'timestamp' },
          { name: 'message', type: 'string' },
          { name: 'status', type: 'number' },
        ],
        rows: [['2024-05-01T00:00:00.000Z', 'x'.repeat(200), 500]],
        truncated: false,
      },
      60,
    );
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(`@timestamp                ${'message'.padEnd(26)}  status`);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines[1]).toMatch(/x…\s+500$/);
  });
});
