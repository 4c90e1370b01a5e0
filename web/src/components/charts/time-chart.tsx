import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatNumber } from '../../lib/format.js';
import { cssVar, useTheme } from '../../lib/theme.js';
import { formatDateTime } from '../../lib/time.js';

export interface TimeSeries {
  name: string;
  values: (number | null)[];
  color: string;
}

export interface TimeChartProps {
  /** Bucket starts, epoch ms. */
  xs: number[];
  series: TimeSeries[];
  kind: 'bars' | 'lines';
  stacked: boolean;
  height: number;
  /** Span of the x axis (the query's time range), epoch ms. */
  xRange?: { min: number; max: number };
  unit?: string;
  /** Called with the dragged interval; without it, dragging does nothing. */
  onZoom?: (fromMs: number, toMs: number) => void;
  onSeriesClick?: (name: string) => void;
  testId?: string;
}

/** Cumulative sums, so each series can be drawn from zero to its top and the ones below drawn over it. */
function stack(series: TimeSeries[], length: number): (number | null)[][] {
  const acc = new Array<number>(length).fill(0);
  return series.map((s) =>
    s.values.map((v, i) => {
      acc[i] = (acc[i] ?? 0) + (v ?? 0);
      return acc[i]!;
    }),
  );
}

/**
 * A time chart on uPlot (canvas, fast with thousands of points): stacked bars for volumes, lines for
 * measures. Drag across it to zoom; hover for the values of a bucket.
 */
export function TimeChart(props: TimeChartProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const theme = useTheme();
  const [hover, setHover] = useState<{ idx: number; left: number; top: number } | null>(null);
  const zoom = useRef(props.onZoom);
  zoom.current = props.onZoom;

  // Rebuilt when the data or the look changes; zoom goes through a ref so a new callback does not rebuild.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = props.xs.map((x) => x / 1000);
    const ordered = props.stacked ? stack(props.series, xs.length) : props.series.map((s) => s.values);
    // Draw the top of the stack first so lower series paint over its lower part.
    const drawOrder = props.stacked ? [...props.series.keys()].reverse() : [...props.series.keys()];
    const grid = cssVar('--chart-grid') || '#333';
    const text = cssVar('--fg-muted') || '#999';
    const step = xs.length > 1 ? xs[1]! - xs[0]! : 60;
    const bars = uPlot.paths.bars?.({ size: [0.86, 40], align: 1 });
    const opts: uPlot.Options = {
      width: Math.max(100, el.clientWidth),
      height: props.height,
      legend: { show: false },
      // Axes in UTC, as every other time in the UI and the server's date math.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      padding: [8, 8, 0, 0],
      cursor: {
        drag: { x: !!zoom.current, y: false, setScale: false },
        points: { show: props.kind === 'lines' },
      },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: {
          time: true,
          ...(props.xRange
            ? { range: () => [props.xRange!.min / 1000, props.xRange!.max / 1000] as uPlot.Range.MinMax }
            : {}),
        },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] },
      },
      axes: [
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, space: 70 },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          size: 52,
          values: (_u, splits) => splits.map((v) => formatNumber(v, { compact: true })),
        },
      ],
      series: [
        {},
        ...drawOrder.map((i) => {
          const s = props.series[i]!;
          return {
            label: s.name,
            stroke: s.color,
            fill: props.kind === 'bars' ? s.color : props.stacked ? `${s.color}cc` : undefined,
            width: props.kind === 'bars' ? 0 : 1.5,
            points: { show: false },
            ...(props.kind === 'bars' && bars ? { paths: bars } : {}),
            spanGaps: false,
          };
        }),
      ],
      hooks: {
        setSelect: [
          (u) => {
            const { left, width } = u.select;
            if (width < 3 || !zoom.current) return;
            const from = u.posToVal(left, 'x') * 1000;
            const to = u.posToVal(left + width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(Math.floor(from), Math.ceil(to));
          },
        ],
        setCursor: [
          (u) => {
            const idx = u.cursor.idx;
            if (idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0)
              setHover(null);
            else setHover({ idx, left: u.cursor.left, top: u.cursor.top ?? 0 });
          },
        ],
      },
    };
    const data: uPlot.AlignedData = [xs, ...drawOrder.map((i) => ordered[i]!)];
    // uPlot places a bar's left edge on its x value: extend the x scale by one step so the last bar shows.
    if (!props.xRange && xs.length > 0 && props.kind === 'bars') {
      (opts.scales!['x'] as uPlot.Scale).range = () => [xs[0]!, xs[xs.length - 1]! + step];
    }
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => {
      if (plot.current && el.clientWidth > 0)
        plot.current.setSize({ width: el.clientWidth, height: props.height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [
    props.xs,
    props.series,
    props.kind,
    props.stacked,
    props.height,
    props.xRange?.min,
    props.xRange?.max,
    theme,
  ]);

  const tip = hover ? tooltip(props, hover.idx) : null;
  return (
    <div class="time-chart" data-testid={props.testId}>
      <div ref={box} class="time-chart-canvas" onPointerLeave={() => setHover(null)} />
      {tip && hover ? (
        <div
          class="chart-tooltip"
          style={{
            left: `${Math.min(hover.left + 60, (box.current?.clientWidth ?? 0) - 200)}px`,
            top: '8px',
          }}
        >
          <div class="chart-tooltip-title">{tip.title}</div>
          {tip.rows.map((r) => (
            <div key={r.name} class="chart-tooltip-row">
              <span class="swatch" style={{ background: r.color }} />
              <span>{r.name}</span>
              <strong>{r.value}</strong>
            </div>
          ))}
        </div>
      ) : null}
      {props.series.length > 1 || props.onSeriesClick ? (
        <div class="chart-legend">
          {props.series.map((s) => (
            <button
              type="button"
              key={s.name}
              class="legend-item"
              disabled={!props.onSeriesClick}
              title={props.onSeriesClick ? `Filter for ${s.name}` : s.name}
              onClick={() => props.onSeriesClick?.(s.name)}
            >
              <span class="swatch" style={{ background: s.color }} />
              {s.name}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function tooltip(props: TimeChartProps, idx: number) {
  const x = props.xs[idx];
  if (x === undefined) return null;
  const rows = props.series
    .map((s) => ({ name: s.name, color: s.color, raw: s.values[idx] ?? null }))
    .filter((r) => r.raw !== null && (r.raw !== 0 || props.series.length <= 6))
    .reverse()
    .map((r) => ({ ...r, value: `${formatNumber(r.raw ?? 0)}${props.unit ? ` ${props.unit}` : ''}` }));
  return { title: formatDateTime(x, { millis: false }), rows };
}
