import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FieldInfo, Hit } from '../../api/types.js';
import { FieldTypeIcon, Icon } from '../../components/icons.js';
import { Popover } from '../../components/popover.js';
import { Spinner } from '../../components/states.js';
import { useVirtualRows } from '../../components/virtual.js';
import { cellText } from '../../lib/format.js';
import { levelColor } from '../../lib/levels.js';
import { formatDateTime } from '../../lib/time.js';

const ROW_HEIGHT = 30;
const HIDDEN_IN_SUMMARY = new Set(['_id', '@timestamp']);

export function summaryOf(hit: Hit): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(hit)) {
    if (HIDDEN_IN_SUMMARY.has(k)) continue;
    parts.push(`${k}: ${cellText(v)}`);
    if (parts.length > 30) break;
  }
  return parts.join('  ');
}

/**
 * The documents: one fixed-height row each, windowed so 10,000 rows scroll smoothly. Click a row to open
 * it; the header sorts by time and picks columns; scrolling near the end loads the next page.
 */
export function ResultsTable(props: {
  hits: Hit[];
  columns: string[];
  fields: FieldInfo[];
  sort: string;
  selectedId: string;
  loadingMore: boolean;
  canLoadMore: boolean;
  onLoadMore: () => void;
  onOpen: (hit: Hit) => void;
  onSort: (sort: string) => void;
  onColumns: (cols: string[]) => void;
  /** Rows that arrived by live tail get a short highlight. */
  freshIds?: Set<string>;
}): JSX.Element {
  const v = useVirtualRows({ count: props.hits.length, rowHeight: ROW_HEIGHT });
  const [chooser, setChooser] = useState(false);
  const { canLoadMore, loadingMore, onLoadMore } = props;
  useEffect(() => {
    if (canLoadMore && !loadingMore && v.remaining < 60) onLoadMore();
  }, [v.remaining, canLoadMore, loadingMore, onLoadMore]);
  const selectedIndex = useMemo(
    () => props.hits.findIndex((h) => h._id === props.selectedId),
    [props.hits, props.selectedId],
  );
  useEffect(() => {
    if (selectedIndex >= 0) v.scrollToRow(selectedIndex);
  }, [selectedIndex]);

  const cols = props.columns;
  const template = `28px 190px ${cols.map((c) => (c === 'message' ? 'minmax(300px, 1fr)' : c === 'level' ? '70px' : 'minmax(110px, 200px)')).join(' ')}${cols.length === 0 || !cols.includes('message') ? ' minmax(300px, 1fr)' : ''}`;
  const summary = cols.length === 0;

  return (
    <div class="results-table" data-testid="results-table" data-rowcount={props.hits.length}>
      <div class="rt-head">
        <table class="rt-table">
          <thead>
            <tr class="rt-header" style={{ gridTemplateColumns: template }}>
              <th scope="col">
                <span class="visually-hidden">Open</span>
              </th>
              <th scope="col">
                <button
                  type="button"
                  class="th-button"
                  data-testid="sort-time"
                  title="Sort by time"
                  onClick={() =>
                    props.onSort(props.sort === '@timestamp:desc' ? '@timestamp:asc' : '@timestamp:desc')
                  }
                >
                  @timestamp {props.sort === '@timestamp:asc' ? '↑' : '↓'}
                </button>
              </th>
              {cols.map((c) => (
                <th key={c} scope="col" class="th">
                  {c}
                  <button
                    type="button"
                    class="btn btn-icon th-remove"
                    title={`Remove column ${c}`}
                    aria-label={`Remove column ${c}`}
                    onClick={() => props.onColumns(cols.filter((x) => x !== c))}
                  >
                    <Icon name="close" size={12} />
                  </button>
                </th>
              ))}
              {summary || !cols.includes('message') ? (
                <th scope="col" class="th">
                  {summary ? 'Document' : ''}
                </th>
              ) : null}
            </tr>
          </thead>
        </table>
        <div class="popover-anchor rt-chooser">
          <button
            type="button"
            class="btn btn-small"
            data-testid="column-chooser"
            aria-expanded={chooser}
            onClick={() => setChooser(!chooser)}
          >
            <Icon name="columns" />
            Columns
          </button>
          <Popover open={chooser} onClose={() => setChooser(false)} align="right" class="column-popover">
            <ColumnChooser fields={props.fields} columns={cols} onColumns={props.onColumns} />
          </Popover>
        </div>
      </div>
      <div class="rt-body" ref={v.ref}>
        <table class="rt-table" aria-rowcount={props.hits.length} aria-label="Documents">
          <tbody>
            <tr class="rt-spacer" style={{ height: `${v.padTop}px` }} />
            {props.hits.slice(v.start, v.end).map((hit, k) => {
              const i = v.start + k;
              const level = typeof hit['level'] === 'string' ? hit['level'] : '';
              const ms = Date.parse(hit['@timestamp']);
              return (
                <tr
                  key={hit._id}
                  aria-rowindex={i + 1}
                  data-rowindex={i + 1}
                  aria-selected={hit._id === props.selectedId}
                  class={`rt-row ${i % 2 ? 'odd' : ''} ${hit._id === props.selectedId ? 'selected' : ''} ${props.freshIds?.has(hit._id) ? 'fresh' : ''}`}
                  style={{
                    gridTemplateColumns: template,
                    height: `${ROW_HEIGHT}px`,
                    '--level': levelColor(level),
                  }}
                  data-testid="result-row"
                  // The whole row opens the document; the button in its first cell is the keyboard way.
                  onClick={() => props.onOpen(hit)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && e.target === e.currentTarget) props.onOpen(hit);
                  }}
                >
                  <td class="rt-expand">
                    <button
                      type="button"
                      class="btn btn-icon"
                      aria-label="Open document"
                      data-testid="open-row"
                      onClick={(e) => {
                        e.stopPropagation();
                        props.onOpen(hit);
                      }}
                    >
                      <Icon name="chevronRight" size={14} />
                    </button>
                  </td>
                  <td class="rt-time">{Number.isNaN(ms) ? hit['@timestamp'] : formatDateTime(ms)}</td>
                  {cols.map((c) => (
                    <td
                      key={c}
                      class={`rt-cell ${c === 'level' ? 'rt-level' : ''}`}
                      title={c === 'message' ? undefined : cellText(hit[c])}
                    >
                      {c === 'level' && level ? <span class="level-badge">{level}</span> : cellText(hit[c])}
                    </td>
                  ))}
                  {summary ? (
                    <td class="rt-cell rt-summary">{summaryOf(hit)}</td>
                  ) : !cols.includes('message') ? (
                    <td />
                  ) : null}
                </tr>
              );
            })}
            <tr class="rt-spacer" style={{ height: `${v.padBottom}px` }} />
          </tbody>
        </table>
        {props.loadingMore ? (
          <div class="rt-more">
            <Spinner /> Loading more…
          </div>
        ) : null}
      </div>
    </div>
  );
}

function ColumnChooser(props: {
  fields: FieldInfo[];
  columns: string[];
  onColumns: (cols: string[]) => void;
}): JSX.Element {
  const [filter, setFilter] = useState('');
  const f = filter.toLowerCase();
  const list = props.fields.filter((x) => x.name.toLowerCase().includes(f)).slice(0, 200);
  return (
    <div class="column-chooser">
      <input
        class="input"
        type="search"
        placeholder="Find a field"
        value={filter}
        aria-label="Find a field"
        // biome-ignore lint/a11y/noAutofocus: the chooser opens to be typed into
        autoFocus
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      <ul>
        {list.map((x) => (
          <li key={x.name}>
            <label>
              <input
                type="checkbox"
                checked={props.columns.includes(x.name)}
                onChange={(e) =>
                  props.onColumns(
                    e.currentTarget.checked
                      ? [...props.columns, x.name]
                      : props.columns.filter((c) => c !== x.name),
                  )
                }
              />
              <FieldTypeIcon type={x.type} />
              {x.name}
            </label>
          </li>
        ))}
      </ul>
      <div class="column-chooser-footer">
        <button
          type="button"
          class="link-button"
          onClick={() => props.onColumns(['level', 'service', 'message'])}
        >
          Reset
        </button>
        <button type="button" class="link-button" onClick={() => props.onColumns([])}>
          Document summary
        </button>
      </div>
    </div>
  );
}
