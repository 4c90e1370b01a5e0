import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { PANEL_TYPES, type PanelType, type TableResult } from '../../api/types.js';
import { AddToDashboard } from '../../components/add-to-dashboard.js';
import { Visualization } from '../../components/charts/visualization.js';
import { DataTable } from '../../components/data-table.js';
import { Icon } from '../../components/icons.js';
import { formatCount } from '../../lib/format.js';
import { autoType } from '../../lib/visualize.js';

const LABELS: Record<PanelType, string> = {
  timeseries: 'Time series',
  bar: 'Bars',
  donut: 'Donut',
  kpi: 'KPI',
  table: 'Table only',
  heatmap: 'Heatmap',
};

/** A pipe query's answer: a chart chosen from the columns (or by hand) above the table itself. */
export function PipeResult(props: {
  table: TableResult;
  query: string;
  viz: string;
  xRange?: { min: number; max: number };
  onViz: (viz: string) => void;
  onZoom: (fromMs: number, toMs: number) => void;
  onFilter: (filters: { field: string; value: unknown }[]) => void;
}): JSX.Element {
  const [adding, setAdding] = useState(false);
  const auto = autoType(props.table);
  const type = (PANEL_TYPES as readonly string[]).includes(props.viz) ? (props.viz as PanelType) : auto;
  return (
    <section class="pipe-result" data-testid="pipe-result">
      <header class="pipe-toolbar">
        <span class="hit-count">
          {formatCount(props.table.rows.length)} {props.table.rows.length === 1 ? 'row' : 'rows'}
          {props.table.truncated ? ' (more matched: add | head or narrow the query)' : ''}
        </span>
        <span class="muted">{props.table.took_ms} ms</span>
        <span class="spacer" />
        <label class="inline-label">
          Chart
          <select
            class="input"
            value={props.viz}
            data-testid="viz-select"
            onChange={(e) => props.onViz(e.currentTarget.value)}
          >
            <option value="">Automatic ({LABELS[auto]})</option>
            {PANEL_TYPES.map((t) => (
              <option key={t} value={t}>
                {LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="btn" data-testid="add-to-dashboard" onClick={() => setAdding(true)}>
          <Icon name="dashboard" />
          Add to dashboard
        </button>
      </header>
      {type !== 'table' ? (
        <div class={`pipe-chart pipe-chart-${type}`} data-testid="pipe-chart">
          <Visualization
            type={type}
            table={props.table}
            height={260}
            {...(props.xRange ? { xRange: props.xRange } : {})}
            onZoom={props.onZoom}
            onFilter={props.onFilter}
          />
        </div>
      ) : null}
      <DataTable
        columns={props.table.columns}
        rows={props.table.rows}
        testId="pipe-table"
        onCellClick={(c, v) => props.onFilter([{ field: c, value: v }])}
      />
      {adding ? <AddToDashboard query={props.query} type={type} onClose={() => setAdding(false)} /> : null}
    </section>
  );
}
