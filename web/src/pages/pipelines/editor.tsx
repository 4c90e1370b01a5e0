import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { type ApiError, api } from '../../api/client.js';
import { Icon } from '../../components/icons.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { cellText } from '../../lib/format.js';
import { toApiError, useAsync } from '../../lib/use-async.js';
import type { PipelineDetail, SimulatedDoc } from './types.js';

const TEMPLATE = {
  description: 'What this pipeline parses',
  processors: [
    { grok: { patterns: ['%{IP:client.ip} %{WORD:http.request.method} %{URIPATHPARAM:url.original}'] } },
  ],
};

const SAMPLE = '10.0.0.5 GET /api/v1/cart?id=7';

/**
 * One pipeline: its definition as JSON (built-in ones read-only: save a copy under a new name), saved
 * through the API, which checks it and lists every problem; and a simulation on pasted lines.
 */
export function PipelineEditor(props: {
  id: string | null;
  processors: { kind: string; summary: string }[];
  onSaved: (id: string) => void;
  onDeleted: () => void;
}): JSX.Element {
  const detail = useAsync(
    props.id
      ? (signal) => api.get<PipelineDetail>(`/api/v1/pipelines/${encodeURIComponent(props.id!)}`, signal)
      : null,
    [props.id],
  );
  const loaded = detail.status === 'ok' ? detail.value : null;
  const [text, setText] = useState<string | null>(null);
  const [nameInput, setName] = useState<string | null>(null);
  const [lines, setLines] = useState(SAMPLE);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [results, setResults] = useState<SimulatedDoc[] | null>(null);
  const [simulating, setSimulating] = useState(false);

  if (props.id && detail.status === 'loading') return <Loading />;
  if (detail.status === 'error') return <ErrorNotice error={detail.error} />;
  const builtin = loaded?.source === 'builtin';
  const name = nameInput ?? (builtin ? `${props.id}-custom` : '');
  const definitionText = text ?? JSON.stringify(loaded ? loaded.definition : TEMPLATE, null, 2);
  const targetId = builtin || !props.id ? name.trim() : props.id;

  const parse = (): unknown => {
    try {
      return JSON.parse(definitionText);
    } catch (err) {
      setError(toApiError(new Error(`The definition is not valid JSON: ${(err as Error).message}`)));
      return undefined;
    }
  };
  const save = async () => {
    setError(null);
    setSaved(null);
    const definition = parse();
    if (definition === undefined) return;
    if (!targetId) {
      setError(toApiError(new Error('Give the pipeline a name (letters, digits, - and _)')));
      return;
    }
    try {
      await api.put(`/api/v1/pipelines/${encodeURIComponent(targetId)}`, definition);
      setSaved(targetId);
      props.onSaved(targetId);
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const simulate = async () => {
    setError(null);
    const definition = parse();
    if (definition === undefined) return;
    setSimulating(true);
    try {
      const docs = lines.split('\n').filter((l) => l.trim() !== '');
      const res = await api.post<{ docs: SimulatedDoc[] }>('/api/v1/pipelines/_simulate', {
        pipeline: definition,
        docs,
        verbose: true,
      });
      setResults(res.docs);
    } catch (err) {
      setError(toApiError(err));
      setResults(null);
    } finally {
      setSimulating(false);
    }
  };
  const remove = async () => {
    if (!props.id) return;
    try {
      await api.del(`/api/v1/pipelines/${encodeURIComponent(props.id)}`);
      props.onDeleted();
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <div class="pipeline-editor" data-testid="pipeline-editor">
      <header class="page-header">
        <h2>{props.id ?? 'New pipeline'}</h2>
        {loaded ? <span class={`badge badge-${loaded.source}`}>{loaded.source}</span> : null}
        {loaded?.file ? <span class="muted small">{loaded.file}</span> : null}
        <span class="spacer" />
        {!builtin && props.id && loaded?.source === 'api' ? (
          <button type="button" class="btn btn-danger" onClick={remove}>
            <Icon name="trash" />
            Delete
          </button>
        ) : null}
      </header>
      {builtin ? (
        <p class="muted small">
          Built-in pipelines cannot be changed: edit this one and save it under a new name.
        </p>
      ) : null}
      <div class="pipeline-grid">
        <section class="form">
          {builtin || !props.id ? (
            <label>
              Name
              <input
                class="input"
                value={name}
                data-testid="pipeline-name"
                placeholder="my-app"
                onInput={(e) => setName(e.currentTarget.value)}
              />
            </label>
          ) : null}
          <label>
            Definition (JSON: description, processors, on_failure)
            <textarea
              class="input code"
              rows={18}
              spellcheck={false}
              data-testid="pipeline-definition"
              value={definitionText}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </label>
          <div class="button-row">
            <button type="button" class="btn btn-primary" data-testid="pipeline-save" onClick={save}>
              {builtin ? 'Save as new pipeline' : 'Validate and save'}
            </button>
            {saved ? <span class="muted">Saved as {saved}</span> : null}
          </div>
          <details>
            <summary class="muted small">Processors ({props.processors.length})</summary>
            <table class="processor-help">
              <tbody>
                {props.processors.map((p) => (
                  <tr key={p.kind}>
                    <th>{p.kind}</th>
                    <td class="muted small">{p.summary}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </section>
        <section class="form">
          <label>
            Sample lines, one event per line (text, or JSON objects)
            <textarea
              class="input code"
              rows={6}
              spellcheck={false}
              data-testid="pipeline-lines"
              value={lines}
              onInput={(e) => setLines(e.currentTarget.value)}
            />
          </label>
          <div class="button-row">
            <button
              type="button"
              class="btn"
              data-testid="pipeline-simulate"
              disabled={lines.trim() === '' || simulating}
              onClick={simulate}
            >
              <Icon name="play" />
              Simulate
            </button>
          </div>
          {results ? <SimulationResults docs={results} /> : null}
        </section>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {error && Array.isArray(error.details['errors']) ? (
        <ul class="error-list" data-testid="pipeline-errors">
          {(error.details['errors'] as unknown[]).map((e) => (
            <li key={String(e)}>{String(e)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function SimulationResults(props: { docs: SimulatedDoc[] }): JSX.Element {
  return (
    <ol class="simulation" data-testid="simulation">
      {props.docs.map((d, i) => (
        <li key={i} class="simulated-doc">
          {'doc' in d ? (
            <table class="doc-table">
              <tbody>
                {Object.entries(d.doc._source).map(([k, v]) => (
                  <tr key={k} class={k === 'tags' && String(v).includes('failure') ? 'failed' : ''}>
                    <th>{k}</th>
                    <td>
                      <div class="doc-value">{cellText(v)}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : 'dropped' in d ? (
            <span class="muted">Dropped by the pipeline</span>
          ) : (
            <span class="field-error">{d.error.reason}</span>
          )}
          {d.processor_results?.some((r) => r.error) ? (
            <ul class="processor-errors">
              {d.processor_results
                .filter((r) => r.error)
                .map((r, k) => (
                  <li key={k} class="field-error">
                    {r.processor_type}
                    {r.tag ? ` (${r.tag})` : ''}: {r.error?.reason}
                  </li>
                ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
