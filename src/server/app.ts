import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { DEFAULT_EVENT_LIMITS } from '../model/normalize.js';
import { PipelineService } from '../pipeline/runtime/pipeline-service.js';
import { GroupCommitQueue } from '../queue/group-commit.js';
import type { Store } from '../store/store.js';
import type { Config } from './config.js';
import type { ServerContext } from './context.js';
import { installErrorHandler } from './error-handler.js';
import { EsCompatState } from './es-compat-state.js';
import { syncIndexPipelines, syncInstalledPipelines } from './installed-pipelines.js';
import { Metrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { registerDashboardRoutes } from './routes/dashboard-routes.js';
import { registerEsRoutes } from './routes/es-routes.js';
import { registerIngestRoutes } from './routes/ingest-routes.js';
import { registerOpsRoutes } from './routes/ops-routes.js';
import { registerPipelineRoutes } from './routes/pipeline-routes.js';
import { registerSearchRoutes } from './routes/search-routes.js';
import { registerTailRoutes } from './routes/tail-routes.js';
import { registerUiRoutes } from './routes/ui-routes.js';

export const CAIRN_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface AppOptions {
  config: Config;
  store: Store;
  /** Fastify logger option: `false` in tests, a pino config in `cairn serve`. */
  logger?: FastifyServerOptions['logger'];
  nowUs?: () => number;
}

export interface CairnApp {
  app: FastifyInstance;
  ctx: ServerContext;
  /** Stops taking requests, writes everything accepted, closes the store. */
  shutdown(): Promise<void>;
}

/** Builds the HTTP app around an open store. Listening is the caller's job (`app.listen`, or `app.inject` in tests). */
export async function buildApp(opts: AppOptions): Promise<CairnApp> {
  const { config, store } = opts;
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: config.limits.maxBodyBytes,
    requestIdHeader: 'x-request-id',
    // One log line per request would drown the log at ingest rates; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  let metricsRef: Metrics | undefined;
  const queue = new GroupCommitQueue(store, {
    maxBatchEvents: config.ingest.maxBatchEvents,
    maxPendingEvents: config.ingest.maxPendingEvents,
    onCommit: ({ events, durationMs, requests }) => {
      metricsRef?.commitDuration.observe(durationMs / 1000);
      metricsRef?.commitEvents.observe(events);
      app.log.debug({ events, requests, durationMs: Math.round(durationMs) }, 'batch committed');
    },
    onError: (err) => app.log.error({ err }, 'batch commit failed'),
  });
  const metrics = new Metrics(store, () => queue.pending);
  metricsRef = metrics;
  const nowUs = opts.nowUs ?? (() => Date.now() * 1000);
  const pipelines = await PipelineService.open({
    dataDir: config.dataDir,
    configDir: config.pipelines.dir,
    workers: config.pipelines.workers,
    maxPendingEvents: config.pipelines.maxPendingEvents,
    geoipDatabase: config.pipelines.geoipDatabase,
    nowUs,
  });
  const esState = EsCompatState.load(config.dataDir);
  syncInstalledPipelines(pipelines, esState, app.log);
  syncIndexPipelines(pipelines, esState);
  const ctx: ServerContext = {
    config,
    store,
    queue,
    metrics,
    eventLimits: {
      ...DEFAULT_EVENT_LIMITS,
      maxFields: config.limits.maxFieldsPerEvent,
      maxFieldNameLength: config.limits.maxFieldNameLength,
      maxValueLength: config.limits.maxValueLength,
    },
    esState,
    pipelines,
    nowUs,
    startedAtUs: Date.now() * 1000,
  };

  // Every body is read as bytes: ingest decodes gzip and NDJSON itself, and JSON routes parse on demand.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Elastic-Product', 'Elasticsearch');
  });
  installErrorHandler(app);

  await app.register(swagger, {
    mode: 'static',
    specification: { document: openApiDocument(CAIRN_VERSION) as never },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  let accepting = true;
  registerOpsRoutes(app, ctx, { ready: () => accepting, version: CAIRN_VERSION });
  registerIngestRoutes(app, ctx);
  registerPipelineRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerTailRoutes(app, ctx);
  await registerDashboardRoutes(app, ctx);
  // Before the Elasticsearch routes: browser navigations to `/` get the UI, shippers get `GET /`.
  registerUiRoutes(app);
  registerEsRoutes(app, ctx);

  const shutdown = async () => {
    accepting = false;
    await app.close();
    await pipelines.close();
    await queue.close();
    await store.close();
  };
  return { app, ctx, shutdown };
}
