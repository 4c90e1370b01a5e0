import { formatBytes, formatNumber } from '../stats.js';
import type { SystemMeasurement } from './measure.js';
import { type CompareQuery, isAggregation, QUERY_SLOTS, SLOT_NAMES } from './queries.js';

export type Direction = 'higher is better' | 'lower is better';

export interface TableRow {
  figure: string;
  cairn: string;
  elasticsearch: string;
  /** Cairn ÷ Elasticsearch, null when either side has no value. */
  ratio: number | null;
  direction: Direction;
  /** The target for the ratio, e.g. `>= 5`; null when there is none. */
  target: string | null;
  /** Whether the ratio meets the target (null without a target or a ratio). */
  met: boolean | null;
}

interface Target {
  op: '>=' | '<=';
  value: number;
}

function row(
  figure: string,
  c: number | null,
  e: number | null,
  format: (x: number) => string,
  direction: Direction,
  target: Target | null = null,
): TableRow {
  const ratio = c !== null && e !== null && e !== 0 ? c / e : null;
  return {
    figure,
    cairn: c === null ? 'n/a' : format(c),
    elasticsearch: e === null ? 'n/a' : format(e),
    ratio,
    direction,
    target: target ? `${target.op} ${target.value}` : null,
    met:
      target && ratio !== null ? (target.op === '>=' ? ratio >= target.value : ratio <= target.value) : null,
  };
}

const ms = (x: number) => formatNumber(x, x < 10 ? 1 : 0);

/**
 * The comparison table: one row per figure, Cairn and Elasticsearch side by side, the ratio Cairn ÷
 * Elasticsearch with the direction that is better, and the targets of issue 4 (ingest ≥ 5×, disk
 * and RSS ≤ 0.5×, query p50 no slower, aggregations ≥ 3× faster).
 */
export function buildTable(
  cairn: SystemMeasurement,
  es: SystemMeasurement,
  queries: readonly CompareQuery[],
  runs: number,
): TableRow[] {
  const rows: TableRow[] = [
    row(
      'ingest, events/s',
      cairn.eventsPerSecond,
      es.eventsPerSecond,
      (x) => formatNumber(x),
      'higher is better',
      {
        op: '>=',
        value: 5,
      },
    ),
    row(
      'ingest, MB/s of _bulk bodies',
      cairn.megabytesPerSecond,
      es.megabytesPerSecond,
      (x) => formatNumber(x, 1),
      'higher is better',
    ),
    row(
      'CPU seconds per million events (ingest → searchable)',
      cairn.cpuSecondsPerMillionEvents,
      es.cpuSecondsPerMillionEvents,
      (x) => formatNumber(x, 1),
      'lower is better',
    ),
    row('peak RSS (VmHWM)', cairn.peakRssBytes, es.peakRssBytes, formatBytes, 'lower is better', {
      op: '<=',
      value: 0.5,
    }),
    row(
      'peak anonymous RSS (sampled, mapped files excluded)',
      cairn.peakAnonRssBytes,
      es.peakAnonRssBytes,
      formatBytes,
      'lower is better',
    ),
    row(
      'bytes on disk per event (after final flush)',
      cairn.bytesPerEvent,
      es.bytesPerEvent,
      (x) => formatNumber(x, 1),
      'lower is better',
      {
        op: '<=',
        value: 0.5,
      },
    ),
    row('data directory', cairn.disk.allocated, es.disk.allocated, formatBytes, 'lower is better'),
    row(
      'ingest → searchable, s',
      cairn.searchableSeconds,
      es.searchableSeconds,
      (x) => formatNumber(x, 2),
      'lower is better',
    ),
    row(
      'final flush (Cairn _flush; ES flush + force merge), s',
      cairn.finalFlushSeconds,
      es.finalFlushSeconds,
      (x) => formatNumber(x, 1),
      'lower is better',
    ),
  ];
  for (const slot of QUERY_SLOTS) {
    const q = queries.find((x) => x.id === slot);
    const c = cairn.queries.find((x) => x.id === slot);
    const e = es.queries.find((x) => x.id === slot);
    const label = q ? `${SLOT_NAMES[slot]}: ${q.name}` : `${SLOT_NAMES[slot]} (no such data in this corpus)`;
    const n = [c, e].map((m) => m?.runs ?? runs);
    const reduced = n.some((x) => x < runs) ? ` (n=${n.join('/')})` : '';
    const target: Target = q && isAggregation(q) ? { op: '<=', value: 0.33 } : { op: '<=', value: 1 };
    rows.push(
      row(
        `${label} — p50 ms${reduced}`,
        c?.p50Ms ?? null,
        e?.p50Ms ?? null,
        ms,
        'lower is better',
        q ? target : null,
      ),
    );
    rows.push(row(`${label} — p95 ms${reduced}`, c?.p95Ms ?? null, e?.p95Ms ?? null, ms, 'lower is better'));
  }
  return rows;
}

export function renderTable(rows: readonly TableRow[]): string {
  const lines = [
    '| figure | Cairn | Elasticsearch | ratio Cairn ÷ ES | better | target |',
    '|---|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    const ratio = r.ratio === null ? 'n/a' : `${formatNumber(r.ratio, r.ratio < 10 ? 2 : 1)}×`;
    const target = r.target === null ? '' : `${r.target}${r.met === null ? '' : r.met ? ' ✓' : ' ✗'}`;
    lines.push(`| ${r.figure} | ${r.cairn} | ${r.elasticsearch} | ${ratio} | ${r.direction} | ${target} |`);
  }
  return lines.join('\n');
}
