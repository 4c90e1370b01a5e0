import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bulkResponseText } from '../../ingest/bulk.js';
import { invalidIndexReason, streamFromIndex } from '../../ingest/index-name.js';
import { bulkItemIds } from '../../ingest/ingest-job.js';
import { markDroppedBulkItems } from '../../ingest/pipeline-outcomes.js';
import { CairnError } from '../../model/errors.js';
import { normalizeEvent } from '../../model/normalize.js';
import type { RenderedDoc, SimulatedDoc } from '../../pipeline/simulate.js';
import { decodeBody, parseJsonBody } from '../body.js';
import type { ServerContext } from '../context.js';
import { flatIndexSettings } from '../es-compat-state.js';
import { applyFilterPath } from '../filter-path.js';
import { syncIndexPipelines, syncInstalledPipelines } from '../installed-pipelines.js';
import { runIngestPipelines } from './pipeline-routes.js';

/** The Elasticsearch version Cairn presents itself as: shippers pick their 8.x code paths from it. */
export const ES_VERSION = '8.19.0';
const CLUSTER_NAME = 'cairn';

type Params = Record<string, string>;
type Query = Record<string, string | undefined>;

/**
 * The Elasticsearch-compatible surface: `_bulk` and single-document indexing, plus the calls that
 * Filebeat, Logstash, Vector, Fluent Bit and the official clients make at start-up, answered so
 * they ship to Cairn unmodified.
 */
export function registerEsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const clusterUuid = createHash('sha256').update(ctx.config.dataDir).digest('base64url').slice(0, 22);
  const send = (req: FastifyRequest, reply: FastifyReply, body: unknown, status = 200) =>
    reply.status(status).send(applyFilterPath(body, (req.query as Query)['filter_path']));

  const info = () => ({
    name: 'cairn',
    cluster_name: CLUSTER_NAME,
    cluster_uuid: clusterUuid,
    version: {
      number: ES_VERSION,
      build_flavor: 'default',
      build_type: 'tar',
      build_hash: 'cairn',
      build_date: '2025-07-01T00:00:00.000Z',
      build_snapshot: false,
      lucene_version: '9.12.1',
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  });
  app.get('/', (req, reply) => send(req, reply, info()));

  const license = () => ({
    license: {
      status: 'active',
      uid: clusterUuid,
      type: 'basic',
      issue_date: '2025-01-01T00:00:00.000Z',
      issue_date_in_millis: 1735689600000,
      max_nodes: 1000,
      max_resource_units: null,
      issued_to: CLUSTER_NAME,
      issuer: 'elasticsearch',
      start_date_in_millis: -1,
    },
  });
  app.get('/_license', (req, reply) => send(req, reply, license()));
  app.get('/_xpack', (req, reply) =>
    send(req, reply, {
      build: { hash: 'cairn', date: '2025-07-01T00:00:00.000Z' },
      license: { uid: clusterUuid, type: 'basic', mode: 'basic', status: 'active' },
      features: {
        ilm: { available: true, enabled: true },
        security: { available: true, enabled: false },
        monitoring: { available: true, enabled: true },
      },
    }),
  );

  const health = async () => {
    const stats = await ctx.store.stats();
    return {
      cluster_name: CLUSTER_NAME,
      status: 'green',
      timed_out: false,
      number_of_nodes: 1,
      number_of_data_nodes: 1,
      active_primary_shards: stats.partitions,
      active_shards: stats.partitions,
      relocating_shards: 0,
      initializing_shards: 0,
      unassigned_shards: 0,
      delayed_unassigned_shards: 0,
      number_of_pending_tasks: 0,
      number_of_in_flight_fetch: 0,
      task_max_waiting_in_queue_millis: 0,
      active_shards_percent_as_number: 100.0,
    };
  };
  app.get('/_cluster/health', async (req, reply) => send(req, reply, await health()));
  app.get('/_cluster/health/:index', async (req, reply) => send(req, reply, await health()));

  const nodes = () => ({
    _nodes: { total: 1, successful: 1, failed: 0 },
    cluster_name: CLUSTER_NAME,
    nodes: {
      [clusterUuid]: {
        name: 'cairn',
        version: ES_VERSION,
        build_flavor: 'default',
        build_type: 'tar',
        roles: ['data', 'ingest', 'master'],
        http: {
          publish_address: `${ctx.config.host}:${ctx.config.port}`,
          bound_address: [`${ctx.config.host}:${ctx.config.port}`],
        },
        ingest: { processors: [] },
      },
    },
  });
  app.get('/_nodes', (req, reply) => send(req, reply, nodes()));
  app.get('/_nodes/*', (req, reply) => send(req, reply, nodes()));

  // Objects shippers install at start-up.
  const TEMPLATE_KINDS: ReadonlySet<string> = new Set([
    'index_template',
    'component_template',
    'legacy_template',
  ]);
  const objectRoutes: [string, Parameters<ServerContext['esState']['get']>[0], string][] = [
    ['/_index_template', 'index_template', 'index_templates'],
    ['/_component_template', 'component_template', 'component_templates'],
    ['/_ilm/policy', 'ilm_policy', ''],
    ['/_ingest/pipeline', 'ingest_pipeline', ''],
    ['/_template', 'legacy_template', ''],
  ];
  for (const [prefix, kind, listKey] of objectRoutes) {
    const render = (entries: [string, unknown][]) => {
      if (kind === 'index_template' || kind === 'component_template') {
        return { [listKey]: entries.map(([name, body]) => ({ name, [kind]: body })) };
      }
      if (kind === 'ilm_policy') {
        return Object.fromEntries(
          entries.map(([name, body]) => [
            name,
            {
              version: 1,
              modified_date: '2025-01-01T00:00:00.000Z',
              policy: (body as { policy?: unknown }).policy ?? body,
            },
          ]),
        );
      }
      return Object.fromEntries(entries);
    };
    const missing = (name: string) => {
      const type = kind === 'ilm_policy' ? 'resource_not_found_exception' : 'resource_not_found_exception';
      return {
        error: {
          root_cause: [{ type, reason: `${kind.replace('_', ' ')} [${name}] not found` }],
          type,
          reason: `${kind.replace('_', ' ')} [${name}] not found`,
        },
        status: 404,
      };
    };
    app.get(prefix, (req, reply) => send(req, reply, render(ctx.esState.find(kind))));
    app.get(`${prefix}/:name`, (req, reply) => {
      const name = (req.params as Params)['name']!;
      const found = ctx.esState.find(kind, name);
      if (found.length === 0) {
        return kind === 'ingest_pipeline' || kind === 'legacy_template'
          ? send(req, reply, {}, 404)
          : send(req, reply, missing(name), 404);
      }
      return send(req, reply, render(found));
    });
    const put = async (req: FastifyRequest, reply: FastifyReply) => {
      const name = (req.params as Params)['name']!;
      const body = parseJsonBody(decodeBody(req, ctx.config.limits.maxBodyBytes));
      await ctx.esState.put(kind, name, body);
      if (kind === 'ingest_pipeline') syncInstalledPipelines(ctx.pipelines, ctx.esState, req.log, [name]);
      if (TEMPLATE_KINDS.has(kind)) syncIndexPipelines(ctx.pipelines, ctx.esState);
      return send(req, reply, { acknowledged: true });
    };
    app.put(`${prefix}/:name`, put);
    app.post(`${prefix}/:name`, put);
    app.delete(`${prefix}/:name`, async (req, reply) => {
      const name = (req.params as Params)['name']!;
      const existed = await ctx.esState.delete(kind, name);
      if (existed && kind === 'ingest_pipeline')
        syncInstalledPipelines(ctx.pipelines, ctx.esState, req.log, []);
      if (existed && TEMPLATE_KINDS.has(kind)) syncIndexPipelines(ctx.pipelines, ctx.esState);
      return existed ? send(req, reply, { acknowledged: true }) : send(req, reply, missing(name), 404);
    });
  }

  // Elasticsearch's simulate API, on Cairn's pipeline engine: a Cairn pipeline by id, else one
  // installed through PUT _ingest/pipeline, else the inline `pipeline` of the body.
  const simulate = (req: FastifyRequest, reply: FastifyReply) => {
    const id = (req.params as Params)['id'];
    const body = parseJsonBody(decodeBody(req, ctx.config.limits.maxBodyBytes));
    const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const docs = fields['docs'];
    if (!Array.isArray(docs) || docs.length === 0)
      throw new CairnError(
        'bad_request',
        '[docs] must be a non-empty list of documents ({"_source": {...}})',
        {
          details: { esType: 'illegal_argument_exception' },
        },
      );
    let source: { id: string } | { definition: unknown };
    if (id === undefined) {
      if (fields['pipeline'] === undefined)
        throw new CairnError('bad_request', 'required property is missing: [pipeline]', {
          details: { esType: 'parse_exception' },
        });
      source = { definition: fields['pipeline'] };
    } else if (ctx.pipelines.catalog.get(id) !== undefined) {
      source = { id };
    } else {
      const installed = ctx.esState.get('ingest_pipeline', id);
      if (installed === undefined)
        throw new CairnError('not_found', `pipeline [${id}] is missing`, {
          details: { esType: 'resource_not_found_exception' },
        });
      source = { definition: installed };
    }
    const verbose = (req.query as Query)['verbose'];
    const results = ctx.pipelines.simulate({
      ...source,
      docs,
      verbose: verbose === '' || verbose === 'true',
      stream: '_index',
      limits: ctx.eventLimits,
    });
    const timestamp = new Date(ctx.nowUs() / 1000).toISOString();
    return send(req, reply, { docs: results.map((r) => esSimulatedDoc(r, timestamp)) });
  };
  app.post('/_ingest/pipeline/_simulate', simulate);
  app.get('/_ingest/pipeline/_simulate', simulate);
  app.post('/_ingest/pipeline/:id/_simulate', simulate);
  app.get('/_ingest/pipeline/:id/_simulate', simulate);

  // Data streams and indices map to Cairn streams; creating one is a no-op that succeeds.
  app.put('/_data_stream/:name', (req, reply) => send(req, reply, { acknowledged: true }));
  app.get('/_data_stream/:name', async (req, reply) => {
    const name = (req.params as Params)['name']!;
    const streams = await ctx.store.streams();
    const found = streams.filter((s) => s.name === streamFromIndex(name));
    if (found.length === 0) {
      const reason = `no such index [${name}]`;
      return send(
        req,
        reply,
        {
          error: {
            root_cause: [{ type: 'index_not_found_exception', reason }],
            type: 'index_not_found_exception',
            reason,
          },
          status: 404,
        },
        404,
      );
    }
    return send(req, reply, {
      data_streams: [
        {
          name,
          timestamp_field: { name: '@timestamp' },
          indices: [],
          generation: 1,
          status: 'GREEN',
          template: '',
          hidden: false,
          system: false,
        },
      ],
    });
  });

  const refreshed = { _shards: { total: 1, successful: 1, failed: 0 } };
  const refresh = async (req: FastifyRequest, reply: FastifyReply) => {
    await ctx.store.refresh();
    return send(req, reply, refreshed);
  };
  app.post('/_refresh', refresh);
  app.get('/_refresh', refresh);
  app.post('/:index/_refresh', refresh);
  app.get('/:index/_refresh', refresh);
  // Flush makes the store compact on disk (a DuckDB checkpoint); events are durable before it anyway.
  const flush = async (req: FastifyRequest, reply: FastifyReply) => {
    await ctx.store.flush();
    return send(req, reply, refreshed);
  };
  app.post('/_flush', flush);
  app.post('/:index/_flush', flush);

  const streamExists = async (index: string) => {
    const stream = streamFromIndex(index);
    const names = index.includes('*')
      ? (await ctx.store.streams())
          .map((s) => s.name)
          .filter((n) => new RegExp(`^${index.replaceAll('*', '.*')}$`).test(n))
      : (await ctx.store.streams()).filter((s) => s.name === stream).map((s) => s.name);
    return names.length > 0;
  };
  app.get('/:index', async (req, reply) => {
    const index = (req.params as Params)['index']!;
    if (!(await streamExists(index))) {
      const reason = `no such index [${index}]`;
      return send(
        req,
        reply,
        {
          error: {
            root_cause: [{ type: 'index_not_found_exception', reason, index }],
            type: 'index_not_found_exception',
            reason,
            index,
          },
          status: 404,
        },
        404,
      );
    }
    return send(req, reply, { [index]: { aliases: {}, mappings: {}, settings: indexSettings(index) } });
  });
  app.put('/:index', async (req, reply) => {
    const index = (req.params as Params)['index']!;
    const bad = invalidIndexReason(index);
    if (bad)
      throw new CairnError('bad_request', `Invalid index name [${index}], ${bad}`, {
        details: { esType: 'invalid_index_name_exception' },
      });
    const raw = decodeBody(req, ctx.config.limits.maxBodyBytes);
    const body = raw.length === 0 ? {} : parseJsonBody(raw);
    const settings =
      body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['settings'] : undefined;
    if (settings !== undefined) await updateIndexSettings(index, settings);
    return send(req, reply, { acknowledged: true, shards_acknowledged: true, index });
  });

  // Index settings: kept per index name; `index.default_pipeline` and `index.final_pipeline` apply.
  const indexSettings = (index: string) => {
    const stored = (ctx.esState.get('index_settings', index) ?? {}) as Record<string, unknown>;
    return nestSettings({ 'index.number_of_shards': '1', 'index.number_of_replicas': '0', ...stored });
  };
  const updateIndexSettings = async (index: string, settings: unknown) => {
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings))
      throw new CairnError(
        'bad_request',
        'Index settings must be an object such as {"index": {"default_pipeline": "nginx"}}',
        {
          details: { esType: 'illegal_argument_exception' },
        },
      );
    const merged = { ...((ctx.esState.get('index_settings', index) ?? {}) as Record<string, unknown>) };
    for (const [key, value] of Object.entries(flatIndexSettings(settings))) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    await ctx.esState.put('index_settings', index, merged);
    syncIndexPipelines(ctx.pipelines, ctx.esState);
  };
  app.get('/:index/_settings', async (req, reply) => {
    const index = (req.params as Params)['index']!;
    return send(req, reply, { [index]: { settings: indexSettings(index) } });
  });
  app.put('/:index/_settings', async (req, reply) => {
    const index = (req.params as Params)['index']!;
    const body = parseJsonBody(decodeBody(req, ctx.config.limits.maxBodyBytes));
    // The body is the settings, or {settings: ...}, as Elasticsearch accepts both.
    const settings =
      body !== null && typeof body === 'object' && 'settings' in body
        ? (body as { settings: unknown }).settings
        : body;
    await updateIndexSettings(index, settings);
    return send(req, reply, { acknowledged: true });
  });

  // Bulk and single-document indexing.
  const bulk = async (req: FastifyRequest, reply: FastifyReply) => {
    const started = performance.now();
    const defaultIndex = (req.params as Params)['index'];
    const body = decodeBody(req, ctx.config.limits.maxBodyBytes);
    ctx.metrics.bytesIngested.inc({ input: 'bulk' }, body.length);
    const pipeline = (req.query as Query)['pipeline'];
    const receivedUs = ctx.nowUs();
    // Parsing, pipelines and encoding run on an ingest worker; this thread only writes and answers.
    const decoded = await ctx.pipelines.decodeBulk(
      { body, receivedUs, limits: ctx.eventLimits, pipeline, columns: ctx.store.columnLog() },
      defaultIndex,
    );
    const stored = decoded.rows.count;
    const rejected = decoded.items.length - stored - decoded.droppedItems.length;
    if (rejected > 0) ctx.metrics.eventsRejected.inc({ input: 'bulk' }, rejected);
    const result = await ctx.queue.submitBatch({ rows: decoded.rows }, stored);
    ctx.metrics.eventsIngested.inc({ input: 'bulk' }, stored);
    if (wantsRefresh(req)) await ctx.store.refresh();
    const text = markDroppedBulkItems(
      bulkResponseText(decoded.items, bulkItemIds(decoded, result.ids), performance.now() - started),
      decoded.droppedItems,
    );
    const filterPath = (req.query as Query)['filter_path'];
    if (filterPath) return reply.send(applyFilterPath(JSON.parse(text), filterPath));
    return reply.type('application/json; charset=utf-8').send(text);
  };

  app.post('/_bulk', bulk);
  app.put('/_bulk', bulk);
  app.post('/:index/_bulk', bulk);
  app.put('/:index/_bulk', bulk);

  const indexOne = async (req: FastifyRequest, reply: FastifyReply) => {
    const { index, id } = req.params as Params;
    const bad = invalidIndexReason(index!);
    if (bad)
      throw new CairnError('bad_request', `Invalid index name [${index}], ${bad}`, {
        details: { esType: 'invalid_index_name_exception' },
      });
    const doc = parseJsonBody(decodeBody(req, ctx.config.limits.maxBodyBytes));
    const result = normalizeEvent(doc, {
      stream: streamFromIndex(index!),
      receivedUs: ctx.nowUs(),
      limits: ctx.eventLimits,
      ...(id !== undefined ? { id } : {}),
    });
    if (!result.ok) {
      throw new CairnError(
        'invalid_event',
        `${result.field ? `failed to parse field [${result.field}]: ` : ''}${result.reason}`,
        {
          details: { esType: 'document_parsing_exception', ...(result.field ? { field: result.field } : {}) },
        },
      );
    }
    const piped = await runIngestPipelines(ctx, [result.event], (req.query as Query)['pipeline'], index);
    if (piped?.rejected[0]) {
      throw new CairnError('invalid_event', piped.rejected[0].reason, {
        details: { esType: piped.rejected[0].type ?? 'document_parsing_exception' },
      });
    }
    if (piped?.dropped) {
      return send(
        req,
        reply,
        {
          _index: index,
          _id: null,
          _version: -3,
          result: 'noop',
          _shards: { total: 0, successful: 0, failed: 0 },
        },
        200,
      );
    }
    const stored = await ctx.queue.submit(piped?.events ?? [result.event]);
    ctx.metrics.eventsIngested.inc({ input: 'bulk' }, 1);
    if (wantsRefresh(req)) await ctx.store.refresh();
    return send(
      req,
      reply,
      {
        _index: index,
        _id: stored.ids[0],
        _version: 1,
        result: 'created',
        _shards: { total: 1, successful: 1, failed: 0 },
        _seq_no: 0,
        _primary_term: 1,
      },
      201,
    );
  };
  app.post('/:index/_doc', indexOne);
  app.post('/:index/_doc/:id', indexOne);
  app.put('/:index/_doc/:id', indexOne);
  app.post('/:index/_create/:id', indexOne);
  app.put('/:index/_create/:id', indexOne);
}

/**
 * Elasticsearch's `refresh` parameter: `true`, `wait_for` (or present without a value) makes the
 * request wait until its documents are searchable; absent or `false`, they are within a second.
 */
export function wantsRefresh(req: FastifyRequest, fallback = false): boolean {
  const value = (req.query as Query)['refresh'];
  if (value === undefined) return fallback;
  return value === '' || value === 'true' || value === 'wait_for';
}

/** A simulated document as Elasticsearch writes it (`_version` -3, `_ingest.timestamp`, errors with root_cause). */
function esSimulatedDoc(result: SimulatedDoc, timestamp: string): unknown {
  const doc = (d: RenderedDoc) => ({ ...d, _version: '-3', _ingest: { timestamp } });
  const error = (e: { type: string; reason: string }) => ({
    root_cause: [e],
    type: e.type,
    reason: e.reason,
  });
  const steps = result.processor_results?.map((p) => ({
    ...p,
    ...(p.doc !== undefined ? { doc: doc(p.doc) } : {}),
    ...(p.error !== undefined ? { error: error(p.error) } : {}),
  }));
  if (steps !== undefined) return { processor_results: steps };
  if ('doc' in result) return { doc: doc(result.doc) };
  if ('error' in result) return { error: error(result.error) };
  return null; // dropped
}

/**
 * Flat `index.*` settings as Elasticsearch shows them by default: nested objects. They have no
 * prototype, so a client's `__proto__` key is an ordinary member.
 */
function nestSettings(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let at = out;
    for (const p of parts.slice(0, -1)) {
      const next = at[p];
      if (next === null || typeof next !== 'object') at[p] = Object.create(null);
      at = at[p] as Record<string, unknown>;
    }
    at[parts[parts.length - 1]!] = value;
  }
  return out;
}
