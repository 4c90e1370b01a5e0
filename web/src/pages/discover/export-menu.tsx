import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import { type Hit, isTable, type TableResult } from '../../api/types.js';
import { Icon } from '../../components/icons.js';
import { Popover } from '../../components/popover.js';
import { downloadText, toCsv, toNdjson } from '../../lib/download.js';
import { toApiError } from '../../lib/use-async.js';

/** Most documents one export holds (the server's largest page). */
export const EXPORT_LIMIT = 10_000;

export type ExportSource =
  | { kind: 'hits'; q: string; from: string; to: string; stream: string; sort: string; columns: string[] }
  | { kind: 'table'; table: TableResult };

function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
}

async function exportHits(
  src: Extract<ExportSource, { kind: 'hits' }>,
  format: 'csv' | 'ndjson',
): Promise<number> {
  const res = await api.search({
    q: src.q,
    from: src.from,
    to: src.to,
    sort: src.sort,
    limit: EXPORT_LIMIT,
    track_total_hits: 0,
    ...(src.stream ? { stream: src.stream } : {}),
  });
  const hits: Hit[] = isTable(res) ? [] : res.hits;
  if (format === 'ndjson') downloadText(`cairn-${stamp()}.ndjson`, toNdjson(hits), 'application/x-ndjson');
  else {
    const cols = ['@timestamp', ...(src.columns.length > 0 ? src.columns : ['message']), 'stream', '_id'];
    const unique = [...new Set(cols)];
    downloadText(
      `cairn-${stamp()}.csv`,
      toCsv(
        unique,
        hits.map((h) => unique.map((c) => h[c])),
      ),
      'text/csv',
    );
  }
  return hits.length;
}

function exportTable(table: TableResult, format: 'csv' | 'ndjson'): number {
  const names = table.columns.map((c) => c.name);
  if (format === 'csv') downloadText(`cairn-${stamp()}.csv`, toCsv(names, table.rows), 'text/csv');
  else {
    const objects = table.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
    downloadText(`cairn-${stamp()}.ndjson`, toNdjson(objects), 'application/x-ndjson');
  }
  return table.rows.length;
}

/** Downloads the current result: the table of a pipe query, or up to 10,000 matching documents. */
export function ExportMenu(props: { source: ExportSource | null }): JSX.Element {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const run = async (format: 'csv' | 'ndjson') => {
    const src = props.source;
    if (!src) return;
    setStatus('Exporting…');
    try {
      const n = src.kind === 'table' ? exportTable(src.table, format) : await exportHits(src, format);
      setStatus(`Exported ${n} ${src.kind === 'table' ? 'rows' : 'documents'}`);
      setOpen(false);
    } catch (err) {
      setStatus(toApiError(err).message);
    }
  };
  return (
    <div class="popover-anchor">
      <button
        type="button"
        class="btn"
        data-testid="export-button"
        disabled={!props.source}
        aria-expanded={open}
        onClick={() => {
          setStatus(null);
          setOpen(!open);
        }}
      >
        <Icon name="download" />
        <span>Export</span>
      </button>
      <Popover open={open} onClose={() => setOpen(false)} align="right" class="menu">
        <button type="button" class="menu-item" data-testid="export-csv" onClick={() => run('csv')}>
          CSV
        </button>
        <button type="button" class="menu-item" data-testid="export-ndjson" onClick={() => run('ndjson')}>
          NDJSON
        </button>
        <div class="menu-note muted small">
          {status ??
            (props.source?.kind === 'hits'
              ? `Up to ${EXPORT_LIMIT.toLocaleString('en-US')} documents, in table order`
              : 'The whole table')}
        </div>
      </Popover>
    </div>
  );
}
