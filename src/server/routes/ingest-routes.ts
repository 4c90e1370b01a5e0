import type { FastifyInstance } from 'fastify';
import { invalidIndexReason } from '../../ingest/index-name.js';
import { decodeJsonBody, type Rejection } from '../../ingest/json-body.js';
import { forEachLine } from '../../ingest/lines.js';
import { CairnError } from '../../model/errors.js';
import type { Event } from '../../model/event.js';
import { normalizeEvent } from '../../model/normalize.js';
import { decodeBody, isJsonMediaType, mediaType } from '../body.js';
import type { ServerContext } from '../context.js';
import { wantsRefresh } from './es-routes.js';
import { runIngestPipelines } from './pipeline-routes.js';

const MAX_LISTED_REJECTIONS = 100;

/** `POST /api/v1/ingest`: JSON object, JSON array, NDJSON, or plain text lines (one event each). */
export function registerIngestRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/v1/ingest', async (req, reply) => {
    const started = performance.now();
    const query = req.query as Record<string, string | undefined>;
    const stream = query['stream'] ?? 'default';
    const bad = invalidIndexReason(stream);
    if (bad) {
      throw new CairnError('bad_request', `Cannot ingest into stream "${stream}": the name ${bad}`, {
        details: { stream },
      });
    }
    const type = mediaType(req);
    const body = decodeBody(req, ctx.config.limits.maxBodyBytes);
    ctx.metrics.bytesIngested.inc({ input: 'http' }, body.length);
    const text = body.toString('utf8');
    const receivedUs = ctx.nowUs();
    const opts = { stream, receivedUs, limits: ctx.eventLimits };
    let decoded: { events: Event[]; rejected: Rejection[] };
    if (isJsonMediaType(type)) decoded = decodeJsonBody(text, opts);
    else if (type === 'text/plain') decoded = decodePlainText(text, opts);
    else {
      throw new CairnError(
        'unsupported_media_type',
        `Cannot ingest Content-Type "${type}": send application/json, application/x-ndjson or text/plain`,
        { details: { contentType: type } },
      );
    }
    const { rejected } = decoded;
    let { events } = decoded;
    const piped = await runIngestPipelines(ctx, events, query['pipeline']);
    if (piped !== null) {
      events = piped.events;
      for (const r of piped.rejected)
        rejected.push({
          line: r.index + 1,
          reason: `event ${r.index + 1} ${r.reason}`,
          ...(r.field ? { field: r.field } : {}),
        });
    }
    ctx.metrics.eventsRejected.inc({ input: 'http' }, rejected.length);
    if (events.length === 0 && rejected.length > 0) {
      const first = rejected[0]!;
      throw new CairnError(
        'invalid_event',
        `No event was stored: line ${first.line}: ${first.reason}${rejected.length > 1 ? ` (and ${rejected.length - 1} more rejected lines)` : ''}`,
        { details: { rejected: rejected.slice(0, MAX_LISTED_REJECTIONS), rejectedCount: rejected.length } },
      );
    }
    if (events.length === 0 && !piped?.dropped)
      throw new CairnError('bad_request', 'The request body holds no events');
    await ctx.queue.submit(events);
    ctx.metrics.eventsIngested.inc({ input: 'http' }, events.length);
    // Unlike _bulk, this API waits for searchability by default: what you send, you can search.
    if (wantsRefresh(req, true)) await ctx.store.refresh();
    return reply.send({
      accepted: events.length,
      rejected: rejected.slice(0, MAX_LISTED_REJECTIONS),
      rejected_count: rejected.length,
      ...(piped !== null ? { dropped: piped.dropped } : {}),
      stream,
      took_ms: Math.round(performance.now() - started),
    });
  });
}

function decodePlainText(
  text: string,
  opts: { stream: string; receivedUs: number; limits: ServerContext['eventLimits'] },
): { events: Event[]; rejected: Rejection[] } {
  const events: Event[] = [];
  const rejected: Rejection[] = [];
  forEachLine(text, (line, lineNumber) => {
    if (line.trim() === '') return;
    const result = normalizeEvent({ message: line }, opts);
    if (result.ok) events.push(result.event);
    else
      rejected.push({
        line: lineNumber,
        reason: result.reason,
        ...(result.field ? { field: result.field } : {}),
      });
  });
  return { events, rejected };
}
