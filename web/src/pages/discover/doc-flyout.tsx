import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Hit } from '../../api/types.js';
import { CopyButton } from '../../components/copy-button.js';
import { Icon } from '../../components/icons.js';
import { cellText } from '../../lib/format.js';
import { formatDateTime } from '../../lib/time.js';

/**
 * One document, opened from the results: its fields as a table (filter for/out, toggle as column, copy)
 * and as raw JSON; the events around it; j/k move to the next/previous document, Esc closes.
 */
export function DocFlyout(props: {
  hit: Hit;
  columns: string[];
  onClose: () => void;
  onStep: (delta: 1 | -1) => void;
  onFilter: (field: string, value: unknown, negate: boolean) => void;
  onToggleColumn: (field: string) => void;
  onSurrounding: () => void;
  link: string;
}): JSX.Element {
  const [tab, setTab] = useState<'table' | 'json'>('table');
  const { onClose, onStep } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA') return;
      if (e.key === 'Escape') onClose();
      else if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        onStep(1);
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        onStep(-1);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose, onStep]);

  const { hit } = props;
  const json = JSON.stringify(hit, null, 2);
  const entries = Object.entries(hit).sort(([a], [b]) =>
    a === '@timestamp' ? -1 : b === '@timestamp' ? 1 : a.localeCompare(b),
  );
  const ms = Date.parse(hit['@timestamp']);
  return (
    <div class="flyout" role="dialog" aria-label="Document" data-testid="doc-flyout">
      <header class="flyout-header">
        <div>
          <h2>Document</h2>
          <div class="muted small">
            {Number.isNaN(ms) ? hit['@timestamp'] : formatDateTime(ms)} · {hit.stream} · {hit._id}
          </div>
        </div>
        <div class="flyout-actions">
          <button
            type="button"
            class="btn btn-icon"
            title="Previous document (k)"
            aria-label="Previous document"
            onClick={() => onStep(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            class="btn btn-icon"
            title="Next document (j)"
            aria-label="Next document"
            onClick={() => onStep(1)}
          >
            ↓
          </button>
          <button
            type="button"
            class="btn btn-icon"
            title="Close (Esc)"
            aria-label="Close"
            data-testid="flyout-close"
            onClick={onClose}
          >
            <Icon name="close" />
          </button>
        </div>
      </header>
      <div class="flyout-toolbar">
        <div class="tabs" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'table'}
            class={tab === 'table' ? 'active' : ''}
            onClick={() => setTab('table')}
          >
            Table
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'json'}
            class={tab === 'json' ? 'active' : ''}
            data-testid="tab-json"
            onClick={() => setTab('json')}
          >
            JSON
          </button>
        </div>
        <button
          type="button"
          class="btn btn-small"
          data-testid="surrounding-button"
          onClick={props.onSurrounding}
        >
          Surrounding documents
        </button>
        <CopyButton text={() => json} label="Copy JSON" />
        <CopyButton text={() => new URL(props.link, location.origin).toString()} label="Copy link" />
      </div>
      <div class="flyout-body">
        {tab === 'json' ? (
          <pre class="json-view" data-testid="doc-json">
            {json}
          </pre>
        ) : (
          <table class="doc-table" data-testid="doc-table">
            <tbody>
              {entries.map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td>
                    <div class="doc-value">{typeof v === 'string' ? v : cellText(v)}</div>
                  </td>
                  <td class="doc-actions">
                    {k !== '_id' ? (
                      <>
                        <button
                          type="button"
                          class="btn btn-icon"
                          title="Filter for value"
                          aria-label={`Filter for ${k}`}
                          onClick={() => props.onFilter(k, v, false)}
                        >
                          <Icon name="plus" size={13} />
                        </button>
                        <button
                          type="button"
                          class="btn btn-icon"
                          title="Filter out value"
                          aria-label={`Filter out ${k}`}
                          onClick={() => props.onFilter(k, v, true)}
                        >
                          <Icon name="minus" size={13} />
                        </button>
                        <button
                          type="button"
                          class={`btn btn-icon ${props.columns.includes(k) ? 'active' : ''}`}
                          title="Toggle column"
                          aria-label={`Toggle column ${k}`}
                          onClick={() => props.onToggleColumn(k)}
                        >
                          <Icon name="columns" size={13} />
                        </button>
                      </>
                    ) : null}
                    <CopyButton text={() => cellText(v)} label={`Copy ${k}`} small />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
