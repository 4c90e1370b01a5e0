import type { JSX } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import { isTable, PANEL_TYPES, type Panel, type PanelType } from '../../api/types.js';
import { Visualization } from '../../components/charts/visualization.js';
import { Modal } from '../../components/popover.js';
import { QueryInput } from '../../components/query-input.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { currentValue, useAsync } from '../../lib/use-async.js';

const TYPE_LABELS: Record<PanelType, string> = {
  timeseries: 'Time series',
  bar: 'Bar',
  donut: 'Donut',
  kpi: 'KPI',
  table: 'Table',
  heatmap: 'Heatmap',
};

const EXAMPLES: Record<PanelType, string> = {
  timeseries: '| timechart count() by level',
  bar: '| stats count() by service | sort -count',
  donut: '| stats count() by level',
  kpi: 'level:ERROR | stats count() as errors',
  table: 'level:ERROR | head 50 | fields @timestamp, service, message',
  heatmap: '| stats count() by service, level',
};

/** Edits one panel: title, chart type, query and options, with a preview over the dashboard's time range. */
export function PanelEditor(props: {
  panel: Panel;
  from: string;
  to: string;
  onSave: (p: Panel) => void;
  onClose: () => void;
}): JSX.Element {
  const [panel, setPanel] = useState<Panel>(props.panel);
  const [draft, setDraft] = useState(props.panel.query);
  const fields = useAsync(
    (signal) => api.fields({ from: props.from, to: props.to, top: 0 }, signal).then((r) => r.fields),
    [],
  );
  const loadValues = useCallback(
    (field: string) => api.topValues({ field, from: props.from, to: props.to }),
    [props.from, props.to],
  );
  const preview = useAsync(
    (signal) => api.search({ q: panel.query, from: props.from, to: props.to, limit: 1000 }, signal),
    [panel.query],
  );
  const set = (patch: Partial<Panel>) => setPanel((p) => ({ ...p, ...patch }));
  const setOption = (patch: Panel['options']) =>
    setPanel((p) => ({ ...p, options: { ...p.options, ...patch } }));
  const value = currentValue(preview);
  const apply = () => props.onSave({ ...panel, query: draft });

  return (
    <Modal
      title={props.panel.title ? `Edit “${props.panel.title}”` : 'New panel'}
      onClose={props.onClose}
      wide
      footer={
        <>
          <button type="button" class="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" class="btn btn-primary" data-testid="panel-apply" onClick={apply}>
            Apply
          </button>
        </>
      }
    >
      <div class="panel-editor">
        <div class="form form-row">
          <label>
            Title
            <input
              class="input"
              value={panel.title}
              data-testid="panel-title"
              onInput={(e) => set({ title: e.currentTarget.value })}
            />
          </label>
          <label>
            Type
            <select
              class="input"
              value={panel.type}
              data-testid="panel-type"
              onChange={(e) => set({ type: e.currentTarget.value as PanelType })}
            >
              {PANEL_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Unit
            <input
              class="input input-narrow"
              value={panel.options.unit ?? ''}
              placeholder="ms, %"
              onInput={(e) => setOption({ unit: e.currentTarget.value || undefined })}
            />
          </label>
          {panel.type === 'kpi' || panel.type === 'bar' || panel.type === 'donut' ? (
            <label>
              Value column
              <input
                class="input"
                value={panel.options.field ?? ''}
                placeholder="automatic"
                onInput={(e) => setOption({ field: e.currentTarget.value || undefined })}
              />
            </label>
          ) : null}
          {panel.type === 'timeseries' ? (
            <label class="checkbox">
              <input
                type="checkbox"
                checked={panel.options.stacked !== false}
                onChange={(e) => setOption({ stacked: e.currentTarget.checked })}
              />
              Stacked
            </label>
          ) : null}
        </div>
        <div class="form">
          <span class="label">Query (Enter previews)</span>
          <div data-search-input>
            <QueryInput
              value={draft}
              onChange={setDraft}
              onSubmit={(q) => set({ query: q })}
              fields={currentValue(fields) ?? []}
              loadValues={loadValues}
              errorPosition={
                preview.status === 'error' && draft === panel.query ? preview.error.position : null
              }
              placeholder={`e.g. ${EXAMPLES[panel.type]}`}
              testId="panel-query"
            />
          </div>
          <div class="muted small">
            Example for this type: <code>{EXAMPLES[panel.type]}</code>
          </div>
        </div>
        <div class="panel-preview" data-testid="panel-preview">
          {preview.status === 'error' ? (
            <ErrorNotice error={preview.error} compact />
          ) : !value ? (
            <Loading />
          ) : isTable(value) ? (
            <Visualization type={panel.type} table={value} options={panel.options} height={240} />
          ) : (
            <Empty title={`${value.total.value} matching events`}>
              Add pipes to chart them, e.g. {EXAMPLES[panel.type]}
            </Empty>
          )}
        </div>
      </div>
    </Modal>
  );
}
