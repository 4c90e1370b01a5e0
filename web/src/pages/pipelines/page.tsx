import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { href, navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/use-async.js';
import type { PageProps } from '../../pages.js';
import { PipelineEditor } from './editor.js';
import type { PipelineList } from './types.js';

const NEW_ID = '_new';

/** Pipelines: the built-in, file and API-defined ones; pick one to read, edit or simulate it. */
export function PipelinesPage(props: PageProps): JSX.Element {
  const [reload, setReload] = useState(0);
  const [filter, setFilter] = useState('');
  const list = useAsync((signal) => api.get<PipelineList>('/api/v1/pipelines', signal), [reload]);
  const selected = props.location.params.get('id');
  const select = (id: string | null) => navigate(href('/pipelines', { id }), { replace: false });
  const value = list.status === 'ok' ? list.value : list.status === 'loading' ? list.previous : null;

  if (list.status === 'error' && list.error.status === 404) {
    return (
      <div class="page-content">
        <header class="page-header">
          <h1>Pipelines</h1>
        </header>
        <div class="notice" data-testid="pipelines-unavailable">
          <strong>This server has no pipelines API.</strong>
          <p>{list.error.message}</p>
        </div>
      </div>
    );
  }
  const f = filter.toLowerCase();
  const shown =
    value?.pipelines.filter((p) => `${p.id} ${p.description ?? ''}`.toLowerCase().includes(f)) ?? [];
  return (
    <div class="page-content pipelines">
      <header class="page-header">
        <h1>Pipelines</h1>
        <span class="muted">Parse and enrich events on ingest: ?pipeline=name, or by the route table</span>
        <span class="spacer" />
        <button
          type="button"
          class="btn btn-primary"
          data-testid="new-pipeline"
          onClick={() => select(NEW_ID)}
        >
          <Icon name="plus" />
          New pipeline
        </button>
      </header>
      {list.status === 'error' ? (
        <ErrorNotice error={list.error} onRetry={() => setReload((n) => n + 1)} />
      ) : null}
      {!value && list.status === 'loading' ? <Loading /> : null}
      {value ? (
        <div class="pipelines-layout">
          <div class="pipeline-sidebar">
            <input
              class="input"
              type="search"
              placeholder="Filter pipelines"
              aria-label="Filter pipelines"
              value={filter}
              onInput={(e) => setFilter(e.currentTarget.value)}
            />
            <ul class="pipeline-list" data-testid="pipeline-list">
              {shown.map((p) => (
                <li key={p.id}>
                  <button
                    type="button"
                    class={`pipeline-item ${selected === p.id ? 'active' : ''}`}
                    data-pipeline={p.id}
                    onClick={() => select(p.id)}
                  >
                    <span class="pipeline-item-title">
                      <strong>{p.id}</strong>
                      <span class={`badge badge-${p.source}`}>{p.source}</span>
                    </span>
                    {p.description ? <span class="muted small">{p.description}</span> : null}
                    <span class="processor-chips">
                      {p.processors.map((k, i) => (
                        <span key={`${k}-${i}`} class="chip">
                          {k}
                        </span>
                      ))}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {value.routes.length > 0 ? (
              <details class="routes">
                <summary>Route table ({value.routes.length})</summary>
                <pre class="json-view">{JSON.stringify(value.routes, null, 2)}</pre>
              </details>
            ) : (
              <p class="muted small">No routes: events get a pipeline only with ?pipeline= on ingest.</p>
            )}
          </div>
          {selected ? (
            <PipelineEditor
              key={selected}
              id={selected === NEW_ID ? null : selected}
              processors={value.processors}
              onSaved={(id) => {
                setReload((n) => n + 1);
                select(id);
              }}
              onDeleted={() => {
                setReload((n) => n + 1);
                select(null);
              }}
            />
          ) : (
            <Empty title="Pick a pipeline">
              Its definition opens here; simulate it against sample lines before you save.
            </Empty>
          )}
        </div>
      ) : null}
    </div>
  );
}
