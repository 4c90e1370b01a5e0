import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { collectOutcomes, type PipelinedEvents } from '../../ingest/pipeline-outcomes.js';
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

/**
 * Runs decoded events through `?pipeline=` or the route table (the ingest routes call this before
 * they queue events). Null when no pipeline applies: the events are stored as decoded.
 */
export async function runIngestPipelines(
  ctx: ServerContext,
  events: Event[],
  pipeline: string | undefined,
  /** The Elasticsearch index the events were sent to (its default and final pipelines apply). */
  index?: string,
): Promise<PipelinedEvents | null> {
  if (events.length === 0) return null;
  const outcomes = await ctx.pipelines.process(events, {
    pipeline,
    limits: ctx.eventLimits,
    ...(index !== undefined ? { index } : {}),
  });
  if (outcomes === null) return null;
  return collectOutcomes(outcomes);
}
