import type { PanelType, TableResult } from '../api/types.js';
import type { Bar } from '../components/charts/bar-list.js';
import type { HeatCell } from '../components/charts/heatmap.js';
import type { TimeSeries } from '../components/charts/time-chart.js';
import { levelRank, seriesColor } from './levels.js';

/** Most series a time chart draws; the smallest of the rest are summed as "other". */
const MAX_SERIES = 10;

const isCategory = (type: string) => type !== 'number' && type !== 'timestamp';

/** The chart that best shows a table: time series for timecharts, bars for `stats … by`, and so on. */
export function autoType(t: TableResult): PanelType {
  const cols = t.columns;
  if (t.rows.length === 0) return 'table';
  const numbers = cols.filter((c) => c.type === 'number').length;
  if (cols[0]?.type === 'timestamp' && numbers > 0 && cols.length <= 4) return 'timeseries';
  if (t.rows.length === 1 && numbers === cols.length) return 'kpi';
  const categories = cols.filter((c) => isCategory(c.type)).length;
  if (cols.length === 3 && categories === 2 && numbers === 1) return 'heatmap';
  if (
    cols.length >= 2 &&
    numbers >= 1 &&
    t.rows.length <= 50 &&
    (categories === 1 || (numbers === cols.length && cols.length === 2))
  )
    return 'bar';
  return 'table';
}

export interface SeriesData {
  xs: number[];
  series: TimeSeries[];
}

export function toTimeSeries(t: TableResult): SeriesData | string {
  const xi = t.columns.findIndex((c) => c.type === 'timestamp');
  if (xi === -1) return 'A time series needs a time column: end the query with "| timechart …"';
  const byi = t.columns.findIndex((c, i) => i !== xi && isCategory(c.type));
  const valueCols = t.columns
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => c.type === 'number' && i !== byi);
  if (valueCols.length === 0) return 'A time series needs a number column, such as count()';
  const xsSet = new Set<number>();
  for (const row of t.rows) {
    const ms = Date.parse(String(row[xi]));
    if (!Number.isNaN(ms)) xsSet.add(ms);
  }
  const xs = [...xsSet].sort((a, b) => a - b);
  const pos = new Map(xs.map((x, i) => [x, i]));
  if (byi === -1) {
    const series = valueCols.map(({ c, i }, k) => {
      const values = new Array<number | null>(xs.length).fill(null);
      for (const row of t.rows) {
        const p = pos.get(Date.parse(String(row[xi])));
        const v = row[i];
        if (p !== undefined && typeof v === 'number') values[p] = v;
      }
      return { name: c.name, values, color: seriesColor(c.name, k) };
    });
    return { xs, series };
  }
  const vi = valueCols[0]!.i;
  const groups = new Map<string, (number | null)[]>();
  const totals = new Map<string, number>();
  for (const row of t.rows) {
    const key = row[byi] === null || row[byi] === undefined ? '(none)' : String(row[byi]);
    const p = pos.get(Date.parse(String(row[xi])));
    const v = row[vi];
    if (p === undefined || typeof v !== 'number') continue;
    let values = groups.get(key);
    if (!values) {
      values = new Array<number | null>(xs.length).fill(0);
      groups.set(key, values);
    }
    values[p] = (values[p] ?? 0) + v;
    totals.set(key, (totals.get(key) ?? 0) + v);
  }
  let keys = [...groups.keys()];
  const allLevels = keys.every((k) => levelRank(k) >= 0);
  keys = allLevels
    ? keys.sort((a, b) => levelRank(a) - levelRank(b))
    : keys.sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0));
  const shown = keys.slice(0, MAX_SERIES);
  const series: TimeSeries[] = shown.map((k, i) => ({
    name: k,
    values: groups.get(k)!,
    color: seriesColor(k, i),
  }));
  if (keys.length > MAX_SERIES) {
    const other = new Array<number | null>(xs.length).fill(0);
    for (const k of keys.slice(MAX_SERIES))
      groups.get(k)!.forEach((v, i) => {
        other[i] = (other[i] ?? 0) + (v ?? 0);
      });
    series.push({ name: 'other', values: other, color: '#8b949e' });
  }
  return { xs, series };
}

export function toBars(t: TableResult, opts: { field?: string } = {}): Bar[] | string {
  const cols = t.columns;
  let li = cols.findIndex((c) => isCategory(c.type));
  if (li === -1 && cols.length >= 2) li = 0;
  let vi = opts.field ? cols.findIndex((c) => c.name === opts.field) : -1;
  if (vi === -1) vi = cols.findIndex((c, i) => c.type === 'number' && i !== li);
  if (li === -1 || vi === -1)
    return 'Bars need a category column and a number column, as in "| stats count() by service"';
  const levels = t.rows.every((r) => levelRank(String(r[li])) >= 0);
  return t.rows.slice(0, 100).map((r, i) => {
    const label = r[li] === null || r[li] === undefined ? '(none)' : String(r[li]);
    return {
      label,
      key: r[li],
      value: typeof r[vi] === 'number' ? (r[vi] as number) : 0,
      color: levels ? seriesColor(label, i) : seriesColor(label, 0),
    };
  });
}

export function toSlices(t: TableResult, opts: { field?: string } = {}): Bar[] | string {
  const bars = toBars(t, opts);
  if (typeof bars === 'string') return bars;
  const levels = bars.every((b) => levelRank(b.label) >= 0);
  const sorted = levels ? [...bars].sort((a, b) => levelRank(b.label) - levelRank(a.label)) : bars;
  return sorted.map((b, i) => ({ ...b, color: seriesColor(b.label, i) }));
}

export function toHeatCells(
  t: TableResult,
): { cells: HeatCell[]; rowLabel: string; colLabel: string } | string {
  const cats = t.columns
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => isCategory(c.type) || c.type === 'number');
  const [r, c] = cats;
  const v = [...cats].reverse().find(({ c: col }) => col.type === 'number');
  if (!r || !c || !v || v.i === r.i || v.i === c.i)
    return 'A heatmap needs two group columns and a number, as in "| stats count() by service, level"';
  return {
    rowLabel: r.c.name,
    colLabel: c.c.name,
    cells: t.rows.map((row) => ({
      row: String(row[r.i] ?? '(none)'),
      col: String(row[c.i] ?? '(none)'),
      value: Number(row[v.i] ?? 0),
    })),
  };
}

export function toKpi(
  t: TableResult,
  opts: { field?: string } = {},
): { value: number | null; label: string } | string {
  let i = opts.field ? t.columns.findIndex((c) => c.name === opts.field) : -1;
  if (i === -1) {
    const numbers = t.columns.map((c, k) => ({ c, k })).filter(({ c }) => c.type === 'number');
    i = numbers[numbers.length - 1]?.k ?? -1;
  }
  if (i === -1) return 'A KPI needs a number, as in "| stats count()"';
  const row = t.rows[0];
  const v = row ? row[i] : null;
  return { value: typeof v === 'number' ? v : null, label: t.columns[i]!.name };
}
