import type { JSX } from 'preact';
import { useMemo, useRef } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { HistogramAgg, TermsAgg } from '../../api/types.js';
import { TimeChart, type TimeSeries } from '../../components/charts/time-chart.js';
import { ErrorNotice, Spinner } from '../../components/states.js';
import { formatCount } from '../../lib/format.js';
import { levelColor, levelRank } from '../../lib/levels.js';
import { bucketsFor, resolveRange } from '../../lib/time.js';
import { currentValue, useAsync } from '../../lib/use-async.js';

const NO_LEVEL = '(no level)';

export interface HistogramProps {
  /** Resolves when the histogram may load (after the rows). */
  after: Promise<void>;
  q: string;
  from: string;
  to: string;
  stream: string;
  runKey: number;
  onZoom: (fromMs: number, toMs: number) => void;
  onLevelClick: (level: string) => void;
  onTotal?: (total: number) => void;
}

/** Log volume over the time range, stacked by level; drag across it to zoom in. */
export function Histogram(props: HistogramProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const state = useAsync(
    async (signal) => {
      await props.after;
      const width = box.current?.clientWidth ?? 1000;
      const res = await api.aggregate(
        {
          q: props.q,
          from: props.from,
          to: props.to,
          ...(props.stream ? { stream: props.stream } : {}),
          aggs: {
            over_time: {
              date_histogram: { buckets: bucketsFor(width) },
              aggs: { levels: { terms: { field: 'level', size: 10 } } },
            },
          },
        },
        signal,
      );
      props.onTotal?.(res.total);
      return res;
    },
    [props.q, props.from, props.to, props.stream, props.runKey],
  );
  const value = currentValue(state);
  const model = useMemo(() => {
    if (!value) return null;
    const hist = value.aggregations['over_time'] as HistogramAgg | undefined;
    if (!hist) return null;
    const xs = hist.buckets.map((b) => b.key);
    const byLevel = new Map<string, number[]>();
    hist.buckets.forEach((b, i) => {
      const terms = b['levels'] as TermsAgg | undefined;
      let rest = b.doc_count;
      for (const t of terms?.buckets ?? []) {
        const name = String(t.key);
        if (!byLevel.has(name)) byLevel.set(name, new Array<number>(xs.length).fill(0));
        byLevel.get(name)![i] = t.doc_count;
        rest -= t.doc_count;
      }
      if (rest > 0) {
        if (!byLevel.has(NO_LEVEL)) byLevel.set(NO_LEVEL, new Array<number>(xs.length).fill(0));
        byLevel.get(NO_LEVEL)![i] = rest;
      }
    });
    const series: TimeSeries[] = [...byLevel.entries()]
      .sort(([a], [b]) => levelRank(a) - levelRank(b))
      .map(([name, values]) => ({ name, values, color: levelColor(name) }));
    const range = resolveRange({ from: props.from, to: props.to });
    const step = xs.length > 1 ? xs[1]! - xs[0]! : 60_000;
    const xRange = range
      ? { min: range.fromMs, max: range.toMs }
      : xs.length > 0
        ? { min: xs[0]!, max: xs[xs.length - 1]! + step }
        : undefined;
    return { xs, series, interval: hist.interval, total: value.total, took: value.took_ms, xRange };
  }, [value, props.from, props.to]);

  return (
    <section class="histogram" ref={box} data-testid="histogram" data-state={state.status}>
      <header class="histogram-header">
        <span class="hit-count" data-testid="hit-count">
          {model ? `${formatCount(model.total)} ${model.total === 1 ? 'hit' : 'hits'}` : '\u00a0'}
        </span>
        {model ? (
          <span class="muted">
            per {model.interval} · {model.took} ms
          </span>
        ) : null}
        {state.status === 'loading' ? <Spinner label="Loading the histogram" /> : null}
        <span class="muted histogram-hint">drag to zoom</span>
      </header>
      {state.status === 'error' && state.error.code === 'invalid_query' ? (
        // The search bar shows query errors already.
        <div class="histogram-placeholder" />
      ) : state.status === 'error' ? (
        <ErrorNotice error={state.error} compact />
      ) : model ? (
        <TimeChart
          xs={model.xs}
          series={model.series}
          kind="bars"
          stacked
          height={120}
          {...(model.xRange ? { xRange: model.xRange } : {})}
          onZoom={props.onZoom}
          onSeriesClick={(name) => name !== NO_LEVEL && props.onLevelClick(name)}
          testId="histogram-chart"
        />
      ) : (
        <div class="histogram-placeholder" />
      )}
    </section>
  );
}
