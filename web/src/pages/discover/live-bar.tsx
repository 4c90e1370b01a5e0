import type { JSX } from 'preact';
import { Icon } from '../../components/icons.js';
import type { LiveTail } from './use-live-tail.js';

/** The state of live tail, with pause and stop. */
export function LiveBar(props: { live: LiveTail; onStop: () => void }): JSX.Element {
  return (
    <div class="live-bar" data-testid="live-bar">
      <span class={`live-dot ${props.live.connected && !props.live.paused ? 'on' : ''}`} />
      <strong>{props.live.paused ? 'Paused' : props.live.connected ? 'Live' : 'Disconnected'}</strong>
      <span class="muted" data-testid="live-count">
        {props.live.received} new {props.live.received === 1 ? 'event' : 'events'}
        {props.live.paused && props.live.pending > 0 ? ` · ${props.live.pending} waiting` : ''}
        {props.live.skipped ? ' · some events skipped at this rate: narrow the query' : ''}
      </span>
      <span class="spacer" />
      <button
        type="button"
        class="btn btn-small"
        data-testid="live-pause"
        onClick={() => props.live.setPaused(!props.live.paused)}
      >
        <Icon name={props.live.paused ? 'play' : 'pause'} />
        {props.live.paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" class="btn btn-small" onClick={props.onStop}>
        Stop
      </button>
    </div>
  );
}
