import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { FieldInfo, TermsAgg } from '../../api/types.js';
import { FieldTypeIcon, Icon } from '../../components/icons.js';
import { ErrorNotice, Spinner } from '../../components/states.js';
import { formatCount } from '../../lib/format.js';
import { escapeTerm } from '../../lib/query-text.js';
import type { AsyncState } from '../../lib/use-async.js';
import { useAsync } from '../../lib/use-async.js';

export interface FieldSidebarProps {
  fields: AsyncState<FieldInfo[]>;
  q: string;
  search: string;
  from: string;
  to: string;
  stream: string;
  runKey: number;
  columns: string[];
  onFilter: (field: string, value: unknown, negate: boolean) => void;
  onToggleColumn: (field: string) => void;
  onVisualize: (field: string) => void;
}

/** Fields of the time range with type badges; open one for its top 5 values under the current query. */
export function FieldSidebar(props: FieldSidebarProps): JSX.Element {
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const list =
    props.fields.status === 'ok'
      ? props.fields.value
      : props.fields.status === 'loading'
        ? (props.fields.previous ?? [])
        : [];
  const shown = useMemo(() => {
    const f = filter.toLowerCase();
    const matching = list.filter((x) => x.name.toLowerCase().includes(f));
    const selected = props.columns
      .map((c) => matching.find((x) => x.name === c))
      .filter((x): x is FieldInfo => !!x);
    const rest = matching
      .filter((x) => !props.columns.includes(x.name))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { selected, rest };
  }, [list, filter, props.columns]);

  const item = (f: FieldInfo) => (
    <li key={f.name} class={`field-item ${open === f.name ? 'open' : ''}`} data-field={f.name}>
      <div class="field-row">
        <button
          type="button"
          class="field-name"
          aria-expanded={open === f.name}
          title={`${f.name}: ${f.type}${f.list ? ' list' : ''}, in ${formatCount(f.count)} events`}
          onClick={() => setOpen(open === f.name ? null : f.name)}
        >
          <FieldTypeIcon type={f.list ? `${f.type}[]` : f.type} />
          <span>{f.name}</span>
        </button>
        <button
          type="button"
          class="btn btn-icon field-col-toggle"
          title={props.columns.includes(f.name) ? 'Remove the column' : 'Add as a column'}
          aria-label={props.columns.includes(f.name) ? `Remove column ${f.name}` : `Add column ${f.name}`}
          onClick={() => props.onToggleColumn(f.name)}
        >
          <Icon name={props.columns.includes(f.name) ? 'minus' : 'plus'} size={14} />
        </button>
      </div>
      {open === f.name ? <TopValues field={f} {...props} /> : null}
    </li>
  );

  return (
    <aside class="field-sidebar" data-testid="field-sidebar">
      <input
        class="input field-filter"
        type="search"
        placeholder="Filter fields"
        aria-label="Filter fields"
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      {props.fields.status === 'error' ? <ErrorNotice error={props.fields.error} compact /> : null}
      {props.fields.status === 'loading' && list.length === 0 ? <Spinner label="Loading fields" /> : null}
      {shown.selected.length > 0 ? (
        <>
          <h3 class="sidebar-heading">Selected fields</h3>
          <ul class="field-list">{shown.selected.map(item)}</ul>
        </>
      ) : null}
      <h3 class="sidebar-heading">
        Available fields <span class="muted">{list.length > 0 ? shown.rest.length : ''}</span>
      </h3>
      <ul class="field-list">{shown.rest.map(item)}</ul>
      {props.fields.status === 'ok' && list.length === 0 ? (
        <p class="muted small">No fields in this time range.</p>
      ) : null}
    </aside>
  );
}

function TopValues(props: FieldSidebarProps & { field: FieldInfo }): JSX.Element {
  const { field } = props;
  const state = useAsync(
    (signal) =>
      api.aggregate(
        {
          q: props.search
            ? `(${props.search}) AND _exists_:${escapeTerm(field.name)}`
            : `_exists_:${escapeTerm(field.name)}`,
          from: props.from,
          to: props.to,
          ...(props.stream ? { stream: props.stream } : {}),
          aggs: { top: { terms: { field: field.name, size: 5 } } },
        },
        signal,
      ),
    [field.name, props.search, props.from, props.to, props.stream, props.runKey],
  );
  if (state.status === 'error') return <ErrorNotice error={state.error} compact />;
  if (state.status !== 'ok')
    return (
      <div class="top-values">
        <Spinner label="Loading top values" />
      </div>
    );
  const top = state.value.aggregations['top'] as TermsAgg;
  const total = state.value.total;
  return (
    <div class="top-values" data-testid="top-values">
      <div class="muted small">Top 5 of {formatCount(total)} events with this field</div>
      {top.buckets.length === 0 ? <div class="muted small">No values</div> : null}
      {top.buckets.map((b) => {
        const pct = total > 0 ? (b.doc_count / total) * 100 : 0;
        return (
          <div key={String(b.key)} class="top-value" data-value={String(b.key)}>
            <div class="top-value-text">
              <span class="top-value-label" title={String(b.key)}>
                {String(b.key) === '' ? '(empty)' : String(b.key)}
              </span>
              <span class="top-value-count">
                {formatCount(b.doc_count)} · {pct < 1 && pct > 0 ? '<1' : pct.toFixed(0)}%
              </span>
            </div>
            <div class="top-value-bar">
              <span style={{ width: `${pct}%` }} />
            </div>
            <div class="top-value-actions">
              <button
                type="button"
                class="btn btn-icon"
                title={`Filter for ${field.name}: ${String(b.key)}`}
                aria-label={`Filter for ${String(b.key)}`}
                data-action="filter-for"
                onClick={() => props.onFilter(field.name, b.key, false)}
              >
                <Icon name="plus" size={14} />
              </button>
              <button
                type="button"
                class="btn btn-icon"
                title={`Filter out ${field.name}: ${String(b.key)}`}
                aria-label={`Filter out ${String(b.key)}`}
                data-action="filter-out"
                onClick={() => props.onFilter(field.name, b.key, true)}
              >
                <Icon name="minus" size={14} />
              </button>
            </div>
          </div>
        );
      })}
      <button type="button" class="link-button small" onClick={() => props.onVisualize(field.name)}>
        Visualize {field.name} →
      </button>
    </div>
  );
}
