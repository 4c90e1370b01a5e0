import type { FastifyInstance, FastifyReply } from 'fastify';
import { CairnError } from '../../model/errors.js';
import { formatTimestamp } from '../../model/timestamp.js';
import type { QueryNode } from '../../query/ast.js';
import { parseQueryWithPipes } from '../../query/index.js';
import type { Hit, Store } from '../../store/store.js';
import type { ServerContext } from '../context.js';

/** How far back each poll looks, so events that become searchable a little late are still seen. */
const LATENESS_US = 30_000_000;
/** Events stamped a little in the future (clock skew between hosts) still count as new. */
const FUTURE_US = 5 * 60_000_000;
/** Most new events sent per poll; above it the oldest are skipped and the client is told. */
const MAX_PER_POLL = 1000;
const MAX_BACKLOG = 500;
const HEARTBEAT_MS = 15_000;

export interface TailOptions {
  store: Store;
  query: QueryNode | null;
  streams?: string[];
  /** µs since epoch. */
  nowUs: () => number;
}

export interface TailBatch {
  hits: Hit[];
  /** More new events matched than one poll sends: some were skipped. */
  skipped: boolean;
}

/**
 * New events matching a query, found by polling the store: each poll reads the newest events stamped
 * in the last 30 s (or later) and sends those not sent before. The store has no change feed that works
 * the same on every backend, and a search over a 30 s window is cheap on all of them.
 */
export class TailPoller {
  private readonly seen = new Map<string, number>();

  constructor(private readonly opts: TailOptions) {}

  /** The newest `backlog` events already stored, oldest first; remembers the window so they are not resent. */
  async start(backlog: number, signal?: AbortSignal): Promise<Hit[]> {
    const recent = await this.window(signal);
    for (const h of recent) this.seen.set(h.id, h.timestampUs);
    if (backlog <= 0) return [];
    if (recent.length >= backlog) return recent.slice(0, backlog).reverse();
    const nowUs = this.opts.nowUs();
    const older = await this.opts.store.search({
      query: this.opts.query,
      range: { fromUs: nowUs - 3600_000_000, toUs: nowUs + FUTURE_US },
      limit: backlog,
      totalCap: 0,
      ...(this.opts.streams ? { streams: this.opts.streams } : {}),
      ...(signal ? { signal } : {}),
    });
    return older.hits.reverse();
  }

  /** Events that matched since the last call, oldest first. */
  async poll(signal?: AbortSignal): Promise<TailBatch> {
    const hits = await this.window(signal);
    const fresh = hits.filter((h) => !this.seen.has(h.id));
    for (const h of fresh) this.seen.set(h.id, h.timestampUs);
    const horizon = this.opts.nowUs() - LATENESS_US;
    for (const [id, ts] of this.seen) if (ts < horizon) this.seen.delete(id);
    return { hits: fresh.reverse(), skipped: fresh.length === MAX_PER_POLL };
  }

  private async window(signal?: AbortSignal): Promise<Hit[]> {
    const nowUs = this.opts.nowUs();
    const result = await this.opts.store.search({
      query: this.opts.query,
      range: { fromUs: nowUs - LATENESS_US, toUs: nowUs + FUTURE_US },
      limit: MAX_PER_POLL,
      totalCap: 0,
      ...(this.opts.streams ? { streams: this.opts.streams } : {}),
      ...(signal ? { signal } : {}),
    });
    return result.hits;
  }
}

function renderHit(h: Hit): Record<string, unknown> {
  return { _id: h.id, stream: h.stream, '@timestamp': formatTimestamp(h.timestampUs), ...h.fields };
}

function sse(reply: FastifyReply, event: string, data: unknown): void {
  reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * `GET /api/v1/tail?q=…&stream=…&backlog=N`: Server-Sent Events. `hits` events carry
 * `{ hits: [...], skipped }` with new matching events oldest first; `error` carries the error body when
 * a poll fails. Pipes are refused (a tail streams events, not tables). Polls every `pollMs` (1 s).
 */
export function registerTailRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  opts: { pollMs?: number } = {},
): void {
  const pollMs = opts.pollMs ?? 1000;
  const open = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const stop of open) stop();
  });

  app.get('/api/v1/tail', async (req, reply) => {
    const params = req.query as Record<string, string | undefined>;
    const q = params['q'] ?? '';
    if (q.length > ctx.config.limits.maxQueryLength) {
      throw new CairnError(
        'invalid_query',
        `The query is ${q.length} characters long, above the limit of ${ctx.config.limits.maxQueryLength}`,
      );
    }
    const parsed = parseQueryWithPipes(q);
    if (parsed.pipes.length > 0) {
      throw new CairnError(
        'invalid_query',
        'Cannot tail a query with pipe commands: live tail streams events; remove the "| …" part',
        { details: { position: parsed.pipes[0]!.span.start } },
      );
    }
    const backlog = Math.min(MAX_BACKLOG, Math.max(0, Number(params['backlog'] ?? 0) || 0));
    const streams = params['stream']
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const poller = new TailPoller({
      store: ctx.store,
      query: parsed.search,
      ...(streams && streams.length > 0 ? { streams } : {}),
      nowUs: ctx.nowUs,
    });
    const abort = new AbortController();
    // Validate the query against the store (unknown types, bad regexes) before answering 200.
    const first = await poller.start(backlog, abort.signal);

    reply.hijack();
    reply.raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    reply.raw.write(`retry: 2000\n\n`);
    sse(reply, 'hits', { hits: first.map(renderHit), skipped: false });

    let timer: NodeJS.Timeout | undefined;
    let lastSend = Date.now();
    const stop = () => {
      abort.abort();
      clearTimeout(timer);
      open.delete(stop);
      if (!reply.raw.writableEnded) reply.raw.end();
    };
    open.add(stop);
    req.raw.on('close', stop);

    const tick = async () => {
      if (abort.signal.aborted) return;
      try {
        const batch = await poller.poll(abort.signal);
        if (batch.hits.length > 0) {
          sse(reply, 'hits', { hits: batch.hits.map(renderHit), skipped: batch.skipped });
          lastSend = Date.now();
        } else if (Date.now() - lastSend > HEARTBEAT_MS) {
          reply.raw.write(': keep-alive\n\n');
          lastSend = Date.now();
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        const e =
          err instanceof CairnError
            ? err
            : new CairnError('internal', 'Live tail failed: see the server log');
        if (!(err instanceof CairnError)) req.log.error({ err }, 'live tail poll failed');
        sse(reply, 'error', { error: { code: e.code, message: e.message, details: e.details ?? {} } });
      }
      if (!abort.signal.aborted) timer = setTimeout(tick, pollMs);
    };
    timer = setTimeout(tick, pollMs);
  });
}
