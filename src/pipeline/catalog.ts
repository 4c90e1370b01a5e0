import { CairnError } from '../model/errors.js';
import type { Event } from '../model/event.js';
import type { EventLimits } from '../model/normalize.js';
import { globMatch, hasWildcard } from '../query/wildcard.js';
import { BUILTIN_PIPELINES } from './builtins/index.js';
import {
  buildPipeline,
  type CompileEnv,
  compilePipelineConfig,
  invalidPipeline,
  parsePipelineDefinition,
} from './compile.js';
import { type Condition, compileCondition } from './condition.js';
import { addTags, createDoc } from './doc.js';
import { finishEvent } from './finish.js';
import {
  EMPTY_INDEX_PIPELINES,
  hasIndexPipelines,
  type IndexPipelineTable,
  pipelinesForIndex,
} from './index-pipelines.js';
import { ConfigErrors, isPlainObject } from './options.js';
import type { ProcessorConfig, ProcessorKind } from './registry.js';
import { runPipeline } from './run.js';
import type { CompiledPipeline, PipelineConfig, PipelineResources, ProcessorConfigBase } from './types.js';

export type PipelineSource = 'builtin' | 'file' | 'api';

export interface PipelineEntry {
  id: string;
  source: PipelineSource;
  /** The definition as written (decoded YAML/JSON). */
  definition: unknown;
  config: PipelineConfig;
  /** The file it was read from (source `file`). */
  file?: string;
}

/** One row of the route table: the first row whose stream pattern and condition match picks the pipeline. */
export interface PipelineRoute {
  /** Stream name or glob (`nginx-*`); absent: every stream. */
  stream?: string;
  /** Condition in the query language on the event; absent: always. */
  if?: string;
  pipeline: string;
}

/** What happened to one event: kept (possibly changed), dropped by the pipeline, or rejected. */
export type PipelineOutcome =
  | { kind: 'kept'; event: Event }
  | { kind: 'dropped' }
  /** `type`: an Elasticsearch exception type when the event never ran (its pipeline does not exist). */
  | { kind: 'rejected'; reason: string; field?: string; type?: string };

/** `?pipeline=_none` turns routing off for a request (Elasticsearch's spelling). */
export const NO_PIPELINE = '_none';

/** The tag on an event whose document named an installed pipeline Cairn cannot run (stored as sent). */
export const UNSUPPORTED_PIPELINE_TAG = '_cairn_pipeline_unsupported';

/**
 * A pipeline installed through Elasticsearch's `PUT _ingest/pipeline/{id}` (shippers install theirs at
 * start-up). Documents name it in their `_bulk` action line; Cairn runs it when it has its processors
 * (`config`), else `error` says why not.
 */
export interface InstalledPipeline {
  id: string;
  definition: unknown;
  config: PipelineConfig | null;
  error: string | null;
}

export interface CatalogOptions {
  nowUs: () => number;
  random: () => number;
  resources: PipelineResources;
}

interface CompiledRoute {
  route: PipelineRoute;
  condition: Condition | null;
}

/**
 * The pipelines a server knows (built-in ones, files from the config directory, ones made through
 * the API) and the route table, with compiled pipelines cached. No I/O: loading and saving
 * definitions is the runtime's job (runtime/pipeline-files.ts).
 */
export class PipelineCatalog {
  private readonly entries = new Map<string, PipelineEntry>();
  private readonly builtins = new Map<string, PipelineEntry>();
  private readonly compiled = new Map<string, CompiledPipeline>();
  private readonly installed = new Map<string, InstalledPipeline>();
  private routeTable: CompiledRoute[] = [];
  private indexTable: IndexPipelineTable = EMPTY_INDEX_PIPELINES;
  private anyIndexPipelines = false;
  private readonly byIndex = new Map<
    string,
    { defaultPipeline: string | null; finalPipeline: string | null }
  >();
  /** Bumped on every change, so copies in worker threads know when to reload. */
  version = 0;

  constructor(private readonly options: CatalogOptions) {
    for (const builtin of BUILTIN_PIPELINES.values()) {
      const errors = new ConfigErrors();
      const config = parsePipelineDefinition(builtin.definition, builtin.id, errors);
      if (!errors.empty) throw invalidPipeline(builtin.id, errors.list);
      this.builtins.set(builtin.id, {
        id: builtin.id,
        source: 'builtin',
        definition: builtin.definition,
        config,
      });
    }
  }

  private env(): CompileEnv {
    return {
      nowUs: this.options.nowUs,
      random: this.options.random,
      resources: this.options.resources,
      pipelineExists: (id) => this.configOf(id) !== undefined,
      builtin: (id) => this.builtins.get(id)?.config,
    };
  }

  get(id: string): PipelineEntry | undefined {
    return this.entries.get(id) ?? this.builtins.get(id);
  }

  /** What a pipeline id runs: a Cairn pipeline's config, else a runnable installed one's. */
  private configOf(id: string): PipelineConfig | undefined {
    return this.get(id)?.config ?? this.installed.get(id)?.config ?? undefined;
  }

  /**
   * Replaces the installed Elasticsearch pipelines. Each is compiled with Cairn's processors; one
   * that cannot be (a processor or a Painless condition Cairn does not have) is kept with its error.
   * Installed pipelines may call each other, so they are compiled in passes.
   */
  setInstalled(pipelines: readonly { id: string; definition: unknown }[]): InstalledPipeline[] {
    this.installed.clear();
    let remaining = [...pipelines];
    for (;;) {
      const failed: { id: string; definition: unknown; error: string }[] = [];
      for (const p of remaining) {
        try {
          const { config } = buildPipeline(p.definition, p.id, this.env());
          this.installed.set(p.id, { id: p.id, definition: p.definition, config, error: null });
        } catch (err) {
          failed.push({ ...p, error: (err as Error).message });
        }
      }
      if (failed.length === 0 || failed.length === remaining.length) {
        for (const f of failed) this.installed.set(f.id, { ...f, config: null });
        break;
      }
      remaining = failed;
    }
    this.changed();
    return [...this.installed.values()];
  }

  /** Replaces what index templates and index settings say about default and final pipelines. */
  setIndexPipelines(table: IndexPipelineTable): void {
    this.indexTable = table;
    this.anyIndexPipelines = hasIndexPipelines(table);
    this.byIndex.clear();
    this.version++;
  }

  /**
   * The `index.default_pipeline` and `index.final_pipeline` of an Elasticsearch index name (null:
   * none), or null when no template or index setting names any pipeline.
   */
  pipelinesForIndex(index: string): { defaultPipeline: string | null; finalPipeline: string | null } | null {
    if (!this.anyIndexPipelines) return null;
    let hit = this.byIndex.get(index);
    if (hit === undefined) {
      // Bounded: index names carry dates, so a long-running server sees many.
      if (this.byIndex.size >= 10_000) this.byIndex.clear();
      hit = pipelinesForIndex(this.indexTable, index);
      this.byIndex.set(index, hit);
    }
    return hit;
  }

  /** Whether a document may name this pipeline: a Cairn pipeline, an installed one, or `_none`. */
  knows(id: string): boolean {
    return id === NO_PIPELINE || this.get(id) !== undefined || this.installed.has(id);
  }

  /** Every pipeline, user-defined first, each list sorted by id. */
  list(): PipelineEntry[] {
    const byId = (a: PipelineEntry, b: PipelineEntry) => a.id.localeCompare(b.id);
    return [...[...this.entries.values()].sort(byId), ...[...this.builtins.values()].sort(byId)];
  }

  /** Checks a definition as `set` would, without storing it; throws CairnError listing every problem. */
  validate(id: string, definition: unknown): PipelineConfig {
    if (this.builtins.has(id))
      throw new CairnError(
        'bad_request',
        `Cannot define pipeline "${id}": a built-in pipeline has that id; choose another`,
        {
          details: { pipeline: id },
        },
      );
    return buildPipeline(definition, id, this.env()).config;
  }

  set(
    id: string,
    definition: unknown,
    source: Exclude<PipelineSource, 'builtin'>,
    file?: string,
  ): PipelineEntry {
    const config = this.validate(id, definition);
    const entry: PipelineEntry = { id, source, definition, config, ...(file !== undefined ? { file } : {}) };
    this.entries.set(id, entry);
    this.changed();
    return entry;
  }

  remove(id: string): boolean {
    const existed = this.entries.delete(id);
    if (existed) this.changed();
    return existed;
  }

  private changed(): void {
    this.compiled.clear();
    this.version++;
  }

  /** Compiles a definition that is not stored (simulate's inline pipeline). */
  compileInline(definition: unknown): CompiledPipeline {
    return buildPipeline(definition, 'inline', this.env()).compiled;
  }

  /** The user-defined pipelines and routes, for copies of the catalog in worker threads. */
  snapshot(): {
    version: number;
    pipelines: { id: string; source: Exclude<PipelineSource, 'builtin'>; definition: unknown }[];
    installed: { id: string; definition: unknown }[];
    routes: PipelineRoute[];
    indexPipelines: IndexPipelineTable;
  } {
    return {
      version: this.version,
      indexPipelines: this.indexTable,
      pipelines: [...this.entries.values()].map((e) => ({
        id: e.id,
        source: e.source === 'builtin' ? 'api' : e.source,
        definition: e.definition,
      })),
      installed: [...this.installed.values()].map((p) => ({ id: p.id, definition: p.definition })),
      routes: this.routes,
    };
  }

  /**
   * Whether running `id` (null: any pipeline the routes name) may use a processor of `kind`,
   * following `pipeline` calls, `auto` formats and failure handlers. Lets the runtime load big
   * resources (the GeoIP data) only for pipelines that need them.
   */
  uses(kind: ProcessorKind, id: string | null): boolean {
    const seen = new Set<string>();
    const visit = (pipelineId: string): boolean => {
      if (seen.has(pipelineId)) return false;
      seen.add(pipelineId);
      const config = this.configOf(pipelineId);
      return config !== undefined && (list(config.processors) || list(config.on_failure ?? []));
    };
    const list = (configs: readonly ProcessorConfigBase[]): boolean =>
      configs.some((base) => {
        const c = base as ProcessorConfig;
        if (c.kind === kind) return true;
        if (c.on_failure !== undefined && list(c.on_failure)) return true;
        if (c.kind === 'pipeline') return visit(c.name);
        if (c.kind === 'auto') return c.formats.some(visit);
        return false;
      });
    if (id !== null) return visit(id);
    return this.routeTable.some((r) => r.route.pipeline !== NO_PIPELINE && visit(r.route.pipeline));
  }

  /** The compiled pipeline, or null when there is none with that id. */
  pipeline(id: string): CompiledPipeline | null {
    const hit = this.compiled.get(id);
    if (hit !== undefined) return hit;
    const config = this.configOf(id);
    if (config === undefined) return null;
    const errors = new ConfigErrors();
    const compiled = compilePipelineConfig(config, this.env(), errors);
    if (!errors.empty) throw invalidPipeline(id, errors.list);
    this.compiled.set(id, compiled);
    return compiled;
  }

  get routes(): PipelineRoute[] {
    return this.routeTable.map((r) => r.route);
  }

  /** Replaces the route table; throws CairnError listing every problem (nothing changes then). */
  setRoutes(raw: unknown): PipelineRoute[] {
    const errors = new ConfigErrors();
    const table: CompiledRoute[] = [];
    const list = isPlainObject(raw) && raw['routes'] !== undefined ? raw['routes'] : raw;
    if (!Array.isArray(list)) {
      errors.add('routes', 'expected a list of routes such as [{stream: "nginx-*", pipeline: nginx}]');
    } else {
      list.forEach((item: unknown, i) => {
        const path = `routes[${i}]`;
        if (!isPlainObject(item)) {
          errors.add(path, 'expected {stream?, if?, pipeline}');
          return;
        }
        for (const key of Object.keys(item))
          if (key !== 'stream' && key !== 'if' && key !== 'pipeline')
            errors.add(`${path}.${key}`, 'unknown option (known: stream, if, pipeline)');
        const { stream, if: condition, pipeline } = item;
        if (typeof pipeline !== 'string' || pipeline === '')
          errors.add(`${path}.pipeline`, 'is required: a pipeline id');
        else if (pipeline !== NO_PIPELINE && this.get(pipeline) === undefined)
          errors.add(`${path}.pipeline`, `there is no pipeline "${pipeline}"`);
        if (stream !== undefined && typeof stream !== 'string')
          errors.add(`${path}.stream`, 'expected a stream name or glob');
        let compiled: Condition | null = null;
        if (condition !== undefined) {
          if (typeof condition !== 'string') errors.add(`${path}.if`, 'expected a query');
          else {
            try {
              compiled = compileCondition(condition, this.options.nowUs());
            } catch (err) {
              errors.add(`${path}.if`, (err as Error).message);
            }
          }
        }
        const route: PipelineRoute = { pipeline: String(pipeline) };
        if (typeof stream === 'string') route.stream = stream;
        if (typeof condition === 'string') route.if = condition;
        table.push({ route, condition: compiled });
      });
    }
    if (!errors.empty) throw invalidPipeline('_routes', errors.list);
    this.routeTable = table;
    this.version++;
    return this.routes;
  }

  /** The pipeline the route table picks for an event, or null. */
  route(event: Event): string | null {
    if (this.routeTable.length === 0) return null;
    let doc: ReturnType<typeof createDoc> | null = null;
    for (const { route, condition } of this.routeTable) {
      if (route.stream !== undefined) {
        const matches = hasWildcard(route.stream)
          ? globMatch(route.stream, event.stream)
          : route.stream === event.stream;
        if (!matches) continue;
      }
      if (condition !== null) {
        doc ??= createDoc(event);
        if (!condition(doc, this.options.nowUs())) continue;
      }
      return route.pipeline === NO_PIPELINE ? null : route.pipeline;
    }
    return null;
  }

  /** Whether any route exists (so requests without `?pipeline=` can skip routing entirely). */
  get hasRoutes(): boolean {
    return this.routeTable.length > 0;
  }

  /**
   * Runs the events through the requested pipeline (`null`: the route table's choice per event;
   * `_none`: no pipeline). `named[i]`, when set, is the pipeline event i's own document asked for
   * (the `pipeline` of its `_bulk` action line), which overrides the request's choice as in
   * Elasticsearch. Outcomes are in input order.
   */
  process(
    events: readonly Event[],
    opts: { pipeline: string | null; limits: EventLimits; named?: readonly (string | undefined)[] | null },
  ): PipelineOutcome[] {
    const resolve = (id: string) => this.pipeline(id);
    const outcomes: PipelineOutcome[] = new Array(events.length);
    const requested = opts.pipeline;
    if (requested !== null && !this.knows(requested))
      throw new CairnError('not_found', `There is no pipeline "${requested}"`, {
        details: { pipeline: requested },
      });
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      // null: the route table's choice.
      const name = opts.named?.[i] ?? requested;
      let pipeline: CompiledPipeline | null = null;
      if (name === null) pipeline = this.routedPipeline(event);
      else if (name !== NO_PIPELINE) {
        pipeline = this.pipeline(name);
        if (pipeline === null) {
          outcomes[i] = this.unrunnable(name, event);
          continue;
        }
      }
      if (pipeline === null) {
        outcomes[i] = { kind: 'kept', event };
        continue;
      }
      const doc = createDoc(event);
      runPipeline(pipeline, doc, { resolve });
      outcomes[i] = doc.dropped ? { kind: 'dropped' } : finishEvent(doc, opts.limits);
    }
    return outcomes;
  }

  /**
   * A document named a pipeline that cannot run: an installed one without Cairn's processors is
   * stored as sent, tagged, rather than lost; a name nobody installed is refused as Elasticsearch does.
   */
  private unrunnable(name: string, event: Event): PipelineOutcome {
    if (this.installed.has(name)) {
      addTags(createDoc(event), [UNSUPPORTED_PIPELINE_TAG]);
      return { kind: 'kept', event };
    }
    return {
      kind: 'rejected',
      reason: `pipeline with id [${name}] does not exist`,
      type: 'illegal_argument_exception',
    };
  }

  private routedPipeline(event: Event): CompiledPipeline | null {
    const id = this.route(event);
    return id === null ? null : this.pipeline(id);
  }
}
