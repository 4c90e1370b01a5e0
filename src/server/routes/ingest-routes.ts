import type { FastifyInstance } from 'fastify';
import { invalidIndexReason } from '../../ingest/index-name.js';
import { CairnError } from '../../model/errors.js';
import { decodeBody, isJsonMediaType, mediaType } from '../body.js';
import type { ServerContext } from '../context.js';
import { wantsRefresh } from './es-routes.js';

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
    const receivedUs = ctx.nowUs();
    let format: 'json' | 'text';
    if (isJsonMediaType(type)) format = 'json';
    else if (type === 'text/plain') format = 'text';
    else {
      throw new CairnError(
        'unsupported_media_type',
        `Cannot ingest Content-Type "${type}": send application/json, application/x-ndjson or text/plain`,
        { details: { contentType: type } },
      );
    }
    // Parsing, pipelines and encoding run on an ingest worker; this thread only writes and answers.
    const { rejected, dropped, rows } = await ctx.pipelines.decodeLines(
      {
        body,
        receivedUs,
        limits: ctx.eventLimits,
        pipeline: query['pipeline'],
        columns: ctx.store.columnLog(),
      },
      format,
      stream,
    );
    const count = rows.count;
    ctx.metrics.eventsRejected.inc({ input: 'http' }, rejected.length);
    if (count === 0 && rejected.length > 0) {
      const first = rejected[0]!;
      throw new CairnError(
        'invalid_event',
        `No event was stored: line ${first.line}: ${first.reason}${rejected.length > 1 ? ` (and ${rejected.length - 1} more rejected lines)` : ''}`,
        { details: { rejected: rejected.slice(0, MAX_LISTED_REJECTIONS), rejectedCount: rejected.length } },
      );
    }
    if (count === 0 && !dropped) throw new CairnError('bad_request', 'The request body holds no events');
    await ctx.queue.submitBatch({ rows }, count);
    ctx.metrics.eventsIngested.inc({ input: 'http' }, count);
    // Unlike _bulk, this API waits for searchability by default: what you send, you can search.
    if (wantsRefresh(req, true)) await ctx.store.refresh();
    return reply.send({
      accepted: count,
      rejected: rejected.slice(0, MAX_LISTED_REJECTIONS),
      rejected_count: rejected.length,
      ...(dropped !== null ? { dropped } : {}),
      stream,
      took_ms: Math.round(performance.now() - started),
    });
  });
}
