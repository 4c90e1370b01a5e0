import { globMatch } from '../query/wildcard.js';

/*
 * Elasticsearch's index-level pipelines: the `index.default_pipeline` and `index.final_pipeline`
 * settings an index gets from its index template (or from `PUT /{index}` and `PUT /{index}/_settings`).
 * A document's pipeline is its `_bulk` action line's, else the request's `?pipeline=`, else its
 * index's default pipeline; the final pipeline runs after whichever ran. `_none` turns either off.
 *
 * Cairn has no indices, only streams, so the settings are resolved from the templates whenever a
 * document arrives, by the `_index` it names: what Elasticsearch would give an index created by that
 * document (templates changed later apply to later documents here, not only to new indices).
 */

/** The pipeline settings of one index, template or component template. */
export interface IndexPipelineSettings {
  default_pipeline?: string;
  final_pipeline?: string;
}

/** What the templates and index settings say, in a form that crosses to worker threads. */
export interface IndexPipelineTable {
  /** Composable templates (`_index_template`) with their components' settings merged in. */
  composable: { name: string; patterns: string[]; priority: number; settings: IndexPipelineSettings }[];
  /** Legacy templates (`_template`): every one that matches applies, higher `order` last. */
  legacy: { name: string; patterns: string[]; order: number; settings: IndexPipelineSettings }[];
  /** Settings given to an index by name (`PUT /{index}`, `PUT /{index}/_settings`); they win. */
  indices: Record<string, IndexPipelineSettings>;
}

export const EMPTY_INDEX_PIPELINES: IndexPipelineTable = { composable: [], legacy: [], indices: {} };

/** The stored objects the table is built from, by name (as installed through the API). */
export interface IndexPipelineSources {
  indexTemplates: readonly [string, unknown][];
  componentTemplates: readonly [string, unknown][];
  legacyTemplates: readonly [string, unknown][];
  indexSettings: readonly [string, unknown][];
}

export function buildIndexPipelineTable(sources: IndexPipelineSources): IndexPipelineTable {
  const components = new Map<string, IndexPipelineSettings>();
  for (const [name, body] of sources.componentTemplates)
    components.set(name, pipelineSettings(member(member(body, 'template'), 'settings')));

  const composable: IndexPipelineTable['composable'] = [];
  for (const [name, body] of sources.indexTemplates) {
    const settings: IndexPipelineSettings = {};
    const composedOf = member(body, 'composed_of');
    // Components apply in order, the template's own settings last.
    if (Array.isArray(composedOf))
      for (const c of composedOf) if (typeof c === 'string') Object.assign(settings, components.get(c));
    Object.assign(settings, pipelineSettings(member(member(body, 'template'), 'settings')));
    const priority = Number(member(body, 'priority') ?? 0);
    composable.push({
      name,
      patterns: patterns(body),
      priority: Number.isFinite(priority) ? priority : 0,
      settings,
    });
  }
  // Highest priority first; the first match is the template Elasticsearch would pick.
  composable.sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));

  const legacy: IndexPipelineTable['legacy'] = [];
  for (const [name, body] of sources.legacyTemplates) {
    const order = Number(member(body, 'order') ?? 0);
    legacy.push({
      name,
      patterns: patterns(body),
      order: Number.isFinite(order) ? order : 0,
      settings: pipelineSettings(member(body, 'settings')),
    });
  }
  legacy.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));

  const indices: Record<string, IndexPipelineSettings> = {};
  for (const [index, settings] of sources.indexSettings) {
    const s = pipelineSettings(settings);
    if (s.default_pipeline !== undefined || s.final_pipeline !== undefined) indices[index] = s;
  }
  return { composable, legacy, indices };
}

/**
 * The default and final pipeline of `index` (null: none). A composable template takes precedence
 * over legacy ones, as in Elasticsearch; settings given to the index itself win over both.
 */
export function pipelinesForIndex(
  table: IndexPipelineTable,
  index: string,
): { defaultPipeline: string | null; finalPipeline: string | null } {
  let settings: IndexPipelineSettings = {};
  const template = table.composable.find((t) => t.patterns.some((p) => globMatch(p, index)));
  if (template !== undefined) settings = { ...template.settings };
  else
    for (const t of table.legacy)
      if (t.patterns.some((p) => globMatch(p, index))) Object.assign(settings, t.settings);
  const own = table.indices[index];
  if (own !== undefined) Object.assign(settings, own);
  return {
    defaultPipeline: settings.default_pipeline ?? null,
    finalPipeline: settings.final_pipeline ?? null,
  };
}

/** Whether the table can give any index a pipeline (lets ingest skip the lookups). */
export function hasIndexPipelines(table: IndexPipelineTable): boolean {
  const any = (s: IndexPipelineSettings) =>
    s.default_pipeline !== undefined || s.final_pipeline !== undefined;
  return (
    table.composable.some((t) => any(t.settings)) ||
    table.legacy.some((t) => any(t.settings)) ||
    Object.keys(table.indices).length > 0
  );
}

/**
 * The pipeline settings of an index settings object, written in any of the forms Elasticsearch
 * accepts: `{index: {default_pipeline}}`, `{"index.default_pipeline"}` or `{default_pipeline}`.
 */
export function pipelineSettings(settings: unknown): IndexPipelineSettings {
  const out: IndexPipelineSettings = {};
  if (settings === null || typeof settings !== 'object') return out;
  const flat = settings as Record<string, unknown>;
  const nested = member(settings, 'index');
  for (const key of ['default_pipeline', 'final_pipeline'] as const) {
    const value = member(nested, key) ?? flat[`index.${key}`] ?? flat[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

function patterns(body: unknown): string[] {
  const p = member(body, 'index_patterns');
  if (typeof p === 'string') return p.split(',');
  return Array.isArray(p) ? p.filter((x): x is string => typeof x === 'string') : [];
}

function member(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
