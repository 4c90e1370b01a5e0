import { parseArgs } from 'node:util';
import {
  createDemoGenerator,
  type DemoEvent,
  demoEventKind,
  generateWindow,
  incidentsBetween,
  normalizeSeed,
} from '../../demo/index.js';
import { type CliIo, type Command, serverUrl } from '../command.js';
import { formatCount } from '../format-table.js';
import { type ClientDeps, postWithRetry, serverErrorMessage, usageError } from './ingest.js';

const usage = `Usage: cairn demo [options]

Generates the logs of a small online shop and sends them to a Cairn server through its Elasticsearch
bulk API (/_bulk): application logs of seven services (web-app, api-server, auth-service,
payment-service, database, cache, notification-service; Java and Python stack traces on errors) and
nginx access logs. About every other hour a service has an error burst or a slow spell; the status
line says when one is on.

Options:
  --rate N               Events per second (default: 50)
  --duration D           How long to send live events: 30s, 5m, 1h, 0 for none (default: until Ctrl-C)
  --backfill D           First send D of history ending now (e.g. 24h), as fast as the server takes it
  --events N             Events in the backfill (default: rate × D, at most 1,000,000)
  --seed S               Same seed, same logs (default: a random seed, printed at the start)
  --stream-app NAME      Stream (index) of the application logs (default: app-logs)
  --stream-access NAME   Stream (index) of the nginx access logs (default: nginx-access)
  --batch N              Most events per bulk request (default: 5000)
  --gzip                 Compress request bodies
  --url URL              Server to send to (default: $CAIRN_URL, else http://localhost:9280)
  -h, --help             Show this help

Examples:
  cairn demo                                   50 events/s until Ctrl-C
  cairn demo --backfill 24h --events 100000    a day of history, then live events
  cairn demo --backfill 7d --duration 0        only history, then exit

Exit status: 0 when stopped by --duration or Ctrl-C, 1 when the server failed or rejected events,
2 on bad usage.
`;

const TICK_MS = 1000;
const STATUS_EVERY_MS = 10_000;
const MAX_DEFAULT_BACKFILL = 1_000_000;
const SHOWN_REASONS = 3;

/** Time and waiting: `now()` is wall-clock milliseconds here, since it stamps the events. */
export type DemoDeps = ClientDeps;

const systemDemoDeps: DemoDeps = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

export function createDemoCommand(options: { deps?: DemoDeps; random?: () => number } = {}): Command {
  const deps = options.deps ?? systemDemoDeps;
  const random = options.random ?? Math.random;
  return {
    name: 'demo',
    summary: 'Send realistic demo logs (apps + nginx, with incidents), live and as history',
    usage,
    run: (args, io) => runDemo(args, io, deps, random),
  };
}

export const demoCommand: Command = createDemoCommand();

interface Options {
  rate: number;
  durationMs: number | null;
  backfillMs: number | null;
  /** As typed, for messages: "24h" reads better than "1d". */
  backfillText: string;
  events: number | null;
  seed: string;
  appStream: string;
  accessStream: string;
  batch: number;
  gzip: boolean;
  url: string | undefined;
}

interface Totals {
  app: number;
  access: number;
  rejected: number;
  reasons: string[];
}

async function runDemo(args: string[], io: CliIo, deps: DemoDeps, random: () => number): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parse(args, random);
  } catch (err) {
    io.stderr.write(usageError('demo', err));
    return 2;
  }
  if (opts === 'help') {
    io.stdout.write(usage);
    return 0;
  }
  const o = opts;
  const endpoint = `${serverUrl(o.url, io.env)}/_bulk`;
  const seedNumber = normalizeSeed(/^\d+$/.test(o.seed) ? Number(o.seed) : o.seed);
  const actions: Record<'application' | 'nginx', string> = {
    application: JSON.stringify({ create: { _index: o.appStream } }),
    nginx: JSON.stringify({ create: { _index: o.accessStream } }),
  };
  const totals: Totals = { app: 0, access: 0, rejected: 0, reasons: [] };
  const say = (line: string) => io.stderr.write(`cairn demo: ${line}\n`);

  /** Sends one bulk request; returns the failure that ends the run, if any. */
  const send = async (events: DemoEvent[]): Promise<string | null> => {
    let body = '';
    for (const e of events) body += `${actions[demoEventKind(e)]}\n${JSON.stringify(e)}\n`;
    const outcome = await postWithRetry({
      url: endpoint,
      body,
      contentType: 'application/x-ndjson',
      gzip: o.gzip,
      signal: io.signal,
      deps,
      onRetry: (n) => say(`${n.reason}; retrying in ${Math.round(n.delayMs / 100) / 10} s`),
    });
    if (outcome.kind === 'aborted') return null;
    if (outcome.kind === 'unreachable') return outcome.message;
    if (outcome.status !== 200) return serverErrorMessage(outcome.status, outcome.body, outcome.text);
    countBulkResult(events, outcome.body, totals);
    return null;
  };

  const startMs = deps.now();
  let liveFromUs = startMs * 1000;
  say(
    `seed ${o.seed}, sending to ${endpoint} (streams ${o.appStream} and ${o.accessStream})` +
      (o.durationMs === 0
        ? ''
        : `; live at ${formatCount(o.rate)} events/s ${o.durationMs === null ? 'until Ctrl-C' : `for ${formatDuration(o.durationMs)}`}`),
  );

  if (o.backfillMs !== null) {
    const count = o.events ?? Math.min(Math.round((o.rate * o.backfillMs) / 1000), MAX_DEFAULT_BACKFILL);
    const fromUs = liveFromUs - o.backfillMs * 1000;
    say(`backfilling ${formatCount(count)} events over the last ${o.backfillText}`);
    const failure = await backfill({
      count,
      fromUs,
      toUs: liveFromUs,
      seed: seedNumber,
      batch: o.batch,
      send,
      io,
      deps,
      say,
      totals,
    });
    if (failure !== null) return fail(io, totals, failure);
    const took = Math.max(deps.now() - startMs, 1);
    say(
      `backfill done: ${formatCount(totals.app + totals.access)} events in ${formatDuration(took)} (${formatCount(((totals.app + totals.access) * 1000) / took)} events/s), ${formatCount(totals.rejected)} rejected`,
    );
  }

  if (o.durationMs !== 0 && !io.signal.aborted) {
    // Live events continue where the backfill stopped, so the history has no gap.
    const generator = createDemoGenerator({
      seed: seedNumber + 1,
      incidentSeed: seedNumber,
      startUs: liveFromUs,
      rate: o.rate,
    });
    const liveStart = deps.now();
    const deadline = o.durationMs === null ? Number.POSITIVE_INFINITY : liveStart + o.durationMs;
    const liveTotals = { sent: 0, since: liveStart };
    let nextStatus = liveStart + STATUS_EVERY_MS;
    let tick = liveStart;
    for (;;) {
      const now = Math.min(deps.now(), deadline);
      while (generator.nextTimeUs < now * 1000) {
        const events = generator.takeUntil(now * 1000, o.batch);
        const failure = await send(events);
        if (failure !== null) return fail(io, totals, failure);
        liveTotals.sent += events.length;
        if (io.signal.aborted) break;
      }
      if (io.signal.aborted || now >= deadline) break;
      if (deps.now() >= nextStatus) {
        say(liveStatus(totals, liveTotals.sent, deps.now() - liveTotals.since, o, seedNumber, deps.now()));
        nextStatus += STATUS_EVERY_MS;
      }
      tick += TICK_MS;
      const wait = Math.min(tick, deadline) - deps.now();
      if (wait > 0 && !(await deps.sleep(wait, io.signal))) break;
    }
    liveFromUs = generator.nextTimeUs;
  }

  const elapsed = Math.max(deps.now() - startMs, 1);
  say(
    `${io.signal.aborted ? 'stopped' : 'done'}: ${formatCount(totals.app + totals.access)} events sent (${formatCount(totals.app)} ${o.appStream}, ${formatCount(totals.access)} ${o.accessStream}) in ${formatDuration(elapsed)}, ${formatCount(totals.rejected)} rejected`,
  );
  for (const r of totals.reasons) io.stderr.write(`  ${r}\n`);
  return totals.rejected > 0 ? 1 : 0;
}

interface BackfillJob {
  count: number;
  fromUs: number;
  toUs: number;
  seed: number;
  batch: number;
  send: (events: DemoEvent[]) => Promise<string | null>;
  io: CliIo;
  deps: DemoDeps;
  say: (line: string) => void;
  totals: Totals;
}

/** Sends the history in batches, building the next batch while the previous one is on its way. */
async function backfill(job: BackfillJob): Promise<string | null> {
  const started = job.deps.now();
  let nextStatus = started + STATUS_EVERY_MS;
  let sent = 0;
  let pending: Promise<string | null> | null = null;
  let batch: DemoEvent[] = [];
  const settle = async (): Promise<string | null> => {
    const failure = pending === null ? null : await pending;
    pending = null;
    return failure;
  };
  for (const event of generateWindow({
    seed: job.seed,
    fromUs: job.fromUs,
    toUs: job.toUs,
    count: job.count,
  })) {
    batch.push(event);
    if (batch.length < job.batch) continue;
    const failure = await settle();
    if (failure !== null || job.io.signal.aborted) return failure;
    sent += batch.length;
    pending = job.send(batch);
    batch = [];
    if (job.deps.now() >= nextStatus) {
      job.say(`backfill: ${formatCount(sent)} of ${formatCount(job.count)} events`);
      nextStatus += STATUS_EVERY_MS;
    }
  }
  const failure = await settle();
  if (failure !== null || batch.length === 0 || job.io.signal.aborted) return failure;
  return job.send(batch);
}

function liveStatus(
  totals: Totals,
  sent: number,
  elapsedMs: number,
  o: Options,
  seed: number,
  nowMs: number,
): string {
  const rate = (sent * 1000) / Math.max(elapsedMs, 1);
  let line = `${formatCount(totals.app + totals.access)} events sent (${formatCount(totals.app)} ${o.appStream}, ${formatCount(totals.access)} ${o.accessStream}), live ${rate.toFixed(1)} events/s, ${formatCount(totals.rejected)} rejected`;
  const nowUs = nowMs * 1000;
  const [incident] = incidentsBetween(seed, nowUs, nowUs + 1);
  if (incident !== undefined) {
    const what = incident.kind === 'error_burst' ? 'error burst' : 'slow spell';
    line += `; ${what} in ${incident.service} until ${new Date(incident.endUs / 1000).toISOString().slice(11, 16)} UTC`;
  }
  return line;
}

/** Tallies a `_bulk` response: items with a status of 300 or more were not stored. */
function countBulkResult(events: DemoEvent[], body: unknown, totals: Totals): void {
  const items = (body as { items?: unknown } | undefined)?.items;
  const list = Array.isArray(items)
    ? (items as Array<Record<string, { status?: number; error?: { reason?: string } }>>)
    : [];
  events.forEach((event, i) => {
    const item = list[i] === undefined ? undefined : Object.values(list[i]!)[0];
    if (item !== undefined && typeof item.status === 'number' && item.status >= 300) {
      totals.rejected++;
      if (totals.reasons.length < SHOWN_REASONS)
        totals.reasons.push(`${item.status}: ${item.error?.reason ?? 'no reason given'}`);
    } else if (demoEventKind(event) === 'nginx') totals.access++;
    else totals.app++;
  });
}

function fail(io: CliIo, totals: Totals, message: string): number {
  io.stderr.write(
    `cairn demo: ${formatCount(totals.app + totals.access)} events were sent before the failure.\n`,
  );
  io.stderr.write(`cairn demo: ${message}\n`);
  return 1;
}

function parse(args: string[], random: () => number): Options | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      rate: { type: 'string', default: '50' },
      duration: { type: 'string' },
      backfill: { type: 'string' },
      events: { type: 'string' },
      seed: { type: 'string' },
      'stream-app': { type: 'string', default: 'app-logs' },
      'stream-access': { type: 'string', default: 'nginx-access' },
      batch: { type: 'string', default: '5000' },
      gzip: { type: 'boolean', default: false },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0)
    throw new Error(`Unexpected argument "${positionals[0]}": cairn demo takes options only`);
  const rate = Number(values.rate);
  if (!(Number.isFinite(rate) && rate > 0))
    throw new Error(`Option --rate must be a positive number, got "${values.rate}"`);
  const batch = Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1)
    throw new Error(`Option --batch must be a whole number of at least 1, got "${values.batch}"`);
  const durationMs = values.duration === undefined ? null : parseDuration('--duration', values.duration);
  const backfillMs = values.backfill === undefined ? null : parseDuration('--backfill', values.backfill);
  if (backfillMs === 0) throw new Error('Option --backfill must be longer than 0');
  let events: number | null = null;
  if (values.events !== undefined) {
    if (backfillMs === null)
      throw new Error('Option --events needs --backfill: it is the number of events in the history');
    events = Number(values.events.replaceAll('_', ''));
    if (!Number.isInteger(events) || events < 1)
      throw new Error(`Option --events must be a whole number of at least 1, got "${values.events}"`);
  }
  for (const name of ['stream-app', 'stream-access'] as const) {
    if (values[name].trim() === '') throw new Error(`Option --${name} must not be empty`);
  }
  return {
    rate,
    durationMs,
    backfillMs,
    backfillText: values.backfill?.trim() ?? '',
    events,
    seed: values.seed ?? String(Math.floor(random() * 1_000_000)),
    appStream: values['stream-app'],
    accessStream: values['stream-access'],
    batch,
    gzip: values.gzip,
    url: values.url,
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `5m`, `1h`, `2d`, `500ms`, `1.5h`; a bare number is seconds. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new Error(`Option ${flag} must be a duration such as 30s, 5m, 1h or 2d, got "${text}"`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']!);
}

/** `1h 30m`, `45s`, `1.2s`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join(' ');
}
