/**
 * Test helpers for the client commands: an in-memory CliIo and a small real HTTP peer on loopback that
 * records every request and answers as the test says. Only imported by tests.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { CliIo } from '../command.js';
import type { ClientDeps } from './ingest.js';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/ingest?stream=app`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as sent (still compressed when Content-Encoding says so). */
  raw: Buffer;
  /** The body as text, decompressed. */
  text: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
}

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1:0; `answer` gets each request and its 0-based index. */
export async function startRecordingServer(
  answer: (req: RecordedRequest, index: number) => Reply | Promise<Reply>,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const gzipped = req.headers['content-encoding'] === 'gzip';
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        raw,
        text: (gzipped ? gunzipSync(raw) : raw).toString('utf8'),
      };
      const index = requests.push(recorded) - 1;
      void Promise.resolve(answer(recorded, index)).then((reply) => {
        const headers: Record<string, string> = { ...reply.headers };
        let body = reply.body ?? '';
        if (reply.json !== undefined) {
          body = JSON.stringify(reply.json);
          headers['content-type'] = 'application/json';
        }
        res.writeHead(reply.status ?? 200, headers);
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface MemoryIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
  /** Aborts `io.signal`, as Ctrl-C would. */
  interrupt(): void;
}

/** A CliIo whose streams are in memory; `stdin` is the given text, or a stream the test writes to. */
export function memoryIo(
  options: { stdin?: string | Readable; env?: NodeJS.ProcessEnv; columns?: number } = {},
): MemoryIo {
  const controller = new AbortController();
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  if (options.columns !== undefined) Object.assign(stdout, { columns: options.columns });
  const stderr = new PassThrough();
  stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8');
  });
  const stdin =
    typeof options.stdin === 'string' || options.stdin === undefined
      ? Readable.from([options.stdin ?? ''])
      : options.stdin;
  return {
    io: { stdout, stderr, stdin, env: options.env ?? {}, signal: controller.signal },
    stdout: () => out,
    stderr: () => err,
    interrupt: () => controller.abort(),
  };
}

/**
 * A clock that only moves when the code sleeps (or the test calls `advance`): waits are recorded and
 * return at once, so retry and pacing tests are exact and fast.
 */
export function fakeClock(startMs = 0): ClientDeps & { sleeps: number[]; advance(ms: number): void } {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      now += ms;
      // Let I/O callbacks run, as a real wait would.
      await new Promise((resolve) => setImmediate(resolve));
      return !signal.aborted;
    },
  };
}
