import type { CliIo } from './command.js';

export interface TableColumn {
  header: string;
  /** The column that gives up width when the table is wider than the terminal (at most one). */
  flex?: boolean;
  /** Never narrower than this when flexing. Default 10. */
  minWidth?: number;
  /** Never wider than this. */
  maxWidth?: number;
  align?: 'left' | 'right';
}

export interface TableOptions {
  columns: readonly TableColumn[];
  /** Characters available per line: the terminal width. */
  width: number;
  /** Spaces between columns. Default 2. */
  gap?: number;
}

const ELLIPSIS = '…';

/** The width a terminal gives the text: code points, so an emoji or an accented letter counts once. */
export function displayWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts `text` to `width` characters, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  // No space before the ellipsis: "for order…" reads as cut, "for order …" as a gap.
  return (
    Array.from(text)
      .slice(0, width - 1)
      .join('')
      .trimEnd() + ELLIPSIS
  );
}

/**
 * One line of cell text: line breaks become ` ⏎ `, tabs and other control characters (terminal escape
 * sequences in a log line included) a space.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\s*\r?\n\s*/g, ' ⏎ ')
    .replace(/\p{Cc}/gu, ' ')
    .trimEnd();
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Renders rows as aligned columns under a header line. Columns take the width of their widest cell;
 * when the table does not fit in `width`, the flex column is narrowed (down to its `minWidth`) and its
 * cells are cut with an ellipsis. Lines carry no trailing spaces.
 */
export function formatTable(rows: ReadonlyArray<readonly string[]>, options: TableOptions): string {
  const { columns } = options;
  const gap = ' '.repeat(options.gap ?? 2);
  const cells = rows.map((row) => columns.map((_, i) => oneLine(row[i] ?? '')));
  const widths = columns.map((c, i) => {
    let w = displayWidth(c.header);
    for (const row of cells) w = Math.max(w, displayWidth(row[i]!));
    return c.maxWidth === undefined ? w : Math.min(w, Math.max(c.maxWidth, displayWidth(c.header)));
  });
  const total = widths.reduce((a, b) => a + b, 0) + gap.length * (columns.length - 1);
  const flex = columns.findIndex((c) => c.flex);
  if (flex !== -1 && total > options.width) {
    const min = Math.max(columns[flex]!.minWidth ?? 10, displayWidth(columns[flex]!.header));
    widths[flex] = Math.max(min, widths[flex]! - (total - options.width));
  }
  const render = (row: readonly string[]): string =>
    row
      .map((cell, i) => pad(truncate(cell, widths[i]!), widths[i]!, columns[i]!.align ?? 'left'))
      .join(gap)
      .trimEnd();
  const lines = [render(columns.map((c) => c.header)), ...cells.map(render)];
  return `${lines.join('\n')}\n`;
}

/** Columns to lay a table out in: the terminal's width, else `COLUMNS`, else 80. */
export function terminalWidth(io: Pick<CliIo, 'stdout' | 'env'>): number {
  const columns = (io.stdout as { columns?: unknown }).columns;
  if (typeof columns === 'number' && columns > 0) return columns;
  const env = Number.parseInt(io.env['COLUMNS'] ?? '', 10);
  return Number.isFinite(env) && env > 0 ? env : 80;
}

/** `12345` → `12,345`: counts people read at a glance. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
