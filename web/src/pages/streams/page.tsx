import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { HistogramAgg, TermsAgg } from '../../api/types.js';
import { Empty, ErrorNotice, Loading, Spinner } from '../../components/states.js';
import { formatBytes, formatCount, formatDuration } from '../../lib/format.js';
import { useAsync, useInterval } from '../../lib/use-async.js';
import type { PageProps } from '../../pages.js';
import { discoverUrl } from '../discover/state.js';

const SPARK_BUCKETS = 48;

function Sparkline(props: { values: number[] }): JSX.Element {
  const max = Math.max(...props.values, 1);
  const w = 160;
  const h = 28;
  const step = w / Math.max(1, props.values.length - 1);
  const points = props.values
    .map((v, i) => `${(i * step).toFixed(1)},${(h - (v / max) * (h - 2) - 1).toFixed(1)}`)
    .join(' ');
  return (
    <svg class="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true">
      <polyline points={`0,${h} ${points} ${w},${h}`} fill="var(--accent-soft)" stroke="none" />
      <polyline points={points} fill="none" stroke="var(--accent)" stroke-width="1.5" />
    </svg>
  );
}

/** Every stream: events, size on disk, partitions, time span, and its volume over the last 24 hours. */
export function StreamsPage(_props: PageProps): JSX.Element {
  const [reload, setReload] = useState(0);
  useInterval(() => setReload((n) => n + 1), 30_000);
  const streams = useAsync((signal) => api.streams(signal).then((r) => r.streams), [reload]);
  const volume = useAsync(
    (signal) =>
      api.aggregate(
        {
          q: '',
          from: 'now-24h',
          to: 'now',
          aggs: {
            streams: {
              terms: { field: 'stream', size: 200 },
              aggs: { t: { date_histogram: { buckets: SPARK_BUCKETS } } },
            },
          },
        },
        signal,
      ),
    [reload],
  );
  const byStream = new Map<string, { total: number; values: number[] }>();
  if (volume.status === 'ok') {
    const terms = volume.value.aggregations['streams'] as TermsAgg | undefined;
    for (const b of terms?.buckets ?? []) {
      const hist = b['t'] as HistogramAgg | undefined;
      byStream.set(String(b.key), {
        total: b.doc_count,
        values: hist?.buckets.map((x) => x.doc_count) ?? [],
      });
    }
  }
  const list =
    streams.status === 'ok' ? streams.value : streams.status === 'loading' ? streams.previous : null;
  const totals = list?.reduce((a, s) => ({ events: a.events + s.events, bytes: a.bytes + s.bytes }), {
    events: 0,
    bytes: 0,
  });

  return (
    <div class="page-content streams">
      <header class="page-header">
        <h1>Streams</h1>
        {totals ? (
          <span class="muted">
            {formatCount(totals.events)} events · {formatBytes(totals.bytes)} on disk
          </span>
        ) : null}
        <span class="spacer" />
        {streams.status === 'loading' && list ? <Spinner /> : null}
        <button type="button" class="btn" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
      </header>
      <p class="muted small">
        A stream groups events from one source (the index name without its date for the Elasticsearch API,{' '}
        <code>?stream=</code> for /api/v1/ingest). Retention per stream comes with lifecycle policies; until
        one is set, events are kept.
      </p>
      {streams.status === 'error' ? (
        <ErrorNotice error={streams.error} onRetry={() => setReload((n) => n + 1)} />
      ) : null}
      {!list && streams.status === 'loading' ? <Loading /> : null}
      {list && list.length === 0 ? (
        <Empty title="No streams yet">
          Send logs to <code>POST /api/v1/ingest?stream=name</code> or the Elasticsearch <code>_bulk</code>{' '}
          API, or try <code>cairn demo</code>.
        </Empty>
      ) : null}
      {list && list.length > 0 ? (
        <table class="list-table" data-testid="streams-table">
          <thead>
            <tr>
              <th>Stream</th>
              <th class="num">Events</th>
              <th class="num">Size</th>
              <th class="num">Bytes / event</th>
              <th class="num">Partitions</th>
              <th>Oldest</th>
              <th>Newest</th>
              <th>Span</th>
              <th>Retention</th>
              <th>Last 24 h</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => {
              const first = s.first ? Date.parse(s.first) : null;
              const last = s.last ? Date.parse(s.last) : null;
              const vol = byStream.get(s.name);
              return (
                <tr key={s.name} data-stream={s.name}>
                  <td>
                    <a class="strong-link" href={discoverUrl({ stream: s.name, from: 'now-24h', to: 'now' })}>
                      {s.name}
                    </a>
                  </td>
                  <td class="num">{formatCount(s.events)}</td>
                  <td class="num">{formatBytes(s.bytes)}</td>
                  <td class="num">{s.events > 0 ? (s.bytes / s.events).toFixed(1) : '–'}</td>
                  <td class="num">{s.partitions}</td>
                  <td class="muted">
                    {first ? new Date(first).toISOString().slice(0, 16).replace('T', ' ') : '–'}
                  </td>
                  <td class="muted">
                    {last ? new Date(last).toISOString().slice(0, 16).replace('T', ' ') : '–'}
                  </td>
                  <td>{first && last ? formatDuration(last - first) : '–'}</td>
                  <td class="muted" title="No retention policy: events are kept until one is set">
                    keep all
                  </td>
                  <td title={vol ? `${formatCount(vol.total)} events in the last 24 hours` : undefined}>
                    {vol ? (
                      <Sparkline values={vol.values} />
                    ) : volume.status === 'loading' ? (
                      <Spinner />
                    ) : (
                      <span class="muted">none</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {volume.status === 'error' ? <ErrorNotice error={volume.error} compact /> : null}
    </div>
  );
}
