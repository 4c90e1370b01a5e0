import type { FastifyInstance } from 'fastify';
import { decodeBody, parseJsonBody } from '../body.js';
import type { ServerContext } from '../context.js';
import { parseDashboardInput } from '../dashboards/dashboard.js';
import { DashboardStore } from '../dashboards/dashboard-store.js';

type IdParams = { id: string };

/**
 * Dashboards saved on the server: list, read, create, replace, duplicate, delete, export and import.
 * The store lives in the data directory, so dashboards survive restarts and travel with snapshots.
 */
export async function registerDashboardRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const store = await DashboardStore.open({ dataDir: ctx.config.dataDir });
  const body = (req: Parameters<typeof decodeBody>[0]) =>
    parseJsonBody(decodeBody(req, ctx.config.limits.maxBodyBytes));

  app.get('/api/v1/dashboards', async () => ({ dashboards: store.list() }));

  app.post('/api/v1/dashboards', async (req, reply) => {
    const dashboard = await store.create(parseDashboardInput(body(req)));
    return reply.status(201).send({ dashboard });
  });

  app.post('/api/v1/dashboards/_import', async (req, reply) => {
    const dashboard = await store.import(parseDashboardInput(body(req)));
    return reply.status(201).send({ dashboard });
  });

  app.get<{ Params: IdParams }>('/api/v1/dashboards/:id', async (req) => ({
    dashboard: store.get(req.params.id),
  }));

  app.put<{ Params: IdParams }>('/api/v1/dashboards/:id', async (req) => ({
    dashboard: await store.replace(req.params.id, parseDashboardInput(body(req))),
  }));

  app.delete<{ Params: IdParams }>('/api/v1/dashboards/:id', async (req, reply) => {
    await store.delete(req.params.id);
    return reply.status(204).send();
  });

  app.post<{ Params: IdParams }>('/api/v1/dashboards/:id/_duplicate', async (req, reply) => {
    const dashboard = await store.duplicate(req.params.id);
    return reply.status(201).send({ dashboard });
  });

  app.get<{ Params: IdParams }>('/api/v1/dashboards/:id/_export', async (req, reply) => {
    const exported = store.exportOf(req.params.id);
    const name = exported.dashboard.title.replace(/[^\w-]+/g, '-').toLowerCase() || 'dashboard';
    reply.header('Content-Disposition', `attachment; filename="${name}.dashboard.json"`);
    return exported;
  });
}
