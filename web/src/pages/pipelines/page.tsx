import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, api } from '../../api/client.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { toApiError, useAsync } from '../../lib/use-async.js';
import type { PageProps } from '../../pages.js';

/** What GET /api/v1/pipelines returns, read loosely: the API is being built alongside this page. */
interface PipelineSummary {
  id: string;
  description?: string;
  processors?: unknown[];
  [key: string]: unknown;
}

function pipelinesOf(body: unknown): PipelineSummary[] {
  const list = Array.isArray(body) ? body : (body as { pipelines?: unknown } | null)?.pipelines;
  if (Array.isArray(list))
    return list.filter(
      (p): p is PipelineSummary =>
        typeof p === 'object' && p !== null && typeof (p as { id?: unknown }).id === 'string',
    );
  if (body && typeof body === 'object') {
    // Elasticsearch's shape: { "<id>": { description, processors } }
    return Object.entries(body as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'object' && v !== null)
      .map(([id, v]) => ({ id, ...(v as Record<string, unknown>) }));
  }
  return [];
}

/**
 * Pipelines: the list the server has, one pipeline's definition to edit (validated by the server on
 * save) and a simulation against pasted lines.
 */
export function PipelinesPage(_props: PageProps): JSX.Element {
  const [reload, setReload] = useState(0);
  const list = useAsync((signal) => api.get<unknown>('/api/v1/pipelines', signal), [reload]);
  const [selected, setSelected] = useState<string | null>(null);

  if (list.status === 'error' && (list.error.status === 404 || list.error.code === 'not_found')) {
    return (
      <div class="page-content pipelines">
        <header class="page-header">
          <h1>Pipelines</h1>
        </header>
        <div class="notice" data-testid="pipelines-unavailable">
          <strong>This server has no pipelines API yet.</strong>
          <p>
            Pipelines (grok, json, date, geoip, user-agent… processors run on ingest) are managed through{' '}
            <code>/api/v1/pipelines</code>, which this Cairn server does not answer ({list.error.message}).
            This page lists, edits and simulates pipelines once it does.
          </p>
        </div>
      </div>
    );
  }
  const pipelines = list.status === 'ok' ? pipelinesOf(list.value) : [];
  return (
    <div class="page-content pipelines">
      <header class="page-header">
        <h1>Pipelines</h1>
        <span class="spacer" />
        <button type="button" class="btn" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
      </header>
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      {list.status === 'loading' && !list.previous ? <Loading /> : null}
      {list.status === 'ok' && pipelines.length === 0 ? (
        <Empty title="No pipelines">Create one through the API; it appears here.</Empty>
      ) : null}
      {pipelines.length > 0 ? (
        <div class="pipelines-layout">
          <ul class="pipeline-list" data-testid="pipeline-list">
            {pipelines.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  class={`pipeline-item ${selected === p.id ? 'active' : ''}`}
                  onClick={() => setSelected(p.id)}
                >
                  <strong>{p.id}</strong>
                  <span class="muted small">
                    {Array.isArray(p.processors) ? `${p.processors.length} processors` : ''}{' '}
                    {p.description ?? ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {selected ? (
            <PipelineEditor
              key={selected}
              pipeline={pipelines.find((p) => p.id === selected)!}
              onSaved={() => setReload((n) => n + 1)}
            />
          ) : (
            <Empty title="Pick a pipeline">
              Its definition opens here, with a simulation against sample lines.
            </Empty>
          )}
        </div>
      ) : null}
    </div>
  );
}

function PipelineEditor(props: { pipeline: PipelineSummary; onSaved: () => void }): JSX.Element {
  const [text, setText] = useState(JSON.stringify(props.pipeline, null, 2));
  const [lines, setLines] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [text]);

  const parse = (): unknown => {
    try {
      return JSON.parse(text);
    } catch (err) {
      setError(toApiError(new Error(`The definition is not valid JSON: ${(err as Error).message}`)));
      return undefined;
    }
  };
  const save = async () => {
    setError(null);
    const body = parse();
    if (body === undefined) return;
    try {
      await api.put(`/api/v1/pipelines/${encodeURIComponent(props.pipeline.id)}`, body);
      setSaved(true);
      props.onSaved();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const simulate = async () => {
    setError(null);
    setResult(null);
    const pipeline = parse();
    if (pipeline === undefined) return;
    const docs = lines.split('\n').filter((l) => l.trim() !== '');
    try {
      const res = await api.post<unknown>(
        `/api/v1/pipelines/${encodeURIComponent(props.pipeline.id)}/_simulate`,
        { pipeline, lines: docs },
      );
      setResult(JSON.stringify(res, null, 2));
    } catch (err) {
      setError(toApiError(err));
    }
  };
  return (
    <div class="pipeline-editor">
      <label class="form">
        Definition (JSON)
        <textarea
          class="input code"
          rows={16}
          spellcheck={false}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <div class="button-row">
        <button type="button" class="btn btn-primary" onClick={save}>
          Validate and save
        </button>
        {saved ? <span class="muted">Saved</span> : null}
      </div>
      <label class="form">
        Sample lines, one event per line
        <textarea
          class="input code"
          rows={5}
          spellcheck={false}
          value={lines}
          onInput={(e) => setLines(e.currentTarget.value)}
        />
      </label>
      <div class="button-row">
        <button type="button" class="btn" onClick={simulate} disabled={lines.trim() === ''}>
          Simulate
        </button>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {result ? <pre class="json-view">{result}</pre> : null}
    </div>
  );
}
