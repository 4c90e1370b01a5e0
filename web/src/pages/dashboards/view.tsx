import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ApiError, api } from '../../api/client.js';
import type { Dashboard, Panel } from '../../api/types.js';
import { bottomOf, newPanel } from '../../components/add-to-dashboard.js';
import { Icon } from '../../components/icons.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { TimePicker } from '../../components/time-picker.js';
import { downloadText } from '../../lib/download.js';
import { href, type Location, navigate } from '../../lib/router.js';
import { intervalMs } from '../../lib/time.js';
import { toApiError, useAsync, useInterval } from '../../lib/use-async.js';
import { Grid } from './grid.js';
import { compact } from './layout.js';
import { PanelEditor } from './panel-editor.js';
import { PanelView } from './panel-view.js';

/** One dashboard: its panels on the grid under one time picker; Edit to add, arrange and change panels. */
export function DashboardView(props: { id: string; location: Location }): JSX.Element {
  const [reload, setReload] = useState(0);
  const loaded = useAsync(
    (signal) => api.dashboards.get(props.id, signal).then((r) => r.dashboard),
    [props.id, reload],
  );
  const saved = loaded.status === 'ok' ? loaded.value : null;
  const params = props.location.params;
  const editing = params.get('edit') === '1';
  const [draft, setDraft] = useState<Dashboard | null>(null);
  const [editingPanel, setEditingPanel] = useState<{ panel: Panel; isNew: boolean } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [runKey, setRunKey] = useState(0);

  useEffect(() => {
    if (editing && saved && !draft) setDraft(structuredClone(saved));
    if (!editing) setDraft(null);
  }, [editing, saved, draft]);

  const dashboard = draft ?? saved;
  const from = params.get('from') ?? dashboard?.time.from ?? 'now-24h';
  const to = params.get('to') ?? dashboard?.time.to ?? 'now';
  const refresh = params.get('refresh') ?? dashboard?.refresh ?? '';
  const setParams = useCallback(
    (patch: Record<string, string | null>, push = false) => {
      const next: Record<string, string | null> = Object.fromEntries(params.entries());
      Object.assign(next, patch);
      navigate(href(`/dashboards/${props.id}`, next), { replace: !push });
    },
    [params, props.id],
  );
  useInterval(() => setRunKey((k) => k + 1), editing ? null : intervalMs(refresh));

  if (loaded.status === 'error') {
    return (
      <div class="page-content">
        <ErrorNotice error={loaded.error} />
        <a href="/dashboards">All dashboards</a>
      </div>
    );
  }
  if (!dashboard) return <Loading label="Loading the dashboard…" />;

  const change = (patch: Partial<Dashboard>) => setDraft((d) => (d ? { ...d, ...patch } : d));
  const setPanels = (panels: Panel[]) => change({ panels });
  const save = async () => {
    if (!draft) return;
    setSaving(true);
    setError(null);
    try {
      await api.dashboards.save(draft.id, { ...draft, time: { from, to }, refresh: refresh || null });
      setDraft(null);
      setReload((n) => n + 1);
      setParams({ edit: null, from: null, to: null, refresh: null });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="page-content dashboard" data-testid="dashboard" data-dashboard-id={dashboard.id}>
      <header class="page-header dashboard-header">
        <a href="/dashboards" class="muted" title="All dashboards">
          Dashboards /
        </a>
        {editing ? (
          <input
            class="input title-input"
            value={dashboard.title}
            aria-label="Dashboard title"
            data-testid="dashboard-title-input"
            onInput={(e) => change({ title: e.currentTarget.value })}
          />
        ) : (
          <h1 data-testid="dashboard-title">{dashboard.title}</h1>
        )}
        <span class="spacer" />
        {editing ? (
          <>
            <button
              type="button"
              class="btn"
              data-testid="add-panel"
              onClick={() =>
                setEditingPanel({
                  panel: newPanel({
                    title: 'New panel',
                    type: 'timeseries',
                    query: '| timechart count() by level',
                    y: bottomOf(dashboard.panels),
                  }),
                  isNew: true,
                })
              }
            >
              <Icon name="plus" />
              Add panel
            </button>
            <button
              type="button"
              class="btn"
              onClick={() => {
                setDraft(null);
                setError(null);
                setParams({ edit: null });
              }}
            >
              Cancel
            </button>
            <button
              type="button"
              class="btn btn-primary"
              data-testid="save-dashboard"
              disabled={saving}
              onClick={save}
            >
              {saving ? 'Saving…' : 'Save'}
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              class="btn"
              data-testid="edit-dashboard"
              onClick={() => setParams({ edit: '1' })}
            >
              <Icon name="edit" />
              Edit
            </button>
            <button
              type="button"
              class="btn"
              title="Export as JSON"
              data-testid="export-dashboard"
              onClick={async () => {
                try {
                  const file = await api.dashboards.exportOf(dashboard.id);
                  downloadText(
                    `${dashboard.title.replace(/[^\w-]+/g, '-').toLowerCase()}.dashboard.json`,
                    `${JSON.stringify(file, null, 2)}\n`,
                    'application/json',
                  );
                } catch (err) {
                  setError(toApiError(err));
                }
              }}
            >
              <Icon name="download" />
              Export
            </button>
            <button
              type="button"
              class="btn"
              title="Duplicate this dashboard"
              onClick={async () => {
                try {
                  const { dashboard: copy } = await api.dashboards.duplicate(dashboard.id);
                  navigate(`/dashboards/${copy.id}`);
                } catch (err) {
                  setError(toApiError(err));
                }
              }}
            >
              <Icon name="duplicate" />
              Duplicate
            </button>
          </>
        )}
        <TimePicker
          range={{ from, to }}
          refresh={refresh}
          onChange={(r) => setParams({ from: r.from, to: r.to }, true)}
          onRefreshChange={(r) => setParams({ refresh: r })}
          onRefreshNow={() => setRunKey((k) => k + 1)}
        />
      </header>
      {dashboard.description && !editing ? (
        <p class="muted dashboard-description">{dashboard.description}</p>
      ) : null}
      {editing ? (
        <p class="muted small">
          Drag a panel by its title, resize it by its corner; Save keeps the layout and the time range.
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {dashboard.panels.length === 0 ? (
        <div class="state state-empty">
          <strong>This dashboard has no panels</strong>
          <div class="state-hint">
            {editing
              ? 'Add a panel: each one is a query, drawn as a chart.'
              : 'Edit it to add panels, or add one from Discover with “Add to dashboard”.'}
          </div>
        </div>
      ) : (
        <Grid
          items={dashboard.panels.map((p) => ({ id: p.id, layout: p.layout }))}
          editing={editing}
          onLayout={(items) =>
            setPanels(
              dashboard.panels.map((p) => ({
                ...p,
                layout: items.find((i) => i.id === p.id)?.layout ?? p.layout,
              })),
            )
          }
          render={(id, size) => {
            const panel = dashboard.panels.find((p) => p.id === id)!;
            return (
              <PanelView
                panel={panel}
                from={from}
                to={to}
                runKey={runKey}
                height={size.height}
                editing={editing}
                onEdit={() => setEditingPanel({ panel, isNew: false })}
                onDuplicate={() =>
                  setPanels([
                    ...dashboard.panels,
                    {
                      ...structuredClone(panel),
                      id: Math.random().toString(36).slice(2, 10),
                      title: `${panel.title} (copy)`,
                      layout: { ...panel.layout, y: bottomOf(dashboard.panels) },
                    },
                  ])
                }
                onRemove={() => {
                  const rest = dashboard.panels.filter((p) => p.id !== id);
                  const layout = compact(rest.map((p) => ({ id: p.id, layout: p.layout })));
                  setPanels(rest.map((p) => ({ ...p, layout: layout.find((l) => l.id === p.id)!.layout })));
                }}
              />
            );
          }}
        />
      )}
      {editingPanel ? (
        <PanelEditor
          panel={editingPanel.panel}
          from={from}
          to={to}
          onClose={() => setEditingPanel(null)}
          onSave={(p) => {
            setPanels(
              editingPanel.isNew
                ? [...dashboard.panels, p]
                : dashboard.panels.map((x) => (x.id === p.id ? p : x)),
            );
            setEditingPanel(null);
          }}
        />
      ) : null}
    </div>
  );
}
