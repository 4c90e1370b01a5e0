import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { PanelType, TableResult } from '../../api/types.js';
import { toBars, toHeatCells, toKpi, toSlices, toTimeSeries } from '../../lib/visualize.js';
import { DataTable } from '../data-table.js';
import { Empty } from '../states.js';
import { BarList } from './bar-list.js';
import { Donut } from './donut.js';
import { Heatmap } from './heatmap.js';
import { Kpi } from './kpi.js';
import { TimeChart } from './time-chart.js';

export interface VizOptions {
  field?: string;
  unit?: string;
  stacked?: boolean;
}

/** One table drawn as the chosen panel type; a table that does not fit the type says what it needs. */
export function Visualization(props: {
  type: PanelType;
  table: TableResult;
  options?: VizOptions;
  height: number;
  xRange?: { min: number; max: number };
  onZoom?: (fromMs: number, toMs: number) => void;
  /** A click on a category (bar, slice, cell) filters for it. */
  onFilter?: (filters: { field: string; value: unknown }[]) => void;
}): JSX.Element {
  const { type, table, options = {} } = props;
  const model = useMemo(() => {
    switch (type) {
      case 'timeseries':
        return toTimeSeries(table);
      case 'bar':
        return toBars(table, options);
      case 'donut':
        return toSlices(table, options);
      case 'heatmap':
        return toHeatCells(table);
      case 'kpi':
        return toKpi(table, options);
      case 'table':
        return null;
    }
  }, [type, table, options.field]);
  if (typeof model === 'string') return <Empty title="Cannot draw this result as a chart">{model}</Empty>;
  if (table.rows.length === 0) return <Empty title="No results">Nothing matched in this time range.</Empty>;
  const category =
    table.columns.find((c) => c.type !== 'number' && c.type !== 'timestamp')?.name ??
    table.columns[0]?.name ??
    '';
  const filterOn = (value: unknown) => props.onFilter?.([{ field: category, value }]);
  switch (type) {
    case 'timeseries': {
      const m = model as Exclude<ReturnType<typeof toTimeSeries>, string>;
      // Counts add up, so they stack; averages and percentiles do not.
      const stacked = options.stacked ?? table.columns.some((c) => /^count/.test(c.name));
      return (
        <TimeChart
          xs={m.xs}
          series={m.series}
          kind={stacked ? 'bars' : 'lines'}
          stacked={stacked}
          height={props.height}
          {...(options.unit ? { unit: options.unit } : {})}
          {...(props.xRange ? { xRange: props.xRange } : {})}
          {...(props.onZoom ? { onZoom: props.onZoom } : {})}
          {...(props.onFilter && m.series.length > 1
            ? { onSeriesClick: (name: string) => filterOn(name) }
            : {})}
          testId="viz-timeseries"
        />
      );
    }
    case 'bar':
      return (
        <BarList
          bars={model as Exclude<ReturnType<typeof toBars>, string>}
          {...(options.unit ? { unit: options.unit } : {})}
          {...(props.onFilter ? { onClick: (b: { key?: unknown }) => filterOn(b.key) } : {})}
          testId="viz-bar"
        />
      );
    case 'donut':
      return (
        <Donut
          slices={model as Exclude<ReturnType<typeof toSlices>, string>}
          {...(props.onFilter ? { onClick: (b: { key?: unknown }) => filterOn(b.key) } : {})}
          testId="viz-donut"
        />
      );
    case 'heatmap': {
      const m = model as Exclude<ReturnType<typeof toHeatCells>, string>;
      return (
        <Heatmap
          cells={m.cells}
          rowLabel={m.rowLabel}
          colLabel={m.colLabel}
          {...(props.onFilter
            ? {
                onClick: (c: { row: string; col: string }) =>
                  props.onFilter?.([
                    { field: m.rowLabel, value: c.row },
                    { field: m.colLabel, value: c.col },
                  ]),
              }
            : {})}
          testId="viz-heatmap"
        />
      );
    }
    case 'kpi': {
      const m = model as Exclude<ReturnType<typeof toKpi>, string>;
      return (
        <Kpi
          value={m.value}
          label={m.label}
          {...(options.unit ? { unit: options.unit } : {})}
          testId="viz-kpi"
        />
      );
    }
    case 'table':
      return <DataTable columns={table.columns} rows={table.rows} testId="viz-table" />;
  }
}
