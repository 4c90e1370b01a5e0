import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import { type Hit, isTable } from '../../api/types.js';
import { Modal } from '../../components/popover.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { cellText } from '../../lib/format.js';
import { levelColor } from '../../lib/levels.js';
import { fieldClause } from '../../lib/query-text.js';
import { formatDateTime, isoOf } from '../../lib/time.js';
import { useAsync } from '../../lib/use-async.js';

const STEP = 10;
const WINDOW_MS = 24 * 3600_000;

async function side(opts: {
  q: string;
  anchor: Hit;
  n: number;
  before: boolean;
  signal: AbortSignal;
}): Promise<Hit[]> {
  const t = Date.parse(opts.anchor['@timestamp']);
  const res = await api.search(
    {
      q: opts.q,
      from: isoOf(opts.before ? t - WINDOW_MS : t),
      to: isoOf(opts.before ? t : t + WINDOW_MS),
      sort: opts.before ? '@timestamp:desc' : '@timestamp:asc',
      limit: opts.n + 1,
      track_total_hits: 0,
    },
    opts.signal,
  );
  if (isTable(res)) return [];
  const hits = res.hits.filter((h) => h._id !== opts.anchor._id).slice(0, opts.n);
  return opts.before ? hits.reverse() : hits;
}

/** The events just before and after one event, from the same service and host (each can be turned off). */
export function Surrounding(props: {
  anchor: Hit;
  onClose: () => void;
  onOpenInDiscover: (q: string, fromMs: number, toMs: number) => void;
}): JSX.Element {
  const { anchor } = props;
  const [sameService, setSameService] = useState(anchor['service'] !== undefined);
  const [sameHost, setSameHost] = useState(anchor['host'] !== undefined);
  const [before, setBefore] = useState(STEP);
  const [after, setAfter] = useState(STEP);
  const clauses = [
    sameService && anchor['service'] !== undefined ? fieldClause('service', anchor['service']) : null,
    sameHost && anchor['host'] !== undefined ? fieldClause('host', anchor['host']) : null,
  ].filter((c): c is string => c !== null);
  const q = clauses.join(' AND ');
  const state = useAsync(
    async (signal) => {
      const [b, a] = await Promise.all([
        side({ q, anchor, n: before, before: true, signal }),
        side({ q, anchor, n: after, before: false, signal }),
      ]);
      return { before: b, after: a };
    },
    [q, before, after, anchor._id],
  );
  const value = state.status === 'ok' ? state.value : state.status === 'loading' ? state.previous : null;
  const row = (h: Hit, isAnchor: boolean) => {
    const level = typeof h['level'] === 'string' ? h['level'] : '';
    return (
      <tr
        key={h._id}
        class={isAnchor ? 'anchor' : ''}
        data-testid={isAnchor ? 'surrounding-anchor' : 'surrounding-row'}
      >
        <td class="rt-time">{formatDateTime(Date.parse(h['@timestamp']))}</td>
        <td>
          {level ? (
            <span class="level-badge" style={{ '--level': levelColor(level) }}>
              {level}
            </span>
          ) : null}
        </td>
        <td>{cellText(h['service'])}</td>
        <td>{cellText(h['host'])}</td>
        <td class="surrounding-message">{cellText(h['message'])}</td>
      </tr>
    );
  };
  const t = Date.parse(anchor['@timestamp']);
  return (
    <Modal title="Surrounding documents" onClose={props.onClose} wide>
      <div class="surrounding-controls">
        <label>
          <input
            type="checkbox"
            checked={sameService}
            disabled={anchor['service'] === undefined}
            onChange={(e) => setSameService(e.currentTarget.checked)}
          />
          same service <code>{cellText(anchor['service'])}</code>
        </label>
        <label>
          <input
            type="checkbox"
            checked={sameHost}
            disabled={anchor['host'] === undefined}
            onChange={(e) => setSameHost(e.currentTarget.checked)}
          />
          same host <code>{cellText(anchor['host'])}</code>
        </label>
        <button
          type="button"
          class="link-button"
          onClick={() => props.onOpenInDiscover(q, t - 5 * 60_000, t + 5 * 60_000)}
        >
          Open ±5 min in Discover
        </button>
      </div>
      {state.status === 'error' ? <ErrorNotice error={state.error} /> : null}
      {value ? (
        <div class="surrounding" data-testid="surrounding">
          <button
            type="button"
            class="btn btn-small"
            disabled={value.before.length < before}
            onClick={() => setBefore(before + STEP)}
          >
            Load {STEP} earlier
          </button>
          <table class="surrounding-table">
            <tbody>
              {value.before.map((h) => row(h, false))}
              {row(anchor, true)}
              {value.after.map((h) => row(h, false))}
            </tbody>
          </table>
          <button
            type="button"
            class="btn btn-small"
            disabled={value.after.length < after}
            onClick={() => setAfter(after + STEP)}
          >
            Load {STEP} later
          </button>
        </div>
      ) : state.status === 'loading' ? (
        <Loading />
      ) : null}
    </Modal>
  );
}
