import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { DecodedBulk, DecodedLines } from '../../ingest/ingest-job.js';
import { applyFinalPass, finalPass } from '../../ingest/pipeline-outcomes.js';
import { CairnError } from '../../model/errors.js';
import type { Event } from '../../model/event.js';
import type { EventLimits } from '../../model/normalize.js';
import {
  type InstalledPipeline,
  NO_PIPELINE,
  PipelineCatalog,
  type PipelineEntry,
  type PipelineOutcome,
  type PipelineRoute,
} from '../catalog.js';
import type { IndexPipelineTable } from '../index-pipelines.js';
import { type SimulatedDoc, type SimulateInput, simulatePipeline } from '../simulate.js';
import {
  deleteDefinition,
  type FileProblem,
  ROUTES_ID,
  readDefinitions,
  writeDefinition,
} from './pipeline-files.js';
import { LazyResources } from './resources.js';
import { type DecodeJob, PipelineWorkerPool } from './worker-pool.js';

export interface PipelineServiceOptions {
  dataDir: string;
  /** Directory of pipeline files managed outside Cairn ('' or absent: none). */
  configDir?: string;
  /** Worker threads; 0 or absent: one per core. */
  workers?: number;
  /** Events being parsed before ingest answers 429. */
  maxPendingEvents?: number;
  /** A MaxMind GeoIP2/GeoLite2 City file to use instead of the bundled DB-IP Lite data. */
  geoipDatabase?: string;
  nowUs: () => number;
}

/** An ingest body to decode; `pipeline` is the request's `?pipeline=`. */
export type ServiceDecodeJob = Omit<DecodeJob, 'pipelines' | 'format'> & { pipeline: string | undefined };

/** Most documents one simulate request may hold. */
export const MAX_SIMULATE_DOCS = 1000;

/**
 * The server's pipelines: the catalog (built-in, config-directory and API-made pipelines plus the
 * route table), their persistence, and the worker pool that runs them for ingest requests.
 */
export class PipelineService {
  private readonly pool: PipelineWorkerPool;
  private readonly apiDir: string;
  private fileIds = new Set<string>();
  private routesFromFile: string | null = null;

  private constructor(
    readonly catalog: PipelineCatalog,
    private readonly resources: LazyResources,
    private readonly options: PipelineServiceOptions,
  ) {
    this.apiDir = join(options.dataDir, 'pipelines');
    this.pool = new PipelineWorkerPool({
      size: options.workers !== undefined && options.workers > 0 ? options.workers : availableParallelism(),
      maxPendingEvents: options.maxPendingEvents ?? 200_000,
      snapshot: () => this.catalog.snapshot(),
      version: () => this.catalog.version,
      // The GeoIP data (130 MB) is read only once a pipeline that needs it runs.
      geoip: (pipeline) => (this.catalog.uses('geoip', pipeline) ? this.resources.geoipSource() : null),
      loadGeoip: () => this.resources.geoipSource(),
      nowOffsetUs: () => options.nowUs() - Date.now() * 1000,
    });
  }

  /** Loads the config directory and the API-made pipelines; throws CairnError listing every problem. */
  static async open(options: PipelineServiceOptions): Promise<PipelineService> {
    const resources = new LazyResources(
      options.geoipDatabase ? { geoipDatabase: options.geoipDatabase } : {},
    );
    const catalog = new PipelineCatalog({ nowUs: options.nowUs, random: Math.random, resources });
    const service = new PipelineService(catalog, resources, options);
    await service.load();
    return service;
  }

  private async load(): Promise<void> {
    const problems: FileProblem[] = [];
    const fromConfig = this.options.configDir
      ? await readDefinitions(this.options.configDir)
      : { files: [], problems: [] };
    const fromApi = await readDefinitions(this.apiDir);
    problems.push(...fromConfig.problems, ...fromApi.problems);
    const configIds = new Set(fromConfig.files.map((f) => f.id));
    const pending = [
      ...fromConfig.files.filter((f) => f.id !== ROUTES_ID).map((f) => ({ ...f, source: 'file' as const })),
      ...fromApi.files
        .filter((f) => f.id !== ROUTES_ID && !configIds.has(f.id))
        .map((f) => ({ ...f, source: 'api' as const })),
    ];
    // Pipelines may call each other: add them in passes until no more can be added.
    let remaining = pending;
    for (;;) {
      const failed: typeof pending = [];
      for (const f of remaining) {
        try {
          this.catalog.set(f.id, f.definition, f.source, f.path);
          if (f.source === 'file') this.fileIds.add(f.id);
        } catch {
          failed.push(f);
        }
      }
      if (failed.length === 0 || failed.length === remaining.length) {
        for (const f of failed) {
          try {
            this.catalog.validate(f.id, f.definition);
          } catch (err) {
            problems.push({ path: f.path, message: (err as Error).message });
          }
        }
        break;
      }
      remaining = failed;
    }
    const routesFile =
      fromConfig.files.find((f) => f.id === ROUTES_ID) ?? fromApi.files.find((f) => f.id === ROUTES_ID);
    if (routesFile !== undefined) {
      try {
        this.catalog.setRoutes(routesFile.definition);
        if (fromConfig.files.includes(routesFile)) this.routesFromFile = routesFile.path;
      } catch (err) {
        problems.push({ path: routesFile.path, message: (err as Error).message });
      }
    }
    if (problems.length > 0) {
      problems.sort((a, b) => a.path.localeCompare(b.path));
      const list = problems.map((p) => `${p.path}: ${p.message.replace(/\n/g, '\n    ')}`);
      throw new CairnError('bad_request', `Cannot load pipelines:\n  - ${list.join('\n  - ')}`, {
        details: { errors: problems },
      });
    }
  }

  /** Re-reads the config directory (pipelines made through the API stay). */
  async reload(): Promise<void> {
    for (const id of this.fileIds) this.catalog.remove(id);
    this.fileIds.clear();
    this.routesFromFile = null;
    await this.load();
  }

  list(): PipelineEntry[] {
    return this.catalog.list();
  }

  get(id: string): PipelineEntry {
    const entry = this.catalog.get(id);
    if (entry === undefined)
      throw new CairnError('not_found', `There is no pipeline "${id}"`, { details: { pipeline: id } });
    return entry;
  }

  private assertWritable(id: string): void {
    const entry = this.catalog.get(id);
    if (entry?.source === 'builtin')
      throw new CairnError(
        'bad_request',
        `Cannot change pipeline "${id}": it is built in; copy its definition under another id`,
        {
          details: { pipeline: id },
        },
      );
    if (entry?.source === 'file')
      throw new CairnError(
        'bad_request',
        `Cannot change pipeline "${id}" through the API: it is defined in ${entry.file}; edit that file and reload`,
        {
          details: { pipeline: id, file: entry.file },
        },
      );
  }

  /** Creates or replaces a pipeline; `created` tells which. */
  async put(id: string, definition: unknown): Promise<{ entry: PipelineEntry; created: boolean }> {
    this.assertWritable(id);
    const created = this.catalog.get(id) === undefined;
    this.catalog.validate(id, definition);
    const path = await writeDefinition(this.apiDir, id, definition);
    return { entry: this.catalog.set(id, definition, 'api', path), created };
  }

  async delete(id: string): Promise<void> {
    this.get(id);
    this.assertWritable(id);
    const users = this.catalog.routes.filter((r) => r.pipeline === id);
    if (users.length > 0)
      throw new CairnError(
        'bad_request',
        `Cannot delete pipeline "${id}": the route table uses it; change the routes first`,
        {
          details: { pipeline: id, routes: users },
        },
      );
    await deleteDefinition(this.apiDir, id);
    this.catalog.remove(id);
  }

  get routes(): PipelineRoute[] {
    return this.catalog.routes;
  }

  /**
   * The pipelines installed through Elasticsearch's `PUT _ingest/pipeline` (all of them, as now
   * stored), which `_bulk` documents may name in their action lines. Returns them with what Cairn
   * made of each: a pipeline it cannot run has its `error`.
   */
  /** Replaces what index templates and index settings say about default and final pipelines. */
  setIndexPipelines(table: IndexPipelineTable): void {
    this.catalog.setIndexPipelines(table);
  }

  setInstalled(pipelines: readonly [string, unknown][]): InstalledPipeline[] {
    return this.catalog.setInstalled(pipelines.map(([id, definition]) => ({ id, definition })));
  }

  async setRoutes(raw: unknown): Promise<PipelineRoute[]> {
    if (this.routesFromFile !== null)
      throw new CairnError(
        'bad_request',
        `Cannot change the routes through the API: they are defined in ${this.routesFromFile}`,
        {
          details: { file: this.routesFromFile },
        },
      );
    const routes = this.catalog.setRoutes(raw);
    await writeDefinition(this.apiDir, ROUTES_ID, { routes });
    return routes;
  }

  /**
   * Runs decoded events through the requested pipeline (`?pipeline=`), else the route table's
   * choice. Returns null when nothing applies (no pipeline requested, no routes): the events go on
   * untouched, at no cost.
   */
  async process(
    events: Event[],
    opts: { pipeline: string | undefined; limits: EventLimits; index?: string },
  ): Promise<PipelineOutcome[] | null> {
    let requested = opts.pipeline === undefined || opts.pipeline === '' ? null : opts.pipeline;
    if (requested !== null) this.assertKnown(requested);
    // An Elasticsearch index's default pipeline applies when the request names none; its final
    // pipeline runs after whichever ran.
    const index = opts.index === undefined ? null : this.catalog.pipelinesForIndex(opts.index);
    if (requested === null && index?.defaultPipeline) requested = index.defaultPipeline;
    const final = index?.finalPipeline && index.finalPipeline !== NO_PIPELINE ? index.finalPipeline : null;
    let outcomes: PipelineOutcome[] | null = null;
    if (requested !== NO_PIPELINE && (requested !== null || this.catalog.hasRoutes))
      outcomes = await this.runKnown(events, requested, opts.limits);
    if (final === null) return outcomes;
    outcomes ??= events.map((event) => ({ kind: 'kept', event }));
    const pass = finalPass(outcomes, () => final);
    if (pass.events.length > 0)
      applyFinalPass(outcomes, pass, await this.runKnown(pass.events, final, opts.limits));
    return outcomes;
  }

  /** Runs a pipeline; one nobody defined or installed fails each event, as Elasticsearch does. */
  private runKnown(
    events: Event[],
    pipeline: string | null,
    limits: EventLimits,
  ): Promise<PipelineOutcome[]> {
    if (pipeline === null || this.catalog.knows(pipeline)) return this.pool.run(events, pipeline, limits);
    const reason = `pipeline with id [${pipeline}] does not exist`;
    return Promise.resolve(
      events.map(() => ({ kind: 'rejected', reason, type: 'illegal_argument_exception' }) as const),
    );
  }

  /**
   * Does a `_bulk` request's work before the write on a worker thread: parse and normalise its
   * documents, run `?pipeline=` or the route table's choice (when any applies), encode store rows
   * against `job.columns`.
   */
  decodeBulk(job: ServiceDecodeJob, defaultIndex: string | undefined): Promise<DecodedBulk> {
    const { pipeline, ...rest } = job;
    return this.pool.decode({
      ...rest,
      format: { kind: 'bulk', defaultIndex: defaultIndex ?? null },
      // `?pipeline=_none` still matters to a _bulk request: index default pipelines then do not apply.
      pipelines: pipeline === NO_PIPELINE ? { pipeline: NO_PIPELINE } : this.pipelinesFor(pipeline),
    });
  }

  /** The same for an `/api/v1/ingest` body of JSON or text lines, for one stream. */
  decodeLines(job: ServiceDecodeJob, format: 'json' | 'text', stream: string): Promise<DecodedLines> {
    const { pipeline, ...rest } = job;
    return this.pool.decode({
      ...rest,
      format: { kind: format, stream },
      pipelines: this.pipelinesFor(pipeline),
    });
  }

  /** What a request's `?pipeline=` asks the workers to run: null when no pipeline applies. */
  private pipelinesFor(pipeline: string | undefined): { pipeline: string | null } | null {
    const requested = pipeline === undefined || pipeline === '' ? null : pipeline;
    if (requested === NO_PIPELINE) return null;
    if (requested === null) return this.catalog.hasRoutes ? { pipeline: null } : null;
    this.assertKnown(requested);
    return { pipeline: requested };
  }

  /** A pipeline a request may ask for: a Cairn pipeline, or one installed through Elasticsearch's API. */
  private assertKnown(id: string): void {
    if (!this.catalog.knows(id)) this.get(id);
  }

  simulate(opts: {
    id?: string;
    definition?: unknown;
    docs: readonly SimulateInput[];
    verbose: boolean;
    stream: string;
    limits: EventLimits;
  }): SimulatedDoc[] {
    if (opts.docs.length > MAX_SIMULATE_DOCS)
      throw new CairnError(
        'bad_request',
        `Cannot simulate ${opts.docs.length} documents: at most ${MAX_SIMULATE_DOCS} per request`,
      );
    if (opts.id !== undefined) this.get(opts.id);
    const pipeline =
      opts.id !== undefined ? this.catalog.pipeline(opts.id)! : this.catalog.compileInline(opts.definition);
    return simulatePipeline(pipeline, opts.docs, {
      verbose: opts.verbose,
      stream: opts.stream,
      receivedUs: this.options.nowUs(),
      limits: opts.limits,
      resolve: (id) => this.catalog.pipeline(id),
    });
  }

  /** Events in the worker pool now (for metrics). */
  get pending(): number {
    return this.pool.inflight;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
