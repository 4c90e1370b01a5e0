import { formatCount, formatTable, type TableColumn } from '../format-table.js';

/** The answer of /api/v1/search to a query with pipes. */
export interface TablePage {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  truncated: boolean;
  took_ms?: number;
}

export function isTablePage(body: unknown): body is TablePage {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Partial<TablePage>;
  return Array.isArray(b.columns) && Array.isArray(b.rows);
}

/**
 * A table result as aligned columns: numbers right-aligned (fractions to 4 places), lists joined
 * with commas, missing values blank. The `message` column (else the last text column) gives up
 * width when the table is wider than the terminal.
 */
export function formatResultTable(page: TablePage, width: number): string {
  const isNumber = page.columns.map((c) => c.type === 'number');
  let flex = page.columns.findIndex((c) => c.name === 'message');
  if (flex === -1) flex = page.columns.findLastIndex((c) => c.type === 'string' || c.type.endsWith('[]'));
  const columns: TableColumn[] = page.columns.map((c, i) => ({
    header: c.name,
    ...(isNumber[i] ? { align: 'right' as const } : {}),
    ...(i === flex ? { flex: true } : {}),
  }));
  const rows = page.rows.map((row) => page.columns.map((_, i) => cell(row[i])));
  return formatTable(rows, { columns, width });
}

/** One JSON object per row, keyed by column name. */
export function formatResultNdjson(page: TablePage): string {
  return page.rows
    .map((row) => {
      const obj: Record<string, unknown> = {};
      page.columns.forEach((c, i) => {
        obj[c.name] = row[i] ?? null;
      });
      return `${JSON.stringify(obj)}\n`;
    })
    .join('');
}

/** `3 rows (took 12 ms)`, and how to see more when the server cut the table. */
export function tableFooter(page: TablePage): string {
  const n = page.rows.length;
  const took = `took ${formatCount(page.took_ms ?? 0)} ms`;
  const rows = `${formatCount(n)} ${n === 1 ? 'row' : 'rows'}`;
  if (!page.truncated) return `${rows} (${took})\n`;
  return `${rows}, more matched (${took}); raise --limit or narrow the query to see the rest\n`;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(cell).join(', ');
  return JSON.stringify(v);
}
