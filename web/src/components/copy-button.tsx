import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { copyText } from '../lib/download.js';
import { Icon } from './icons.js';

export function CopyButton(props: { text: () => string; label?: string; small?: boolean }): JSX.Element {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class={`btn ${props.small ? 'btn-icon' : 'btn-small'}`}
      title={props.label ?? 'Copy'}
      aria-label={props.label ?? 'Copy'}
      onClick={async () => {
        if (await copyText(props.text())) {
          setDone(true);
          setTimeout(() => setDone(false), 1200);
        }
      }}
    >
      <Icon name="copy" />
      {props.small ? null : <span>{done ? 'Copied' : (props.label ?? 'Copy')}</span>}
      {props.small && done ? <span class="copied-tip">Copied</span> : null}
    </button>
  );
}
