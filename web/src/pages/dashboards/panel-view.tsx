import type { JSX } from 'preact';
import { api } from '../../api/client.js';
import { isTable, type Panel, type SearchResult, type TableResult } from '../../api/types.js';
import { Kpi } from '../../components/charts/kpi.js';
import { Visualization } from '../../components/charts/visualization.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorNotice, Spinner } from '../../components/states.js';
import { addFilter, pipeStart } from '../../lib/query-text.js';
import { navigate } from '../../lib/router.js';
import { resolveRange } from '../../lib/time.js';
import { currentValue, useAsync } from '../../lib/use-async.js';
import { discoverUrl } from '../discover/state.js';

const HIT_COLUMNS = ['@timestamp', 'level', 'service', 'message'];

/** A search without pipes answers with documents: shown as a table of them. */
function hitsAsTable(r: Exclude<SearchResult, TableResult>): TableResult {
  return {
    columns: HIT_COLUMNS.map((name) => ({ name, type: name === '@timestamp' ? 'timestamp' : 'string' })),
    rows: r.hits.map((h) => HIT_COLUMNS.map((c) => h[c] ?? null)),
    truncated: r.next_cursor !== null,
    took_ms: r.took_ms,
  };
}

export function PanelView(props: {
  panel: Panel;
  from: string;
  to: string;
  runKey: number;
  height: number;
  editing: boolean;
  onEdit: () => void;
  onDuplicate: () => void;
  onRemove: () => void;
}): JSX.Element {
  const { panel } = props;
  const state = useAsync(
    (signal) =>
      api.search(
        { q: panel.query, from: props.from, to: props.to, limit: panel.type === 'table' ? 200 : 10_000 },
        signal,
      ),
    [panel.query, panel.type, props.from, props.to, props.runKey],
  );
  const value = currentValue(state);
  const resolved = resolveRange({ from: props.from, to: props.to });
  const bodyHeight = props.height - 42;
  const openInDiscover = (q: string, from = props.from, to = props.to) =>
    navigate(discoverUrl({ q, from, to }), {});
  const filter = (filters: { field: string; value: unknown }[]) => {
    // A click on a bar or cell opens the events behind it: the panel's search plus that value, without the pipes.
    const cut = pipeStart(panel.query);
    const search = cut === -1 ? panel.query : panel.query.slice(0, cut).trim();
    let q = search;
    for (const f of filters) q = addFilter(q, { field: f.field, value: f.value });
    openInDiscover(q);
  };

  let body: JSX.Element;
  if (state.status === 'error') body = <ErrorNotice error={state.error} compact />;
  else if (!value)
    body = (
      <div class="panel-loading">
        <Spinner />
      </div>
    );
  else if (isTable(value)) {
    body = (
      <Visualization
        type={panel.type}
        table={value}
        options={panel.options}
        height={Math.max(60, bodyHeight - (panel.type === 'timeseries' ? 28 : 0))}
        {...(resolved ? { xRange: { min: resolved.fromMs, max: resolved.toMs } } : {})}
        onZoom={(a, b) => openInDiscover(panel.query, new Date(a).toISOString(), new Date(b).toISOString())}
        onFilter={filter}
      />
    );
  } else if (panel.type === 'kpi') {
    body = (
      <Kpi
        value={value.total.value}
        label={value.total.relation === 'gte' ? 'events (at least)' : 'events'}
        testId="viz-kpi"
      />
    );
  } else if (panel.type === 'table') {
    body = <Visualization type="table" table={hitsAsTable(value)} height={bodyHeight} />;
  } else {
    body = (
      <Empty title="Add pipes to chart this">
        A {panel.type} panel draws a table: end the query with “| stats count() by field” or “| timechart
        count()”.
      </Empty>
    );
  }
  const empty = value !== null && (isTable(value) ? value.rows.length === 0 : value.hits.length === 0);

  return (
    <section
      class={`panel panel-${panel.type}`}
      data-testid="panel"
      data-panel-title={panel.title}
      data-state={state.status === 'error' ? 'error' : !value ? 'loading' : empty ? 'empty' : 'ready'}
    >
      <header class="panel-header">
        <h3 title={panel.query}>{panel.title || 'Untitled panel'}</h3>
        {state.status === 'loading' && value ? <Spinner /> : null}
        <div class="panel-actions">
          <button
            type="button"
            class="btn btn-icon"
            title="Open in Discover"
            aria-label="Open in Discover"
            onClick={() => openInDiscover(panel.query)}
          >
            <Icon name="discover" size={14} />
          </button>
          {props.editing ? (
            <>
              <button
                type="button"
                class="btn btn-icon"
                title="Edit panel"
                aria-label="Edit panel"
                data-testid="panel-edit"
                onClick={props.onEdit}
              >
                <Icon name="edit" size={14} />
              </button>
              <button
                type="button"
                class="btn btn-icon"
                title="Duplicate panel"
                aria-label="Duplicate panel"
                onClick={props.onDuplicate}
              >
                <Icon name="duplicate" size={14} />
              </button>
              <button
                type="button"
                class="btn btn-icon"
                title="Remove panel"
                aria-label="Remove panel"
                data-testid="panel-remove"
                onClick={props.onRemove}
              >
                <Icon name="trash" size={14} />
              </button>
            </>
          ) : null}
        </div>
      </header>
      <div class="panel-body" style={{ height: `${bodyHeight}px` }}>
        {body}
      </div>
    </section>
  );
}
