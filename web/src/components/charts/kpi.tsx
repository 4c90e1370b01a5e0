import type { JSX } from 'preact';
import { formatNumber } from '../../lib/format.js';

export function Kpi(props: {
  value: number | null;
  label: string;
  unit?: string;
  testId?: string;
}): JSX.Element {
  return (
    <div class="kpi" data-testid={props.testId}>
      <div class="kpi-value">
        {props.value === null ? '–' : formatNumber(props.value)}
        {props.unit && props.value !== null ? <span class="kpi-unit">{props.unit}</span> : null}
      </div>
      <div class="kpi-label">{props.label}</div>
    </div>
  );
}
