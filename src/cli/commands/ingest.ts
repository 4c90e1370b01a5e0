import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import { parseArgs, promisify } from 'node:util';
import { createGunzip, gzip } from 'node:zlib';
import { type CliIo, type Command, serverUrl } from '../command.js';
import { formatCount } from '../format-table.js';

const gzipAsync = promisify(gzip);

const usage = `Usage: cairn ingest [FILE|-] [options]

Sends log lines to a Cairn server, in batches, from FILE (decompressed when it ends in .gz) or from
standard input ("-" or no FILE). Lines that are JSON objects are sent as they are; other lines become
{"message": "<line>"}. Blank lines are skipped.

Options:
  --url URL          Server to send to (default: $CAIRN_URL, else http://localhost:9280)
  --stream NAME      Stream that stores the events (default: default)
  --batch N          Lines per request (default: 5000)
  --format FORMAT    auto   JSON object lines as they are, other lines wrapped (default)
                     json   every line as it is; the server rejects lines that are not JSON objects
                     text   every line wrapped as {"message": "<line>"}
  --gzip             Compress request bodies
  -h, --help         Show this help

Busy servers (HTTP 429, 503) are retried after the Retry-After they ask for. A summary goes to stderr.
Exit status: 0 when every line was stored, 1 when a line was rejected or the server failed, 2 on
bad usage, 130 when interrupted.

Examples:
  cairn ingest app.ndjson --stream app-logs
  zcat access.log.gz | cairn ingest --stream nginx --format text
`;

/** Time and waiting, injected so retries and rates are testable without real waits. */
export interface ClientDeps {
  /** Milliseconds, for durations and rates. */
  now: () => number;
  /** Resolves true after `ms`, or false as soon as `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<boolean>;
}

export const systemDeps: ClientDeps = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface PostRequest {
  url: string;
  body: string;
  contentType: string;
  gzip: boolean;
  signal: AbortSignal;
  deps: ClientDeps;
  /** Called before each wait, to tell the user why nothing is happening. */
  onRetry?: (notice: RetryNotice) => void;
}

export interface RetryNotice {
  /** The attempt about to be made, from 2. */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  reason: string;
}

export type PostOutcome =
  | { kind: 'response'; status: number; body: unknown; text: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'aborted' };

const MAX_ATTEMPTS = 10;
const MAX_DELAY_MS = 120_000;
/** Errors after which the request may be sent again: the connection dropped, the server is restarting. */
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT']);

/**
 * POSTs a body, retrying 429 and 503 after their Retry-After (else with exponential back-off) and
 * dropped connections, up to 10 attempts. Other statuses are returned for the caller to judge; a
 * retried request may be stored twice if the server had stored it before the connection dropped.
 */
export async function postWithRetry(req: PostRequest): Promise<PostOutcome> {
  const headers: Record<string, string> = { 'content-type': req.contentType };
  let body: string | Buffer = req.body;
  if (req.gzip) {
    body = await gzipAsync(req.body);
    headers['content-encoding'] = 'gzip';
  }
  for (let attempt = 1; ; attempt++) {
    let wait: { ms: number; reason: string } | null = null;
    try {
      const res = await fetch(req.url, { method: 'POST', headers, body, signal: req.signal });
      const text = await res.text();
      if ((res.status === 429 || res.status === 503) && attempt < MAX_ATTEMPTS) {
        const asked = retryAfterMs(res.headers.get('retry-after'), Date.now());
        wait = {
          ms: asked ?? backoffMs(attempt),
          reason: `the server is busy (HTTP ${res.status}${asked === null ? '' : ', Retry-After'})`,
        };
      } else {
        return { kind: 'response', status: res.status, body: parseJson(text), text };
      }
    } catch (err) {
      if (req.signal.aborted) return { kind: 'aborted' };
      const code = networkCode(err);
      if (!RETRYABLE_NETWORK.has(code) || attempt >= 3) {
        return {
          kind: 'unreachable',
          message: `Cannot reach the Cairn server at ${origin(req.url)}: ${networkMessage(err)}`,
        };
      }
      wait = { ms: backoffMs(attempt), reason: `the connection failed (${code})` };
    }
    req.onRetry?.({ attempt: attempt + 1, maxAttempts: MAX_ATTEMPTS, delayMs: wait.ms, reason: wait.reason });
    if (!(await req.deps.sleep(wait.ms, req.signal))) return { kind: 'aborted' };
  }
}

/** Retry-After in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_DELAY_MS);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.min(Math.max(0, date - nowMs), MAX_DELAY_MS);
}

function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 30_000);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : '';
}

function networkMessage(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The message a person can act on from an error response: Cairn's `{ error: { code, message,
 * requestId } }`, Elasticsearch's `{ error: { type, reason } }`, or the start of whatever came back.
 */
export function serverErrorMessage(status: number, body: unknown, text: string): string {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    const message =
      typeof e['message'] === 'string' ? e['message'] : typeof e['reason'] === 'string' ? e['reason'] : '';
    const code = typeof e['code'] === 'string' ? e['code'] : typeof e['type'] === 'string' ? e['type'] : '';
    const requestId = typeof e['requestId'] === 'string' ? `, request id ${e['requestId']}` : '';
    if (message) return `${message}\n(HTTP ${status}${code ? ` ${code}` : ''}${requestId})`;
  }
  if (typeof error === 'string' && error) return `${error}\n(HTTP ${status})`;
  const excerpt = text.trim().slice(0, 200);
  return `The server answered HTTP ${status}${excerpt ? `: ${excerpt}` : ' with an empty body'}`;
}

type Format = 'auto' | 'json' | 'text';

interface Batch {
  body: string;
  /** Input line number of each body line, for rejection reasons. */
  lineNumbers: number[];
}

interface Tally {
  sent: number;
  accepted: number;
  rejected: number;
  reasons: string[];
  requests: number;
  failure: string | null;
}

const SHOWN_REASONS = 5;
/** A batch is sent early past this size, to stay well under the server's body limit. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

/** One line as an NDJSON line: JSON objects as they are (auto, json), anything else wrapped. */
export function toNdjsonLine(line: string, format: Format): string {
  if (format === 'json') return line;
  if (format === 'auto' && line.trimStart().startsWith('{')) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return line;
    } catch {
      // Not JSON after all: wrapped below like any text line.
    }
  }
  return JSON.stringify({ message: line });
}

export interface IngestCommandOptions {
  deps?: ClientDeps;
  /** Send a partial batch after this long without a new line (a slow `tail -f`). Default 1000 ms. */
  idleFlushMs?: number;
}

export function createIngestCommand(options: IngestCommandOptions = {}): Command {
  const deps = options.deps ?? systemDeps;
  const idleFlushMs = options.idleFlushMs ?? 1000;
  return {
    name: 'ingest',
    summary: 'Send NDJSON or text log lines from a file or stdin to the server',
    usage,
    run: (args, io) => runIngest(args, io, deps, idleFlushMs),
  };
}

export const ingestCommand: Command = createIngestCommand();

async function runIngest(args: string[], io: CliIo, deps: ClientDeps, idleFlushMs: number): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    io.stderr.write(usageError('ingest', err));
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(usage);
    return 0;
  }
  const { file, stream, batchSize, format, gzip: compress } = parsed;
  const endpoint = `${serverUrl(parsed.url, io.env)}/api/v1/ingest?stream=${encodeURIComponent(stream)}`;

  let input: NodeJS.ReadableStream;
  try {
    input = await openInput(file, io);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
    io.stderr.write(`cairn ingest: Cannot read "${file}": ${why}\n`);
    return 1;
  }

  const started = deps.now();
  const tally: Tally = { sent: 0, accepted: 0, rejected: 0, reasons: [], requests: 0, failure: null };
  let chain: Promise<void> = Promise.resolve();
  let lines: string[] = [];
  let lineNumbers: number[] = [];
  let bytes = 0;
  let idleTimer: NodeJS.Timeout | undefined;

  const send = async (batch: Batch): Promise<void> => {
    if (tally.failure !== null || io.signal.aborted) return;
    tally.requests++;
    tally.sent += batch.lineNumbers.length;
    const outcome = await postWithRetry({
      url: endpoint,
      body: batch.body,
      contentType: 'application/x-ndjson',
      gzip: compress,
      signal: io.signal,
      deps,
      onRetry: (n) =>
        io.stderr.write(
          `cairn ingest: ${n.reason}; retrying in ${formatSeconds(n.delayMs)} (attempt ${n.attempt} of ${n.maxAttempts})\n`,
        ),
    });
    tally.failure = recordOutcome(outcome, batch, tally);
  };
  // One request in flight while the next batch is read; the chain keeps batches in order.
  const flush = (): Promise<void> => {
    if (lines.length === 0) return chain;
    const batch: Batch = { body: `${lines.join('\n')}\n`, lineNumbers };
    lines = [];
    lineNumbers = [];
    bytes = 0;
    chain = chain.then(() => send(batch));
    return chain;
  };

  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const stop = () => rl.close();
  io.signal.addEventListener('abort', stop, { once: true });
  let lineNumber = 0;
  let inflight: Promise<void> | null = null;
  try {
    for await (const raw of rl) {
      lineNumber++;
      const line = lineNumber === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (tally.failure !== null) break;
      if (line.trim() === '') continue;
      const ndjson = toNdjsonLine(line, format);
      lines.push(ndjson);
      lineNumbers.push(lineNumber);
      bytes += ndjson.length + 1;
      clearTimeout(idleTimer);
      if (lines.length >= batchSize || bytes >= MAX_BATCH_BYTES) {
        if (inflight) await inflight;
        inflight = flush();
      } else {
        idleTimer = setTimeout(() => void flush(), idleFlushMs);
      }
    }
  } catch (err) {
    tally.failure ??= `Cannot read ${file === '-' ? 'standard input' : `"${file}"`}: ${(err as Error).message}`;
  } finally {
    clearTimeout(idleTimer);
    io.signal.removeEventListener('abort', stop);
  }
  await flush();

  const seconds = Math.max(deps.now() - started, 1) / 1000;
  io.stderr.write(summary(tally, stream, seconds));
  if (io.signal.aborted) {
    io.stderr.write('cairn ingest: Interrupted; lines not confirmed above were not sent.\n');
    return 130;
  }
  if (tally.failure !== null) {
    io.stderr.write(`cairn ingest: ${tally.failure}\n`);
    return 1;
  }
  return tally.rejected > 0 ? 1 : 0;
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      stream: { type: 'string', default: 'default' },
      batch: { type: 'string', default: '5000' },
      format: { type: 'string', default: 'auto' },
      gzip: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 1)
    throw new Error(`Expected at most one FILE, got ${positionals.length}: ${positionals.join(' ')}`);
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`Option --batch must be a whole number of lines of at least 1, got "${values.batch}"`);
  }
  const format = values.format;
  if (format !== 'auto' && format !== 'json' && format !== 'text') {
    throw new Error(`Option --format must be auto, json or text, got "${format}"`);
  }
  if (values.stream.trim() === '') throw new Error('Option --stream must not be empty');
  return {
    help: values.help,
    url: values.url,
    stream: values.stream,
    batchSize,
    format: format as Format,
    gzip: values.gzip,
    file: positionals[0] ?? '-',
  };
}

async function openInput(file: string, io: CliIo): Promise<NodeJS.ReadableStream> {
  if (file === '-') return io.stdin;
  const handle = await open(file, 'r');
  const raw = handle.createReadStream();
  if (!file.endsWith('.gz')) return raw;
  const gunzip = createGunzip();
  // pipeline forwards a read error into gunzip, so the line reader sees it.
  pipeline(raw, gunzip, () => {});
  return gunzip;
}

/** Adds a response to the tally; returns the failure that stops the run, if any. */
function recordOutcome(outcome: PostOutcome, batch: Batch, tally: Tally): string | null {
  switch (outcome.kind) {
    case 'aborted':
      return null;
    case 'unreachable':
      return outcome.message;
    case 'response':
      break;
  }
  const { status, body, text } = outcome;
  const lineOf = (n: unknown) => (typeof n === 'number' ? (batch.lineNumbers[n - 1] ?? n) : '?');
  const note = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const r of list as Array<{ line?: unknown; reason?: unknown }>) {
      if (tally.reasons.length < SHOWN_REASONS)
        tally.reasons.push(`line ${lineOf(r.line)}: ${String(r.reason)}`);
    }
  };
  if (
    status === 200 &&
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { accepted?: unknown }).accepted === 'number'
  ) {
    const b = body as { accepted: number; rejected?: unknown; rejected_count?: unknown };
    const listed = Array.isArray(b.rejected) ? b.rejected.length : 0;
    tally.accepted += b.accepted;
    tally.rejected += typeof b.rejected_count === 'number' ? b.rejected_count : listed;
    note(b.rejected);
    return null;
  }
  // Every line of the batch was rejected: the server says so with a 400 that lists them.
  const error = (body as { error?: { code?: unknown; details?: Record<string, unknown> } } | undefined)
    ?.error;
  if (status === 400 && error?.code === 'invalid_event' && Array.isArray(error.details?.['rejected'])) {
    const count = error.details['rejectedCount'];
    tally.rejected += typeof count === 'number' ? count : batch.lineNumbers.length;
    note(error.details['rejected']);
    return null;
  }
  return status === 200
    ? `The server answered 200 without an "accepted" count: ${text.slice(0, 200)}`
    : serverErrorMessage(status, body, text);
}

function summary(t: Tally, stream: string, seconds: number): string {
  const rate = formatCount(t.accepted / seconds);
  let out = `Stream "${stream}": ${formatCount(t.accepted)} of ${formatCount(t.sent)} lines accepted, ${formatCount(t.rejected)} rejected, in ${formatCount(t.requests)} ${t.requests === 1 ? 'request' : 'requests'} (${seconds.toFixed(1)} s, ${rate} events/s)\n`;
  if (t.reasons.length > 0) {
    out += t.reasons.map((r) => `  ${r}\n`).join('');
    if (t.rejected > t.reasons.length) out += `  … and ${formatCount(t.rejected - t.reasons.length)} more\n`;
  }
  return out;
}

/** The stderr text for bad arguments: what is wrong, then where to read more. */
export function usageError(command: string, err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  let message = typeof e.message === 'string' ? e.message : String(err);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // Node's message goes on about "--" positionals; the option's name is what matters.
    const name = /'([^']+)'/.exec(message)?.[1];
    if (name !== undefined) message = `Unknown option "${name}"`;
  }
  return `cairn ${command}: ${message}\nRun "cairn ${command} --help" for usage.\n`;
}

/** `2 s`, `0.5 s`. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
