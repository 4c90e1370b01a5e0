import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import { type Hit, isTable, type SearchResult } from '../../api/types.js';
import { QueryInput } from '../../components/query-input.js';
import { ErrorNotice } from '../../components/states.js';
import { TimePicker } from '../../components/time-picker.js';
import { addFilter, pipeStart } from '../../lib/query-text.js';
import { navigate } from '../../lib/router.js';
import { intervalMs, isoOf, resolveRange } from '../../lib/time.js';
import { currentValue, useAsync, useInterval } from '../../lib/use-async.js';
import type { PageProps } from '../../pages.js';
import { DocFlyout } from './doc-flyout.js';
import { ExportMenu, type ExportSource } from './export-menu.js';
import { FieldSidebar } from './field-sidebar.js';
import { Histogram } from './histogram.js';
import { LiveBar } from './live-bar.js';
import { Results } from './results.js';
import { type DiscoverState, discoverUrl, firstSearch, readState } from './state.js';
import { Surrounding } from './surrounding.js';
import { useLiveTail } from './use-live-tail.js';

const NEXT_PAGE = 500;
const MAX_ROWS = 10_000;

/** Marks for the time from Enter to the first rendered results (read by the browser tests and the bench). */
function markSubmit(): void {
  performance.clearMarks('cairn:submit');
  performance.mark('cairn:submit');
}

export function DiscoverPage(props: PageProps): JSX.Element {
  const state = readState(props.location.params);
  const [draft, setDraft] = useState(state.q);
  const [runKey, setRunKey] = useState(0);
  const [surrounding, setSurrounding] = useState<Hit | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => setDraft(state.q), [state.q]);

  const update = useCallback(
    (patch: Partial<DiscoverState>, opts: { push?: boolean } = {}) =>
      navigate(discoverUrl({ ...readState(new URLSearchParams(location.search)), ...patch }), {
        replace: !opts.push,
      }),
    [],
  );
  const cut = pipeStart(state.q);
  const isPipe = cut !== -1;
  const search = isPipe ? state.q.slice(0, cut).trim() : state.q;
  const range = { from: state.from, to: state.to };

  const submit = (typed: string) => {
    markSubmit();
    const text = typed.trim();
    if (text === state.q) setRunKey((k) => k + 1);
    else update({ q: text, doc: '' }, { push: true });
  };

  // The rows come first: the histogram and the field list wait until the search has answered, so on a
  // 2-core server they do not compete with it for the CPU (what a user waits for after Enter is the rows).
  const searchKey = [state.q, state.from, state.to, state.sort, state.stream, state.live, runKey];
  const gate = useMemo(() => {
    let open = () => {};
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { opened, open };
  }, searchKey);
  const results = useAsync<SearchResult>(
    state.live ? null : (signal) => api.search(firstSearch(state), signal).finally(gate.open),
    searchKey,
  );
  if (state.live) gate.open();

  const fields = useAsync(
    (signal) =>
      gate.opened.then(() =>
        api
          .fields(
            // Names and types only: top values come per field (sidebar, autocomplete), which is far cheaper.
            { from: state.from, to: state.to, top: 0, ...(state.stream ? { stream: state.stream } : {}) },
            signal,
          )
          .then((r) => r.fields),
      ),
    [state.from, state.to, state.stream],
  );

  const loadValues = useCallback(
    (field: string) => api.topValues({ field, from: state.from, to: state.to, stream: state.stream }),
    [state.from, state.to, state.stream],
  );

  // Later pages, appended as the table scrolls.
  const [more, setMore] = useState<{ hits: Hit[]; cursor: string | null; loading: boolean }>({
    hits: [],
    cursor: null,
    loading: false,
  });
  const first = results.status === 'ok' ? results.value : null;
  useEffect(() => {
    setMore({ hits: [], cursor: first && !isTable(first) ? first.next_cursor : null, loading: false });
  }, [first]);
  const hits = useMemo(
    () => (first && !isTable(first) ? [...first.hits, ...more.hits].slice(0, MAX_ROWS) : []),
    [first, more.hits],
  );
  const loadMore = useCallback(() => {
    if (!more.cursor || more.loading || hits.length >= MAX_ROWS) return;
    setMore((m) => ({ ...m, loading: true }));
    api
      .search({
        q: state.q,
        from: state.from,
        to: state.to,
        sort: state.sort,
        limit: NEXT_PAGE,
        cursor: more.cursor,
        track_total_hits: 0,
      })
      .then((r) => {
        if (!isTable(r))
          setMore((m) => ({ hits: [...m.hits, ...r.hits], cursor: r.next_cursor, loading: false }));
      })
      .catch(() => setMore((m) => ({ ...m, loading: false, cursor: null })));
  }, [more.cursor, more.loading, hits.length, state.q, state.from, state.to, state.sort]);

  const live = useLiveTail({ enabled: state.live, q: state.q, stream: state.stream });
  const shownHits = state.live ? live.hits : hits;

  useInterval(() => setRunKey((k) => k + 1), state.live ? null : intervalMs(state.refresh));

  // Time from Enter to the results on screen.
  const mainRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (results.status !== 'ok' || performance.getEntriesByName('cairn:submit').length === 0) return;
    requestAnimationFrame(() => {
      const m = performance.measure('cairn:first-render', 'cairn:submit');
      performance.clearMarks('cairn:submit');
      mainRef.current?.setAttribute('data-render-ms', String(Math.round(m.duration)));
    });
  }, [results]);

  const error = results.status === 'error' ? results.error : live.error;
  const queryError =
    error && (error.code === 'invalid_query' || error.code === 'invalid_time_range') ? error : null;
  const onFilter = (field: string, value: unknown, negate: boolean) => {
    markSubmit();
    update({ q: addFilter(state.q, { field, value, negate }), doc: '' }, { push: true });
  };
  const onZoom = (fromMs: number, toMs: number) => {
    markSubmit();
    update({ from: isoOf(fromMs), to: isoOf(toMs) }, { push: true });
  };
  const toggleColumn = (field: string) =>
    update({
      cols: state.cols.includes(field) ? state.cols.filter((c) => c !== field) : [...state.cols, field],
    });

  const selected = state.doc ? shownHits.find((h) => h._id === state.doc) : undefined;
  const step = (delta: 1 | -1) => {
    const i = shownHits.findIndex((h) => h._id === state.doc);
    const next = shownHits[i + delta];
    if (next) update({ doc: next._id });
  };
  const resolved = resolveRange(range);
  const xRange = resolved ? { min: resolved.fromMs, max: resolved.toMs } : undefined;

  const exportSource: ExportSource | null = first
    ? isTable(first)
      ? { kind: 'table', table: first }
      : {
          kind: 'hits',
          q: state.q,
          from: state.from,
          to: state.to,
          stream: state.stream,
          sort: state.sort,
          columns: state.cols,
        }
    : null;

  return (
    <div class="discover">
      <div class="toolbar">
        <div class="toolbar-query" data-search-input>
          <QueryInput
            value={draft}
            onChange={setDraft}
            onSubmit={submit}
            fields={currentValue(fields) ?? []}
            loadValues={loadValues}
            valuesKey={`${state.from}|${state.to}|${state.stream}`}
            errorPosition={queryError && draft === state.q ? queryError.position : null}
            inputRef={inputRef}
          />
        </div>
        <button
          type="button"
          class={`btn ${state.live ? 'btn-live' : ''}`}
          data-testid="live-toggle"
          title={
            isPipe
              ? 'Live tail shows events; remove the pipes to tail'
              : 'Stream new matching events as they arrive'
          }
          disabled={isPipe}
          aria-pressed={state.live}
          onClick={() => update({ live: !state.live, doc: '' }, { push: true })}
        >
          <span class={`live-dot ${state.live && live.connected && !live.paused ? 'on' : ''}`} />
          Live
        </button>
        <ExportMenu source={state.live ? null : exportSource} />
        <TimePicker
          range={range}
          refresh={state.refresh}
          disabled={state.live}
          loading={results.status === 'loading'}
          onChange={(r) => {
            markSubmit();
            update({ from: r.from, to: r.to }, { push: true });
          }}
          onRefreshChange={(refresh) => update({ refresh })}
          onRefreshNow={() => submit(draft)}
        />
      </div>
      {queryError ? (
        <div class="query-error" data-testid="query-error">
          <ErrorNotice error={queryError} compact />
        </div>
      ) : null}
      <div class="discover-body">
        <FieldSidebar
          fields={fields}
          q={state.q}
          search={search}
          from={state.from}
          to={state.to}
          stream={state.stream}
          runKey={runKey}
          columns={state.cols}
          onFilter={onFilter}
          onToggleColumn={toggleColumn}
          onVisualize={(field) => {
            markSubmit();
            update(
              { q: `${search} | stats count() by ${field} | sort -count | head 20`.trim(), viz: '' },
              { push: true },
            );
          }}
        />
        <div class="discover-main" ref={mainRef} data-testid="discover-main">
          {!isPipe && !state.live ? (
            <Histogram
              after={gate.opened}
              q={search}
              from={state.from}
              to={state.to}
              stream={state.stream}
              runKey={runKey}
              onZoom={onZoom}
              onLevelClick={(level) => onFilter('level', level, false)}
            />
          ) : null}
          {state.live ? <LiveBar live={live} onStop={() => update({ live: false }, { push: true })} /> : null}
          <Results
            state={state}
            results={results}
            hits={shownHits}
            isPipe={isPipe}
            queryError={!!queryError}
            live={state.live}
            fresh={live.fresh}
            fields={currentValue(fields) ?? []}
            loadingMore={more.loading}
            canLoadMore={!state.live && !!more.cursor && hits.length < MAX_ROWS}
            onLoadMore={loadMore}
            update={update}
            onRetry={() => setRunKey((k) => k + 1)}
            xRange={xRange}
            onZoom={onZoom}
            onFilters={(filters) => {
              markSubmit();
              let q = state.q;
              for (const f of filters) q = addFilter(q, { field: f.field, value: f.value });
              update({ q }, { push: true });
            }}
          />
        </div>
        {selected ? (
          <DocFlyout
            hit={selected}
            columns={state.cols}
            link={discoverUrl({ ...state, live: false })}
            onClose={() => update({ doc: '' })}
            onStep={step}
            onFilter={onFilter}
            onToggleColumn={toggleColumn}
            onSurrounding={() => setSurrounding(selected)}
          />
        ) : null}
      </div>
      {surrounding ? (
        <Surrounding
          anchor={surrounding}
          onClose={() => setSurrounding(null)}
          onOpenInDiscover={(q, fromMs, toMs) => {
            setSurrounding(null);
            update(
              { q, from: isoOf(fromMs), to: isoOf(toMs), sort: '@timestamp:asc', doc: surrounding._id },
              { push: true },
            );
          }}
        />
      ) : null}
    </div>
  );
}
