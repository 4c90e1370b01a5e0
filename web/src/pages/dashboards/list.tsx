import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, api } from '../../api/client.js';
import { Icon } from '../../components/icons.js';
import { Modal } from '../../components/popover.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { downloadText } from '../../lib/download.js';
import { navigate } from '../../lib/router.js';
import { toApiError, useAsync } from '../../lib/use-async.js';

export function DashboardList(): JSX.Element {
  const [reload, setReload] = useState(0);
  const list = useAsync((signal) => api.dashboards.list(signal), [reload]);
  const [error, setError] = useState<ApiError | null>(null);
  const [creating, setCreating] = useState(false);
  const [confirm, setConfirm] = useState<{ id: string; title: string } | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setReload((n) => n + 1);
    } catch (err) {
      setError(toApiError(err));
    }
  };

  const importFile = async (file: File) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      setError(toApiError(new Error(`Cannot import ${file.name}: it is not JSON`)));
      return;
    }
    await act(async () => {
      const { dashboard } = await api.dashboards.import(parsed);
      navigate(`/dashboards/${dashboard.id}`);
    });
  };

  return (
    <div class="page-content dashboards-list">
      <header class="page-header">
        <h1>Dashboards</h1>
        <span class="spacer" />
        <input
          ref={fileRef}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) void importFile(f);
            e.currentTarget.value = '';
          }}
        />
        <button
          type="button"
          class="btn"
          data-testid="import-dashboard"
          onClick={() => fileRef.current?.click()}
        >
          <Icon name="upload" />
          Import
        </button>
        <button
          type="button"
          class="btn btn-primary"
          data-testid="new-dashboard"
          onClick={() => setCreating(true)}
        >
          <Icon name="plus" />
          New dashboard
        </button>
      </header>
      {error ? <ErrorNotice error={error} /> : null}
      {list.status === 'error' ? (
        <ErrorNotice error={list.error} onRetry={() => setReload((n) => n + 1)} />
      ) : null}
      {list.status === 'loading' && !list.previous ? <Loading /> : null}
      {list.status === 'ok' && list.value.dashboards.length === 0 ? (
        <Empty title="No dashboards yet">
          Create one, or import a dashboard exported from another Cairn.
        </Empty>
      ) : null}
      {list.status === 'ok' || (list.status === 'loading' && list.previous) ? (
        <table class="list-table" data-testid="dashboard-list">
          <thead>
            <tr>
              <th>Title</th>
              <th>Panels</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(list.status === 'ok' ? list.value : list.previous!).dashboards.map((d) => (
              <tr key={d.id} data-dashboard-id={d.id}>
                <td>
                  <a href={`/dashboards/${d.id}`} class="strong-link">
                    {d.title}
                  </a>
                  {d.builtin ? <span class="badge">built-in</span> : null}
                  {d.description ? <div class="muted small">{d.description}</div> : null}
                </td>
                <td>{d.panels}</td>
                <td class="muted">{new Date(d.updated_at).toLocaleString()}</td>
                <td class="row-actions">
                  <button
                    type="button"
                    class="btn btn-small"
                    title="Duplicate"
                    onClick={() => act(() => api.dashboards.duplicate(d.id))}
                  >
                    <Icon name="duplicate" />
                    Duplicate
                  </button>
                  <button
                    type="button"
                    class="btn btn-small"
                    title="Export as JSON"
                    onClick={() =>
                      act(async () => {
                        const file = await api.dashboards.exportOf(d.id);
                        downloadText(
                          `${d.title.replace(/[^\w-]+/g, '-').toLowerCase()}.dashboard.json`,
                          `${JSON.stringify(file, null, 2)}\n`,
                          'application/json',
                        );
                      })
                    }
                  >
                    <Icon name="download" />
                    Export
                  </button>
                  <button
                    type="button"
                    class="btn btn-small btn-danger"
                    title="Delete"
                    onClick={() => setConfirm({ id: d.id, title: d.title })}
                  >
                    <Icon name="trash" />
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {creating ? (
        <NewDashboard
          onClose={() => setCreating(false)}
          onCreate={(title) =>
            act(async () => {
              const { dashboard } = await api.dashboards.create({
                title,
                description: '',
                time: { from: 'now-24h', to: 'now' },
                refresh: null,
                panels: [],
              });
              navigate(`/dashboards/${dashboard.id}?edit=1`);
            })
          }
        />
      ) : null}
      {confirm ? (
        <Modal
          title="Delete dashboard"
          onClose={() => setConfirm(null)}
          footer={
            <>
              <button type="button" class="btn" onClick={() => setConfirm(null)}>
                Cancel
              </button>
              <button
                type="button"
                class="btn btn-danger"
                data-testid="confirm-delete"
                onClick={() => {
                  const id = confirm.id;
                  setConfirm(null);
                  void act(() => api.dashboards.remove(id));
                }}
              >
                Delete
              </button>
            </>
          }
        >
          <p>Delete “{confirm.title}”? Export it first if you may want it back.</p>
        </Modal>
      ) : null}
    </div>
  );
}

function NewDashboard(props: { onClose: () => void; onCreate: (title: string) => void }): JSX.Element {
  const [title, setTitle] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <Modal
      title="New dashboard"
      onClose={props.onClose}
      footer={
        <>
          <button type="button" class="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="new-dashboard-form"
            class="btn btn-primary"
            data-testid="create-dashboard"
            disabled={title.trim() === ''}
          >
            Create
          </button>
        </>
      }
    >
      <form
        id="new-dashboard-form"
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (title.trim()) props.onCreate(title.trim());
        }}
      >
        <label>
          Title
          <input
            ref={input}
            class="input"
            value={title}
            data-testid="new-dashboard-title"
            onInput={(e) => setTitle(e.currentTarget.value)}
          />
        </label>
      </form>
    </Modal>
  );
}
