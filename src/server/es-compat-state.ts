import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type Kind =
  | 'index_template'
  | 'component_template'
  | 'legacy_template'
  | 'ilm_policy'
  | 'ingest_pipeline'
  /** Settings given to an index by name (`PUT /{index}`, `PUT /{index}/_settings`), flat `index.*` keys. */
  | 'index_settings';

/**
 * Objects shippers install at start-up (index templates, ILM policies, ingest pipelines) and index
 * settings. Cairn keeps them so that a shipper finds what it installed and does not reinstall on every
 * restart. Of what they say, Cairn acts on ingest pipelines and on the `index.default_pipeline` and
 * `index.final_pipeline` settings; mappings, shards and lifecycles do not change how it stores events.
 * Persisted as one JSON file in the data directory.
 */
export class EsCompatState {
  private readonly objects: Record<Kind, Record<string, unknown>>;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    initial: Partial<Record<Kind, Record<string, unknown>>>,
  ) {
    this.objects = {
      index_template: initial.index_template ?? {},
      component_template: initial.component_template ?? {},
      legacy_template: initial.legacy_template ?? {},
      ilm_policy: initial.ilm_policy ?? {},
      ingest_pipeline: initial.ingest_pipeline ?? {},
      index_settings: initial.index_settings ?? {},
    };
  }

  static load(dataDir: string): EsCompatState {
    const file = join(dataDir, 'es-compat.json');
    try {
      return new EsCompatState(file, JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      return new EsCompatState(file, {});
    }
  }

  get(kind: Kind, name: string): unknown {
    return this.objects[kind][name];
  }

  /** Names matching a comma-separated list of names or `*` patterns (all when absent). */
  find(kind: Kind, pattern?: string): [string, unknown][] {
    const all = Object.entries(this.objects[kind]);
    if (!pattern || pattern === '*' || pattern === '_all') return all;
    const res = pattern.split(',').map((p) => new RegExp(`^${p.split('*').map(escapeRegex).join('.*')}$`));
    return all.filter(([name]) => res.some((re) => re.test(name)));
  }

  async put(kind: Kind, name: string, body: unknown): Promise<void> {
    this.objects[kind][name] = body;
    await this.save();
  }

  async delete(kind: Kind, name: string): Promise<boolean> {
    if (!(name in this.objects[kind])) return false;
    delete this.objects[kind][name];
    await this.save();
    return true;
  }

  private save(): Promise<void> {
    const snapshot = JSON.stringify(this.objects);
    this.writing = this.writing.then(async () => {
      await writeFile(`${this.file}.tmp`, snapshot);
      await rename(`${this.file}.tmp`, this.file);
    });
    return this.writing;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Index settings as Elasticsearch keeps them: flat keys under `index.` (`{index: {default_pipeline:
 * "x"}}`, `{"index.default_pipeline": "x"}` and `{default_pipeline: "x"}` all give
 * `index.default_pipeline`). Values are kept as sent; null removes a setting when merged.
 */
export function flatIndexSettings(settings: unknown, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return out;
  for (const [key, value] of Object.entries(settings as Record<string, unknown>)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      Object.assign(out, flatIndexSettings(value, path));
    else out[path.startsWith('index.') ? path : `index.${path}`] = value;
  }
  return out;
}
