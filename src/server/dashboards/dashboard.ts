import { CairnError } from '../../model/errors.js';
import { parseQueryWithPipes } from '../../query/index.js';

/** How a panel draws the table its query returns. */
export const PANEL_TYPES = ['timeseries', 'bar', 'donut', 'kpi', 'table', 'heatmap'] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

/** Columns of the dashboard grid; panels are placed in whole cells. */
export const GRID_COLUMNS = 12;
const MAX_ROWS = 200;
const MAX_PANELS = 100;
const MAX_TEXT = 200;
const MAX_QUERY = 16_384;

export interface PanelLayout {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PanelOptions {
  /** KPI: the column to show (default: the last number column). */
  field?: string;
  /** Shown after values: `ms`, `%`. */
  unit?: string;
  /** Time series: stack the series (default true for counts). */
  stacked?: boolean;
}

export interface Panel {
  id: string;
  title: string;
  type: PanelType;
  /** Query-language text, usually with pipes (`level:ERROR | timechart count() by service`). */
  query: string;
  layout: PanelLayout;
  options: PanelOptions;
}

export interface DashboardTime {
  from: string;
  to: string;
}

/** What a client sends to create, replace or import a dashboard. */
export interface DashboardInput {
  title: string;
  description: string;
  time: DashboardTime;
  /** Auto-refresh interval (`30s`, `1m`) or null for none. */
  refresh: string | null;
  panels: Panel[];
}

export interface Dashboard extends DashboardInput {
  id: string;
  /** The Overview Cairn creates on first start. */
  builtin: boolean;
  created_at: string;
  updated_at: string;
}

/** The file a dashboard is exported to and imported from. */
export interface DashboardExport {
  cairn_dashboard: 1;
  dashboard: DashboardInput;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const REFRESH = /^\d+(ms|s|m|h)$/;

/**
 * Checks a dashboard sent by a client and returns it in canonical form. Collects every problem before
 * failing, so the client can fix them all at once: `details.errors` lists `panels[2].query: …` lines.
 * Accepts an export file (`{ cairn_dashboard: 1, dashboard }`) as well as the bare dashboard.
 */
export function parseDashboardInput(body: unknown): DashboardInput {
  const errors: string[] = [];
  const raw = isObject(body) && isObject(body['dashboard']) ? body['dashboard'] : body;
  if (!isObject(raw)) {
    throw new CairnError('bad_request', 'Cannot read the dashboard: expected a JSON object', {
      details: { errors: ['expected a JSON object'] },
    });
  }
  const title = text(raw['title'], 'title', errors, { required: true });
  const description = text(raw['description'], 'description', errors, { max: 2000 });
  const time = timeOf(raw['time'], errors);
  let refresh: string | null = null;
  if (raw['refresh'] !== undefined && raw['refresh'] !== null && raw['refresh'] !== '') {
    if (typeof raw['refresh'] === 'string' && REFRESH.test(raw['refresh'])) refresh = raw['refresh'];
    else errors.push(`refresh must be an interval such as "30s" or "1m", or null`);
  }
  const panels: Panel[] = [];
  const rawPanels = raw['panels'] ?? [];
  if (!Array.isArray(rawPanels)) errors.push('panels must be an array');
  else if (rawPanels.length > MAX_PANELS)
    errors.push(`panels has ${rawPanels.length} entries, at most ${MAX_PANELS}`);
  else {
    const ids = new Set<string>();
    rawPanels.forEach((p, i) => {
      const panel = panelOf(p, `panels[${i}]`, errors);
      if (!panel) return;
      if (ids.has(panel.id)) panel.id = `${panel.id}-${i}`;
      ids.add(panel.id);
      panels.push(panel);
    });
  }
  if (errors.length > 0) {
    throw new CairnError(
      'bad_request',
      `Cannot save the dashboard: ${errors.length === 1 ? errors[0] : `${errors.length} problems: ${errors.join('; ')}`}`,
      { details: { errors } },
    );
  }
  return { title, description, time, refresh, panels };
}

function text(
  v: unknown,
  path: string,
  errors: string[],
  opts: { required?: boolean; max?: number } = {},
): string {
  if (v === undefined || v === null) {
    if (opts.required) errors.push(`${path} is required`);
    return '';
  }
  if (typeof v !== 'string') {
    errors.push(`${path} must be a string`);
    return '';
  }
  const s = v.trim();
  if (opts.required && s === '') errors.push(`${path} must not be empty`);
  const max = opts.max ?? MAX_TEXT;
  if (s.length > max) errors.push(`${path} is ${s.length} characters long, at most ${max}`);
  return s;
}

function timeOf(v: unknown, errors: string[]): DashboardTime {
  if (v === undefined || v === null) return { from: 'now-24h', to: 'now' };
  if (!isObject(v)) {
    errors.push('time must be an object with "from" and "to"');
    return { from: 'now-24h', to: 'now' };
  }
  const from = text(v['from'], 'time.from', errors) || 'now-24h';
  const to = text(v['to'], 'time.to', errors) || 'now';
  return { from, to };
}

function int(v: unknown, path: string, errors: string[], min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    errors.push(`${path} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return min;
  }
  return v;
}

function panelOf(p: unknown, path: string, errors: string[]): Panel | null {
  if (!isObject(p)) {
    errors.push(`${path} must be an object`);
    return null;
  }
  const before = errors.length;
  const title = text(p['title'], `${path}.title`, errors);
  const type = p['type'];
  if (typeof type !== 'string' || !(PANEL_TYPES as readonly string[]).includes(type)) {
    errors.push(`${path}.type must be one of ${PANEL_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
  const query = typeof p['query'] === 'string' ? p['query'] : '';
  if (typeof p['query'] !== 'string') errors.push(`${path}.query must be a string`);
  else if (query.length > MAX_QUERY) errors.push(`${path}.query is longer than ${MAX_QUERY} characters`);
  else {
    try {
      parseQueryWithPipes(query);
    } catch (err) {
      errors.push(
        `${path}.query: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`,
      );
    }
  }
  const l = isObject(p['layout']) ? p['layout'] : null;
  if (!l) errors.push(`${path}.layout must be an object with x, y, w and h`);
  const layout: PanelLayout = l
    ? {
        x: int(l['x'], `${path}.layout.x`, errors, 0, GRID_COLUMNS - 1),
        y: int(l['y'], `${path}.layout.y`, errors, 0, MAX_ROWS),
        w: int(l['w'], `${path}.layout.w`, errors, 1, GRID_COLUMNS),
        h: int(l['h'], `${path}.layout.h`, errors, 1, 40),
      }
    : { x: 0, y: 0, w: 6, h: 4 };
  if (l && layout.x + layout.w > GRID_COLUMNS) {
    errors.push(`${path}.layout: x + w is ${layout.x + layout.w}, beyond the ${GRID_COLUMNS} columns`);
  }
  const options = optionsOf(p['options'], `${path}.options`, errors);
  const rawId = p['id'];
  const id = typeof rawId === 'string' && /^[\w-]{1,64}$/.test(rawId) ? rawId : '';
  if (errors.length > before) return null;
  return { id: id || randomId(), title, type: type as PanelType, query, layout, options };
}

function optionsOf(v: unknown, path: string, errors: string[]): PanelOptions {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) {
    errors.push(`${path} must be an object`);
    return {};
  }
  const out: PanelOptions = {};
  if (v['field'] !== undefined) out.field = text(v['field'], `${path}.field`, errors);
  if (v['unit'] !== undefined) out.unit = text(v['unit'], `${path}.unit`, errors, { max: 16 });
  if (v['stacked'] !== undefined) {
    if (typeof v['stacked'] === 'boolean') out.stacked = v['stacked'];
    else errors.push(`${path}.stacked must be true or false`);
  }
  return out;
}

/** A short random id for dashboards and panels (URL-safe). */
export function randomId(): string {
  return crypto.randomUUID().replaceAll('-', '').slice(0, 12);
}
