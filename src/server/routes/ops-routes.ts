import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { openApiDocument } from '../openapi.js';

export function registerOpsRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  state: { ready: () => boolean; version: string },
): void {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_req, reply) => {
    if (!state.ready()) return reply.status(503).send({ status: 'shutting_down' });
    const stats = await ctx.store.stats();
    return { status: 'ready', events: stats.events, pending: ctx.queue.pending };
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('Content-Type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
  app.get('/api/v1/openapi.json', async () => openApiDocument(state.version));
}
