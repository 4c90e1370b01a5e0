import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseYaml } from 'yaml';
import type { BulkItem } from '../../ingest/bulk.js';
import { CairnError } from '../../model/errors.js';
import type { Event } from '../../model/event.js';
import type { PipelineEntry } from '../../pipeline/catalog.js';
import { isPlainObject } from '../../pipeline/options.js';
import { PROCESSORS } from '../../pipeline/registry.js';
import { decodeBody, mediaType } from '../body.js';
import type { ServerContext } from '../context.js';

type Params = Record<string, string>;
type Query = Record<string, string | undefined>;

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/** A definition body: JSON, or YAML when the Content-Type says so. */
function readDefinition(req: FastifyRequest, ctx: ServerContext): unknown {
  const text = decodeBody(req, ctx.config.limits.maxBodyBytes).toString('utf8');
  if (text.trim() === '')
    throw new CairnError('bad_request', 'The request body is empty: send a pipeline definition');
  const yaml = YAML_TYPES.has(mediaType(req));
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new CairnError(
      'invalid_json',
      `The request body is not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message}${yaml ? '' : ' (send YAML with Content-Type: application/yaml)'}`,
    );
  }
}

function summary(entry: PipelineEntry) {
  return {
    id: entry.id,
    source: entry.source,
    ...(entry.file !== undefined ? { file: entry.file } : {}),
    ...(entry.config.description !== undefined ? { description: entry.config.description } : {}),
    processors: entry.config.processors.map((p) => p.kind),
  };
}

function simulateDocs(body: unknown): unknown[] {
  const docs = isPlainObject(body) ? body['docs'] : undefined;
  if (!Array.isArray(docs) || docs.length === 0)
    throw new CairnError(
      'bad_request',
      'Expected "docs": a list of documents ({"_source": {...}}, objects, or text lines)',
    );
  return docs;
}

function wantsVerbose(req: FastifyRequest, body: unknown): boolean {
  const q = (req.query as Query)['verbose'];
  if (q !== undefined) return q === '' || q === 'true';
  return isPlainObject(body) && body['verbose'] === true;
}

/**
 * `/api/v1/pipelines`: list, read, create or replace (JSON or YAML), delete, simulate; the route
 * table at `/api/v1/pipelines/_routes`; `_reload` re-reads the config directory.
 */
export function registerPipelineRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const service = ctx.pipelines;

  app.get('/api/v1/pipelines', async () => ({
    pipelines: service.list().map(summary),
    routes: service.routes,
    processors: PROCESSORS.map((p) => ({ kind: p.kind, summary: p.summary })),
  }));

  app.get('/api/v1/pipelines/_routes', async () => ({ routes: service.routes }));
  app.put('/api/v1/pipelines/_routes', async (req) => ({
    routes: await service.setRoutes(readDefinition(req, ctx)),
  }));

  app.post('/api/v1/pipelines/_reload', async () => {
    await service.reload();
    return {
      reloaded: true,
      pipelines: service
        .list()
        .filter((p) => p.source !== 'builtin')
        .map(summary),
    };
  });

  app.post('/api/v1/pipelines/_simulate', async (req) => {
    const body = readDefinition(req, ctx);
    if (!isPlainObject(body) || body['pipeline'] === undefined)
      throw new CairnError('bad_request', 'Expected "pipeline" (a definition) and "docs" in the body');
    return {
      docs: service.simulate({
        definition: body['pipeline'],
        docs: simulateDocs(body),
        verbose: wantsVerbose(req, body),
        stream: (req.query as Query)['stream'] ?? 'default',
        limits: ctx.eventLimits,
      }),
    };
  });

  app.get('/api/v1/pipelines/:id', async (req) => {
    const entry = service.get((req.params as Params)['id']!);
    return { ...summary(entry), definition: entry.definition };
  });

  app.put('/api/v1/pipelines/:id', async (req, reply) => {
    const id = (req.params as Params)['id']!;
    const { entry, created } = await service.put(id, readDefinition(req, ctx));
    return reply
      .status(created ? 201 : 200)
      .send({ ...summary(entry), created, definition: entry.definition });
  });

  app.delete('/api/v1/pipelines/:id', async (req) => {
    const id = (req.params as Params)['id']!;
    await service.delete(id);
    return { id, deleted: true };
  });

  app.post('/api/v1/pipelines/:id/_simulate', async (req) => {
    const body = readDefinition(req, ctx);
    return {
      docs: service.simulate({
        id: (req.params as Params)['id']!,
        docs: simulateDocs(body),
        verbose: wantsVerbose(req, body),
        stream: (req.query as Query)['stream'] ?? 'default',
        limits: ctx.eventLimits,
      }),
    };
  });
}

/** What the pipelines did to a request's events, for the ingest routes to report. */
export interface PipelinedEvents {
  /** Events to store, in request order. */
  events: Event[];
  /** For each input event: its index in `events`, or -1 when dropped, or -2 when rejected. */
  positions: Int32Array;
  dropped: number;
  rejected: { index: number; reason: string; field?: string }[];
}

/**
 * Runs decoded events through `?pipeline=` or the route table (the ingest routes call this before
 * they queue events). Null when no pipeline applies: the events are stored as decoded.
 */
export async function runIngestPipelines(
  ctx: ServerContext,
  events: Event[],
  pipeline: string | undefined,
): Promise<PipelinedEvents | null> {
  if (events.length === 0) return null;
  const outcomes = await ctx.pipelines.process(events, { pipeline, limits: ctx.eventLimits });
  if (outcomes === null) return null;
  const kept: Event[] = [];
  const positions = new Int32Array(outcomes.length);
  const rejected: PipelinedEvents['rejected'] = [];
  let dropped = 0;
  outcomes.forEach((o, i) => {
    switch (o.kind) {
      case 'kept':
        positions[i] = kept.length;
        kept.push(o.event);
        return;
      case 'dropped':
        positions[i] = -1;
        dropped++;
        return;
      case 'rejected':
        positions[i] = -2;
        rejected.push({
          index: i,
          reason: `after the pipeline: ${o.reason}`,
          ...(o.field !== undefined ? { field: o.field } : {}),
        });
        return;
    }
  });
  return { events: kept, positions, dropped, rejected };
}

/**
 * Puts the pipelines' results back on `_bulk` items: each item keeps its (changed) event, or gets
 * the rejection as its error. Returns the positions of the items whose event was dropped.
 */
export function applyToBulkItems(items: BulkItem[], piped: PipelinedEvents): number[] {
  const reasons = new Map(piped.rejected.map((r) => [r.index, r.reason]));
  const dropped: number[] = [];
  let k = 0;
  items.forEach((item, i) => {
    if (item.event === undefined) return;
    const at = piped.positions[k]!;
    if (at >= 0) item.event = piped.events[at]!;
    else {
      if (at === -1) dropped.push(i);
      else
        item.error = {
          status: 400,
          type: 'document_parsing_exception',
          reason: reasons.get(k) ?? 'rejected by the pipeline',
        };
      delete item.event;
    }
    k++;
  });
  return dropped;
}

/**
 * Marks dropped documents in a `_bulk` response as Elasticsearch does when a pipeline drops one:
 * `"result": "noop"`, status 200, no id.
 */
export function markDroppedBulkItems(text: string, droppedItems: readonly number[]): string {
  if (droppedItems.length === 0) return text;
  const body = JSON.parse(text) as { items: Record<string, Record<string, unknown>>[] };
  for (const i of droppedItems) {
    const item = body.items[i];
    if (item === undefined) continue;
    for (const op of Object.keys(item)) {
      const result = item[op]!;
      item[op] = {
        _index: result['_index'],
        _id: null,
        _version: -3,
        result: 'noop',
        _shards: { total: 0, successful: 0, failed: 0 },
        status: 200,
      };
    }
  }
  return JSON.stringify(body);
}
