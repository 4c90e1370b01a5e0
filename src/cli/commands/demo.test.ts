import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDemoGenerator,
  type DemoEvent,
  demoEventKind,
  generateWindow,
  normalizeSeed,
} from '../../demo/index.js';
import { createDemoCommand, formatDuration, parseDuration } from './demo.js';
import {
  fakeClock,
  memoryIo,
  type RecordingServer,
  type Reply,
  startRecordingServer,
} from './test-support.js';

/** 2024-05-01T00:05:00Z: seed 1 has a payment-service error burst from 00:03 to 00:13. */
const T0 = Date.UTC(2024, 4, 1, 0, 5);

let server: RecordingServer;
let clock: ReturnType<typeof fakeClock>;
let replies: Array<(text: string) => Reply>;
let onRequest: (index: number) => void;

/** Answers like Elasticsearch's _bulk: one item per action, all created. */
function created(text: string): Reply {
  const actions = text
    .split('\n')
    .filter((_, i) => i % 2 === 0)
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { create: { _index: string } });
  return {
    json: {
      took: 1,
      errors: false,
      items: actions.map((a) => ({ create: { _index: a.create._index, status: 201, result: 'created' } })),
    },
  };
}

beforeEach(async () => {
  clock = fakeClock(T0);
  replies = [];
  onRequest = () => {};
  server = await startRecordingServer((req, index) => {
    // A bulk request takes 100 ms of the fake clock.
    clock.advance(100);
    onRequest(index);
    return (replies.shift() ?? created)(req.text);
  });
});

afterEach(async () => {
  await server.close();
});

function run(args: string[]) {
  const m = memoryIo();
  const command = createDemoCommand({ deps: clock, random: () => 0.123456 });
  return { m, done: command.run([...args, '--url', server.url], m.io) };
}

/** The events of each bulk request, checking that every action names the right index for its event. */
function sentBatches(streams = { application: 'app-logs', nginx: 'nginx-access' }): DemoEvent[][] {
  return server.requests.map((req) => {
    expect([req.method, req.url, req.headers['content-type']]).toEqual([
      'POST',
      '/_bulk',
      'application/x-ndjson',
    ]);
    const lines = req.text.trimEnd().split('\n');
    const events: DemoEvent[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const event = JSON.parse(lines[i + 1]!) as DemoEvent;
      expect(JSON.parse(lines[i]!)).toEqual({ create: { _index: streams[demoEventKind(event)] } });
      events.push(event);
    }
    return events;
  });
}

const split = (events: DemoEvent[]) => ({
  app: events.filter((e) => demoEventKind(e) === 'application').length,
  nginx: events.filter((e) => demoEventKind(e) === 'nginx').length,
});

describe('cairn demo', () => {
  it('sends events live at the rate asked for, one bulk request per second, for the duration', async () => {
    const { m, done } = run(['--rate', '10', '--duration', '3s', '--seed', '1']);
    expect(await done).toBe(0);
    const expected = createDemoGenerator({
      seed: normalizeSeed(1) + 1,
      incidentSeed: 1,
      startUs: T0 * 1000,
      rate: 10,
    }).takeUntil((T0 + 3000) * 1000);
    expect(expected).toHaveLength(30);
    const batches = sentBatches();
    expect(batches.map((b) => b.length)).toEqual([10, 10, 10]);
    expect(batches.flat()).toEqual(expected);
    // Waits top up each second to the next tick: the 100 ms a request took is not waited again.
    expect(clock.sleeps).toEqual([1000, 900, 900]);
    const { app, nginx } = split(expected);
    expect(m.stderr()).toBe(
      [
        `cairn demo: seed 1, sending to ${server.url}/_bulk (streams app-logs and nginx-access); live at 10 events/s for 3.0s`,
        `cairn demo: done: 30 events sent (${app} app-logs, ${nginx} nginx-access) in 3.1s, 0 rejected`,
        '',
      ].join('\n'),
    );
  });

  it('backfills history in batches first, then continues live without a gap', async () => {
    const { m, done } = run([
      '--backfill',
      '1h',
      '--events',
      '7',
      '--batch',
      '3',
      '--duration',
      '1s',
      '--rate',
      '2',
      '--seed',
      'demo',
      '--stream-app',
      'apps',
      '--stream-access',
      'web',
    ]);
    expect(await done).toBe(0);
    const history = [
      ...generateWindow({ seed: 'demo', fromUs: (T0 - 3_600_000) * 1000, toUs: T0 * 1000, count: 7 }),
    ];
    const batches = sentBatches({ application: 'apps', nginx: 'web' });
    expect(batches.slice(0, 3).map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.slice(0, 3).flat()).toEqual(history);
    // The live part starts where the history ended (T0), and catches up to the clock at once.
    const live = createDemoGenerator({
      seed: normalizeSeed('demo') + 1,
      incidentSeed: 'demo',
      startUs: T0 * 1000,
      rate: 2,
    }).takeUntil((T0 + 300) * 1000 + 1_000_000);
    expect(batches.slice(3).flat()).toEqual(live);
    const all = [...history, ...live];
    const { app, nginx } = split(all);
    expect(m.stderr()).toBe(
      [
        `cairn demo: seed demo, sending to ${server.url}/_bulk (streams apps and web); live at 2 events/s for 1.0s`,
        'cairn demo: backfilling 7 events over the last 1h',
        'cairn demo: backfill done: 7 events in 0.3s (23 events/s), 0 rejected',
        `cairn demo: done: ${all.length} events sent (${app} apps, ${nginx} web) in ${formatDuration(clock.now() - T0)}, 0 rejected`,
        '',
      ].join('\n'),
    );
  });

  it('prints a status line every 10 s, naming the incident that is on', async () => {
    const { m, done } = run(['--rate', '1', '--duration', '25s', '--seed', '1']);
    expect(await done).toBe(0);
    const lines = m.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^cairn demo: 10 events sent \(\d+ app-logs, \d+ nginx-access\), live 1\.0 events\/s, 0 rejected; error burst in payment-service until 00:13 UTC$/,
    );
    expect(lines[2]).toMatch(
      /^cairn demo: 20 events sent \(\d+ app-logs, \d+ nginx-access\), live 1\.0 events\/s, 0 rejected; error burst/,
    );
    expect(lines[3]).toMatch(
      /^cairn demo: done: 25 events sent \(\d+ app-logs, \d+ nginx-access\) in 25s, 0 rejected$/,
    );
  });

  it('honours Retry-After on 429 and reports events the server rejected', async () => {
    replies.push(
      () => ({
        status: 429,
        headers: { 'retry-after': '2' },
        json: { error: { type: 'es_rejected_execution_exception', reason: 'busy' }, status: 429 },
      }),
      (text) => {
        const reply = created(text) as {
          json: { errors: boolean; items: Array<{ create: Record<string, unknown> }> };
        };
        reply.json.errors = true;
        reply.json.items[1]!.create = {
          _index: 'app-logs',
          status: 400,
          error: {
            type: 'document_parsing_exception',
            reason: 'field [user_id] cannot be a number and a string',
          },
        };
        return reply;
      },
    );
    const { m, done } = run(['--backfill', '10m', '--events', '4', '--duration', '0', '--seed', '3']);
    expect(await done).toBe(1);
    const events = sentBatches()[0]!;
    const stored = split(events.filter((_, i) => i !== 1));
    expect(clock.sleeps).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.text).toBe(server.requests[1]!.text);
    expect(m.stderr()).toBe(
      [
        `cairn demo: seed 3, sending to ${server.url}/_bulk (streams app-logs and nginx-access)`,
        'cairn demo: backfilling 4 events over the last 10m',
        'cairn demo: the server is busy (HTTP 429, Retry-After); retrying in 2 s',
        'cairn demo: backfill done: 3 events in 2.2s (1 events/s), 1 rejected',
        `cairn demo: done: 3 events sent (${stored.app} app-logs, ${stored.nginx} nginx-access) in 2.2s, 1 rejected`,
        '  400: field [user_id] cannot be a number and a string',
        '',
      ].join('\n'),
    );
  });

  it('stops cleanly on Ctrl-C', async () => {
    const { m, done } = run(['--rate', '5', '--seed', '1']);
    onRequest = (index) => {
      if (index === 1) m.interrupt();
    };
    expect(await done).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(m.stderr()).toMatch(
      /\ncairn demo: stopped: 5 events sent \(\d+ app-logs, \d+ nginx-access\) in 2\.\ds, 0 rejected\n$/,
    );
  });

  it("stops at a server failure and prints the server's message", async () => {
    replies.push(() => ({
      status: 400,
      json: {
        error: { root_cause: [], type: 'illegal_argument_exception', reason: 'Invalid index name [Apps]' },
        status: 400,
      },
    }));
    const { m, done } = run(['--rate', '5', '--duration', '10s', '--seed', '1', '--stream-app', 'Apps']);
    expect(await done).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(m.stderr().split('\n').slice(1)).toEqual([
      'cairn demo: 0 events were sent before the failure.',
      'cairn demo: Invalid index name [Apps]',
      '(HTTP 400 illegal_argument_exception)',
      '',
    ]);
  });

  it('prints usage for --help and rejects bad options with exit 2', async () => {
    const help = run(['--help']);
    expect(await help.done).toBe(0);
    expect(help.m.stdout()).toMatch(/^Usage: cairn demo \[options\]\n/);
    const cases: Array<[string[], string]> = [
      [['--speed', '3'], 'Unknown option "--speed"'],
      [['--duration', 'soon'], 'Option --duration must be a duration such as 30s, 5m, 1h or 2d, got "soon"'],
      [['--rate', '0'], 'Option --rate must be a positive number, got "0"'],
      [['--events', '100'], 'Option --events needs --backfill: it is the number of events in the history'],
      [['now'], 'Unexpected argument "now": cairn demo takes options only'],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(await r.done).toBe(2);
      expect(r.m.stderr()).toBe(`cairn demo: ${message}\nRun "cairn demo --help" for usage.\n`);
    }
    expect(server.requests).toEqual([]);
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['250ms', 250],
    ['45', 45_000],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration('--duration', text)).toBe(ms);
  });

  it.each([
    [300, '0.3s'],
    [25_000, '25s'],
    [3_600_000, '1h'],
    [5_430_000, '1h 30m 30s'],
    [90_000_000, '1d 1h'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
