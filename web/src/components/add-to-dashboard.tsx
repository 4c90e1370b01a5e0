import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client.js';
import { api } from '../api/client.js';
import type { Panel, PanelType } from '../api/types.js';
import { toApiError, useAsync } from '../lib/use-async.js';
import { Modal } from './popover.js';
import { ErrorNotice, Spinner } from './states.js';

const NEW = '__new__';

/** The first free row under the existing panels. */
export function bottomOf(panels: Panel[]): number {
  return panels.reduce((y, p) => Math.max(y, p.layout.y + p.layout.h), 0);
}

export function newPanel(opts: { title: string; type: PanelType; query: string; y: number }): Panel {
  const wide = opts.type === 'table' || opts.type === 'timeseries';
  return {
    id: Math.random().toString(36).slice(2, 10),
    title: opts.title,
    type: opts.type,
    query: opts.query,
    layout: { x: 0, y: opts.y, w: wide ? 12 : opts.type === 'kpi' ? 3 : 6, h: opts.type === 'kpi' ? 3 : 6 },
    options: {},
  };
}

/** Saves a query as a panel on an existing or a new dashboard. */
export function AddToDashboard(props: { query: string; type: PanelType; onClose: () => void }): JSX.Element {
  const list = useAsync((signal) => api.dashboards.list(signal), []);
  const [target, setTarget] = useState('');
  const [newTitle, setNewTitle] = useState('My dashboard');
  const [title, setTitle] = useState(props.query.split('|').pop()?.trim().slice(0, 60) || 'Panel');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<{ id: string; title: string } | null>(null);
  const dashboards = list.status === 'ok' ? list.value.dashboards : [];
  const chosen = target || dashboards[0]?.id || NEW;

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      if (chosen === NEW) {
        const panel = newPanel({ title, type: props.type, query: props.query, y: 0 });
        const { dashboard } = await api.dashboards.create({
          title: newTitle,
          description: '',
          time: { from: 'now-24h', to: 'now' },
          refresh: null,
          panels: [panel],
        });
        setDone({ id: dashboard.id, title: dashboard.title });
      } else {
        const { dashboard } = await api.dashboards.get(chosen);
        const panel = newPanel({
          title,
          type: props.type,
          query: props.query,
          y: bottomOf(dashboard.panels),
        });
        const saved = await api.dashboards.save(dashboard.id, {
          ...dashboard,
          panels: [...dashboard.panels, panel],
        });
        setDone({ id: saved.dashboard.id, title: saved.dashboard.title });
      }
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title="Add to dashboard"
      onClose={props.onClose}
      footer={
        done ? (
          <>
            <a class="btn btn-primary" href={`/dashboards/${done.id}`}>
              Open {done.title}
            </a>
            <button type="button" class="btn" onClick={props.onClose}>
              Close
            </button>
          </>
        ) : (
          <>
            <button type="button" class="btn" onClick={props.onClose}>
              Cancel
            </button>
            <button
              type="button"
              class="btn btn-primary"
              data-testid="add-to-dashboard-save"
              disabled={saving || list.status !== 'ok'}
              onClick={save}
            >
              {saving ? <Spinner /> : null} Add panel
            </button>
          </>
        )
      }
    >
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      {done ? (
        <p>
          The panel “{title}” is on <strong>{done.title}</strong>.
        </p>
      ) : (
        <div class="form">
          <label>
            Panel title
            <input class="input" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </label>
          <label>
            Dashboard
            <select
              class="input"
              value={chosen}
              onChange={(e) => setTarget(e.currentTarget.value)}
              data-testid="add-to-dashboard-target"
            >
              {dashboards.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.title}
                </option>
              ))}
              <option value={NEW}>New dashboard…</option>
            </select>
          </label>
          {chosen === NEW ? (
            <label>
              New dashboard title
              <input class="input" value={newTitle} onInput={(e) => setNewTitle(e.currentTarget.value)} />
            </label>
          ) : null}
          <div class="muted small">
            Query: <code>{props.query}</code> · drawn as {props.type}
          </div>
          {error ? <ErrorNotice error={error} compact /> : null}
        </div>
      )}
    </Modal>
  );
}
