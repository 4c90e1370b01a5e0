import type { JSX } from 'preact';
import { formatNumber } from '../../lib/format.js';
import { levelRank } from '../../lib/levels.js';

export interface HeatCell {
  row: string;
  col: string;
  value: number;
}

/** Rows × columns coloured by value on a log scale, so small counts next to large ones stay visible. */
export function Heatmap(props: {
  cells: HeatCell[];
  rowLabel?: string;
  colLabel?: string;
  onClick?: (cell: HeatCell) => void;
  testId?: string;
}): JSX.Element {
  const rows = [...new Set(props.cells.map((c) => c.row))].sort();
  const cols = [...new Set(props.cells.map((c) => c.col))].sort(
    (a, b) => levelRank(a) - levelRank(b) || a.localeCompare(b),
  );
  const byKey = new Map(props.cells.map((c) => [`${c.row}\u0000${c.col}`, c.value]));
  const max = Math.max(...props.cells.map((c) => c.value), 1);
  const scale = (v: number) => (v <= 0 ? 0 : Math.log1p(v) / Math.log1p(max));
  return (
    <div class="heatmap" data-testid={props.testId}>
      <table>
        <thead>
          <tr>
            <th class="heatmap-corner">{props.rowLabel ?? ''}</th>
            {cols.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r}>
              <th>{r}</th>
              {cols.map((c) => {
                const v = byKey.get(`${r}\u0000${c}`) ?? 0;
                const s = scale(v);
                return (
                  <td key={c}>
                    <button
                      type="button"
                      class="heat-cell"
                      disabled={!props.onClick || v === 0}
                      style={{
                        background: `color-mix(in srgb, var(--heat) ${Math.round(s * 100)}%, var(--bg-subtle))`,
                        color: s > 0.55 ? '#fff' : 'var(--fg)',
                      }}
                      title={`${props.rowLabel ?? 'row'} ${r}, ${props.colLabel ?? 'column'} ${c}: ${formatNumber(v)}`}
                      onClick={() => props.onClick?.({ row: r, col: c, value: v })}
                    >
                      {v === 0 ? '' : formatNumber(v, { compact: true })}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
