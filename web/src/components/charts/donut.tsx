import type { JSX } from 'preact';
import { formatNumber } from '../../lib/format.js';
import type { Bar } from './bar-list.js';

/** A donut of shares, with the total in the middle and a legend of values and percentages. */
export function Donut(props: {
  slices: Bar[];
  onClick?: (slice: Bar) => void;
  testId?: string;
}): JSX.Element {
  const total = props.slices.reduce((a, s) => a + Math.max(0, s.value), 0);
  const r = 40;
  const c = 2 * Math.PI * r;
  let offset = 0;
  return (
    <div class="donut" data-testid={props.testId}>
      <svg viewBox="0 0 100 100" class="donut-svg" role="img" aria-label="Shares">
        <circle cx="50" cy="50" r={r} fill="none" stroke="var(--bg-subtle)" stroke-width="16" />
        {total > 0
          ? props.slices.map((s) => {
              const len = (Math.max(0, s.value) / total) * c;
              const el = (
                <circle
                  key={s.label}
                  cx="50"
                  cy="50"
                  r={r}
                  fill="none"
                  stroke={s.color}
                  stroke-width="16"
                  stroke-dasharray={`${len} ${c - len}`}
                  stroke-dashoffset={-offset}
                  transform="rotate(-90 50 50)"
                >
                  <title>{`${s.label}: ${formatNumber(s.value)} (${((s.value / total) * 100).toFixed(1)}%)`}</title>
                </circle>
              );
              offset += len;
              return el;
            })
          : null}
        <text x="50" y="48" text-anchor="middle" class="donut-total">
          {formatNumber(total, { compact: true })}
        </text>
        <text x="50" y="60" text-anchor="middle" class="donut-caption">
          total
        </text>
      </svg>
      <ul class="donut-legend">
        {props.slices.map((s) => (
          <li key={s.label}>
            <button
              type="button"
              class="legend-item"
              disabled={!props.onClick}
              onClick={() => props.onClick?.(s)}
            >
              <span class="swatch" style={{ background: s.color }} />
              <span class="legend-label">{s.label}</span>
              <span class="legend-value">{total > 0 ? `${((s.value / total) * 100).toFixed(1)}%` : '–'}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
