import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, post, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ store: { refreshIntervalMs: 200 } });
});
afterAll(() => server.close());

interface Frame {
  event: string;
  data: { hits?: Array<Record<string, unknown>>; error?: { code: string; message: string } };
}

/** Reads SSE frames from /api/v1/tail until `until` holds for the frames so far. */
async function readTail(query: string, until: (frames: Frame[]) => boolean, onOpen?: () => Promise<void>) {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/v1/tail?${query}`, { signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: Frame[] = [];
  let buffer = '';
  const timeout = setTimeout(() => controller.abort(), 15_000);
  let opened = false;
  try {
    while (!until(frames)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) frames.push({ event, data: JSON.parse(data) });
      }
      if (!opened && frames.length > 0) {
        opened = true;
        await onOpen?.();
      }
    }
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
  return frames;
}

const ingest = (events: object[]) =>
  post(
    `${server.url}/api/v1/ingest?stream=tail&refresh=wait_for`,
    events.map((e) => JSON.stringify(e)).join('\n'),
  );

describe('GET /api/v1/tail', () => {
  it('streams new matching events, and only those', async () => {
    await ingest([{ message: 'before the tail', level: 'error', service: 'api' }]);
    const frames = await readTail(
      new URLSearchParams({ q: 'service:api AND level:ERROR' }).toString(),
      (fs) => fs.some((f) => f.data.hits?.some((h) => h['message'] === 'tail me')),
      async () => {
        await ingest([
          { message: 'not an error', level: 'info', service: 'api' },
          { message: 'tail me', level: 'error', service: 'api' },
        ]);
      },
    );
    const messages = frames.flatMap((f) => f.data.hits ?? []).map((h) => h['message']);
    expect(messages).toEqual(['tail me']);
  });

  it('sends the newest events first when asked for a backlog, oldest first', async () => {
    await ingest(
      [1, 2, 3].map((i) => ({
        message: `backlog ${i}`,
        service: 'backlog',
        '@timestamp': new Date(Date.now() - (4 - i) * 1000).toISOString(),
      })),
    );
    const frames = await readTail('q=service:backlog&backlog=2', (fs) => fs.length > 0);
    expect(frames[0]!.data.hits!.map((h) => h['message'])).toEqual(['backlog 2', 'backlog 3']);
  });

  it('answers a bad query with the error of the query language, before streaming', async () => {
    const res = await getJson(`${server.url}/api/v1/tail?q=level:ERROR%20AND`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
    expect(res.body.error.message).toMatch(/expected a clause after 'AND'/);
    const pipes = await getJson(`${server.url}/api/v1/tail?q=${encodeURIComponent('| stats count()')}`);
    expect(pipes.status).toBe(400);
    expect(pipes.body.error.message).toMatch(/Cannot tail a query with pipe commands/);
  });
});
