import type { JSX } from 'preact';
import { formatNumber } from '../../lib/format.js';

export interface Bar {
  label: string;
  value: number;
  color?: string;
  /** The raw category value, for filters. */
  key?: unknown;
}

/** Horizontal bars: the most readable chart for categories with long names (services, error classes). */
export function BarList(props: {
  bars: Bar[];
  unit?: string;
  onClick?: (bar: Bar) => void;
  testId?: string;
}): JSX.Element {
  const max = Math.max(...props.bars.map((b) => b.value), 0) || 1;
  return (
    <div class="bar-list" data-testid={props.testId}>
      {props.bars.map((b) => (
        <button
          type="button"
          key={b.label}
          class="bar-row"
          disabled={!props.onClick}
          title={props.onClick ? `Show ${b.label} in Discover` : b.label}
          onClick={() => props.onClick?.(b)}
        >
          <span class="bar-label">{b.label}</span>
          <span class="bar-track">
            <span
              class="bar-fill"
              style={{
                width: `${(Math.max(0, b.value) / max) * 100}%`,
                background: b.color ?? 'var(--accent)',
              }}
            />
          </span>
          <span class="bar-value">
            {formatNumber(b.value, { compact: true })}
            {props.unit ? <small> {props.unit}</small> : null}
          </span>
        </button>
      ))}
    </div>
  );
}
