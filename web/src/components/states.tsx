import type { ComponentChildren, JSX } from 'preact';
import type { ApiError } from '../api/client.js';
import { Icon } from './icons.js';

export function Spinner(props: { label?: string }): JSX.Element {
  return (
    <span class="spinner" role="status" aria-label={props.label ?? 'Loading'}>
      <span class="spinner-dot" />
    </span>
  );
}

export function Loading(props: { label?: string }): JSX.Element {
  return (
    <div class="state state-loading" data-state="loading">
      <Spinner />
      <span>{props.label ?? 'Loading…'}</span>
    </div>
  );
}

export function Empty(props: { title: string; children?: ComponentChildren }): JSX.Element {
  return (
    <div class="state state-empty" data-state="empty">
      <strong>{props.title}</strong>
      {props.children ? <div class="state-hint">{props.children}</div> : null}
    </div>
  );
}

/** The server's message, as it wrote it, where the failed thing would have been. */
export function ErrorNotice(props: {
  error: ApiError;
  compact?: boolean;
  onRetry?: () => void;
}): JSX.Element {
  const { error } = props;
  return (
    <div class={`state state-error ${props.compact ? 'compact' : ''}`} role="alert" data-state="error">
      <Icon name="warning" class="error-icon" />
      <div>
        <pre class="error-message">{error.message}</pre>
        {props.compact ? null : (
          <div class="error-meta">
            {error.code}
            {error.status ? ` · HTTP ${error.status}` : ''}
          </div>
        )}
      </div>
      {props.onRetry ? (
        <button type="button" class="btn btn-small" onClick={props.onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
