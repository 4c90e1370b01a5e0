import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import {
  describeRange,
  formatDateTime,
  intervalMs,
  QUICK_RANGES,
  REFRESH_INTERVALS,
  resolveRange,
  resolveTime,
  type TimeRange,
} from '../lib/time.js';
import { Icon } from './icons.js';
import { Popover } from './popover.js';

const UNITS = [
  { value: 'm', label: 'minutes' },
  { value: 'h', label: 'hours' },
  { value: 'd', label: 'days' },
  { value: 'w', label: 'weeks' },
  { value: 's', label: 'seconds' },
];

/**
 * Time range and auto-refresh, as in Kibana: quick ranges, "last N units", absolute ends (ISO 8601 or
 * date math), and a refresh interval. Times are UTC, as the server's date math.
 */
export function TimePicker(props: {
  range: TimeRange;
  refresh: string;
  onChange: (r: TimeRange) => void;
  onRefreshChange: (interval: string) => void;
  onRefreshNow: () => void;
  loading?: boolean;
  disabled?: boolean;
}): JSX.Element {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  const refreshing = intervalMs(props.refresh) !== null;
  return (
    <div class="time-picker">
      <div class="popover-anchor">
        <button
          type="button"
          class="btn time-picker-button"
          data-testid="time-picker"
          disabled={props.disabled}
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          <Icon name="clock" />
          <span>{props.disabled ? 'Live' : describeRange(props.range)}</span>
          {refreshing ? (
            <span class="badge" title="Auto-refresh">
              {props.refresh}
            </span>
          ) : null}
          <Icon name="chevronDown" size={14} />
        </button>
        <Popover open={open} onClose={close} align="right" class="time-popover">
          <TimePanel
            {...props}
            onChange={(r) => {
              props.onChange(r);
              close();
            }}
          />
        </Popover>
      </div>
      <button
        type="button"
        class={`btn btn-primary ${props.loading ? 'is-loading' : ''}`}
        data-testid="refresh"
        title="Run the query again (Enter in the search bar)"
        onClick={props.onRefreshNow}
        disabled={props.disabled}
      >
        <Icon name="refresh" />
        <span>Refresh</span>
      </button>
    </div>
  );
}

function TimePanel(props: {
  range: TimeRange;
  refresh: string;
  onChange: (r: TimeRange) => void;
  onRefreshChange: (interval: string) => void;
}): JSX.Element {
  const [count, setCount] = useState('15');
  const [unit, setUnit] = useState('m');
  const resolved = resolveRange(props.range);
  const [from, setFrom] = useState(
    resolved ? formatDateTime(resolved.fromMs, { millis: false }) : props.range.from,
  );
  const [to, setTo] = useState(resolved ? formatDateTime(resolved.toMs, { millis: false }) : props.range.to);
  const [error, setError] = useState<string | null>(null);

  const applyAbsolute = (e: Event) => {
    e.preventDefault();
    const f = normalizeBound(from);
    const t = normalizeBound(to);
    const now = Date.now();
    const fm = resolveTime(f, { now });
    const tm = resolveTime(t, { now, end: true });
    if (fm === null || tm === null) {
      setError('Write times as 2024-05-14 10:00, ISO 8601 or date math (now-1h)');
      return;
    }
    if (tm <= fm) {
      setError('"From" must be before "to"');
      return;
    }
    props.onChange({ from: f, to: t });
  };

  return (
    <div class="time-panel">
      <section>
        <h3>Quick ranges</h3>
        <div class="quick-ranges">
          {QUICK_RANGES.map((q) => (
            <button
              type="button"
              key={q.label}
              class={`link-button ${q.from === props.range.from && q.to === props.range.to ? 'active' : ''}`}
              onClick={() => props.onChange({ from: q.from, to: q.to })}
            >
              {q.label}
            </button>
          ))}
        </div>
      </section>
      <section>
        <h3>Relative</h3>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(count);
            if (Number.isInteger(n) && n > 0) props.onChange({ from: `now-${n}${unit}`, to: 'now' });
          }}
        >
          <span>Last</span>
          <input
            class="input input-narrow"
            type="number"
            min={1}
            value={count}
            aria-label="Amount"
            onInput={(e) => setCount(e.currentTarget.value)}
          />
          <select
            class="input"
            value={unit}
            aria-label="Unit"
            onChange={(e) => setUnit(e.currentTarget.value)}
          >
            {UNITS.map((u) => (
              <option key={u.value} value={u.value}>
                {u.label}
              </option>
            ))}
          </select>
          <button type="submit" class="btn btn-small">
            Apply
          </button>
        </form>
      </section>
      <section>
        <h3>Absolute (UTC)</h3>
        <form class="absolute-form" onSubmit={applyAbsolute}>
          <label>
            From
            <input
              class="input"
              value={from}
              data-testid="time-from"
              onInput={(e) => setFrom(e.currentTarget.value)}
            />
          </label>
          <label>
            To
            <input
              class="input"
              value={to}
              data-testid="time-to"
              onInput={(e) => setTo(e.currentTarget.value)}
            />
          </label>
          {error ? <div class="field-error">{error}</div> : null}
          <button type="submit" class="btn btn-small">
            Apply
          </button>
        </form>
      </section>
      <section>
        <h3>Auto-refresh</h3>
        <select
          class="input"
          value={props.refresh}
          data-testid="refresh-interval"
          aria-label="Auto-refresh interval"
          onChange={(e) => props.onRefreshChange(e.currentTarget.value)}
        >
          {REFRESH_INTERVALS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </section>
    </div>
  );
}

/** `2024-05-14 10:00` → `2024-05-14T10:00:00.000Z`; date math and other text stay as written. */
function normalizeBound(text: string): string {
  const t = text.trim();
  if (t.startsWith('now')) return t;
  const ms = resolveTime(t, { now: Date.now() });
  return ms === null || /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : new Date(ms).toISOString();
}
