import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CairnError } from '../../model/errors.js';
import { type Dashboard, type DashboardExport, type DashboardInput, randomId } from './dashboard.js';
import { OVERVIEW_DASHBOARD, OVERVIEW_ID } from './overview.js';

const FILE_NAME = 'dashboards.json';

interface DashboardFile {
  version: 1;
  dashboards: Dashboard[];
}

export interface DashboardSummary {
  id: string;
  title: string;
  description: string;
  builtin: boolean;
  panels: number;
  updated_at: string;
}

/**
 * Dashboards saved in `<dataDir>/dashboards.json`. The file is small (a few KB per dashboard), so it is
 * read once and rewritten whole on each change, through a temporary file and a rename so a crash
 * never leaves half a file. Writes are serialised.
 */
export class DashboardStore {
  private readonly path: string;
  private dashboards: Dashboard[];
  private writing: Promise<void> = Promise.resolve();
  private readonly now: () => Date;

  private constructor(opts: { dataDir: string; dashboards: Dashboard[]; now: () => Date }) {
    this.path = join(opts.dataDir, FILE_NAME);
    this.dashboards = opts.dashboards;
    this.now = opts.now;
  }

  /** Opens the store; on first start (no file yet) it holds the built-in Overview. */
  static async open(opts: { dataDir: string; now?: () => Date }): Promise<DashboardStore> {
    const now = opts.now ?? (() => new Date());
    const path = join(opts.dataDir, FILE_NAME);
    let text: string | null = null;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === null) {
      const at = now().toISOString();
      const overview: Dashboard = {
        ...structuredClone(OVERVIEW_DASHBOARD),
        id: OVERVIEW_ID,
        builtin: true,
        created_at: at,
        updated_at: at,
      };
      const store = new DashboardStore({ dataDir: opts.dataDir, dashboards: [overview], now });
      await mkdir(opts.dataDir, { recursive: true });
      await store.persist();
      return store;
    }
    let file: DashboardFile;
    try {
      file = JSON.parse(text) as DashboardFile;
    } catch (err) {
      throw new CairnError(
        'internal',
        `Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}; fix or remove the file`,
        { cause: err },
      );
    }
    return new DashboardStore({ dataDir: opts.dataDir, dashboards: file.dashboards ?? [], now });
  }

  list(): DashboardSummary[] {
    return this.dashboards
      .map((d) => ({
        id: d.id,
        title: d.title,
        description: d.description,
        builtin: d.builtin,
        panels: d.panels.length,
        updated_at: d.updated_at,
      }))
      .sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.title.localeCompare(b.title));
  }

  get(id: string): Dashboard {
    const found = this.dashboards.find((d) => d.id === id);
    if (!found) {
      throw new CairnError('not_found', `Cannot find dashboard "${id}": it does not exist or was deleted`, {
        details: { id },
      });
    }
    return found;
  }

  async create(input: DashboardInput): Promise<Dashboard> {
    const at = this.now().toISOString();
    const dashboard: Dashboard = { ...input, id: randomId(), builtin: false, created_at: at, updated_at: at };
    this.dashboards.push(dashboard);
    await this.persist();
    return dashboard;
  }

  async replace(id: string, input: DashboardInput): Promise<Dashboard> {
    const old = this.get(id);
    const updated: Dashboard = { ...old, ...input, updated_at: this.now().toISOString() };
    this.dashboards = this.dashboards.map((d) => (d.id === id ? updated : d));
    await this.persist();
    return updated;
  }

  async duplicate(id: string): Promise<Dashboard> {
    const source = this.get(id);
    return this.create({ ...exportInput(source), title: this.freeTitle(`${source.title} (copy)`) });
  }

  async delete(id: string): Promise<void> {
    this.get(id);
    this.dashboards = this.dashboards.filter((d) => d.id !== id);
    await this.persist();
  }

  /** The export file of a dashboard: what `import` takes back. */
  exportOf(id: string): DashboardExport {
    return { cairn_dashboard: 1, dashboard: exportInput(this.get(id)) };
  }

  /** Imports always create a new dashboard; a title already taken gets a suffix. */
  async import(input: DashboardInput): Promise<Dashboard> {
    return this.create({ ...input, title: this.freeTitle(input.title) });
  }

  private freeTitle(title: string): string {
    const taken = new Set(this.dashboards.map((d) => d.title));
    if (!taken.has(title)) return title;
    for (let i = 2; ; i++) if (!taken.has(`${title} ${i}`)) return `${title} ${i}`;
  }

  private persist(): Promise<void> {
    const file: DashboardFile = { version: 1, dashboards: this.dashboards };
    const text = `${JSON.stringify(file, null, 2)}\n`;
    const tmp = `${this.path}.tmp`;
    // A failed write fails its own request only; the next one still runs.
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await writeFile(tmp, text);
        await rename(tmp, this.path);
      });
    return this.writing;
  }
}

function exportInput(d: Dashboard): DashboardInput {
  return structuredClone({
    title: d.title,
    description: d.description,
    time: d.time,
    refresh: d.refresh,
    panels: d.panels,
  });
}
