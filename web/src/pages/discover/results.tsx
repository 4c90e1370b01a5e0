import type { JSX } from 'preact';
import { type FieldInfo, type Hit, isTable, type SearchResult } from '../../api/types.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { type AsyncState, currentValue } from '../../lib/use-async.js';
import { PipeResult } from './pipe-result.js';
import { ResultsTable } from './results-table.js';
import type { DiscoverState } from './state.js';

/** What Discover shows under the histogram: the documents, a pipe query's chart and table, or a state. */
export function Results(props: {
  state: DiscoverState;
  results: AsyncState<SearchResult>;
  hits: Hit[];
  isPipe: boolean;
  queryError: boolean;
  live: boolean;
  fresh: Set<string>;
  fields: FieldInfo[];
  loadingMore: boolean;
  canLoadMore: boolean;
  onLoadMore: () => void;
  update: (patch: Partial<DiscoverState>, opts?: { push?: boolean }) => void;
  onRetry: () => void;
  xRange: { min: number; max: number } | undefined;
  onZoom: (fromMs: number, toMs: number) => void;
  onFilters: (filters: { field: string; value: unknown }[]) => void;
}): JSX.Element | null {
  const { state, results, update } = props;
  const table = props.live
    ? null
    : (() => {
        const v = currentValue(results);
        return v && isTable(v) ? v : null;
      })();
  if (!props.live && results.status === 'error') {
    return props.queryError ? null : <ErrorNotice error={results.error} onRetry={props.onRetry} />;
  }
  if (!props.live && results.status === 'loading' && !results.previous) return <Loading label="Searching…" />;
  if (table) {
    return (
      <PipeResult
        table={table}
        query={state.q}
        viz={state.viz}
        {...(props.xRange ? { xRange: props.xRange } : {})}
        onViz={(viz) => update({ viz })}
        onZoom={props.onZoom}
        onFilter={props.onFilters}
      />
    );
  }
  if (props.hits.length === 0) {
    if (props.live)
      return (
        <Empty title="Waiting for new events">Events that match the query appear here as they arrive.</Empty>
      );
    if (results.status !== 'ok') return null;
    return (
      <Empty title="No results match your search">
        Widen the time range:{' '}
        {['now-24h', 'now-7d', 'now-30d'].map((from) => (
          <button
            key={from}
            type="button"
            class="link-button"
            onClick={() => update({ from, to: 'now' }, { push: true })}
          >
            {from.replace('now-', 'last ')}
          </button>
        ))}{' '}
        or check the query.
      </Empty>
    );
  }
  return (
    <ResultsTable
      hits={props.hits}
      columns={state.cols}
      fields={props.fields}
      sort={state.sort}
      selectedId={state.doc}
      loadingMore={props.loadingMore}
      canLoadMore={props.canLoadMore}
      onLoadMore={props.onLoadMore}
      onOpen={(hit) => update({ doc: hit._id })}
      onSort={(sort) => update({ sort }, { push: true })}
      onColumns={(cols) => update({ cols })}
      {...(props.live ? { freshIds: props.fresh } : {})}
    />
  );
}
