import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { TableColumn } from '../api/types.js';
import { cellText, formatNumber } from '../lib/format.js';
import { formatDateTime } from '../lib/time.js';
import { useVirtualRows } from './virtual.js';

const ROW_HEIGHT = 30;

function display(v: unknown, type: string): string {
  if (type === 'timestamp' && typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? v : formatDateTime(ms);
  }
  return typeof v === 'number' ? formatNumber(v) : cellText(v);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** A pipe result as a table: virtualised, sortable by clicking a header (in the browser). */
export function DataTable(props: {
  columns: TableColumn[];
  rows: unknown[][];
  maxHeight?: number;
  onCellClick?: (column: string, value: unknown) => void;
  testId?: string;
}): JSX.Element {
  const [sort, setSort] = useState<{ col: number; desc: boolean } | null>(null);
  const rows = useMemo(() => {
    if (!sort) return props.rows;
    const out = [...props.rows];
    out.sort((a, b) => compare(a[sort.col], b[sort.col]) * (sort.desc ? -1 : 1));
    return out;
  }, [props.rows, sort]);
  const v = useVirtualRows({ count: rows.length, rowHeight: ROW_HEIGHT });
  const numeric = props.columns.map((c) => c.type === 'number');
  return (
    <div class="data-table" data-testid={props.testId} data-rows={rows.length}>
      <div
        class="dt-scroll"
        ref={v.ref}
        style={props.maxHeight ? { maxHeight: `${props.maxHeight}px` } : undefined}
      >
        <table>
          <thead>
            <tr>
              {props.columns.map((c, i) => (
                <th key={c.name} class={numeric[i] ? 'num' : ''}>
                  <button
                    type="button"
                    class="th-button"
                    title={`${c.name} (${c.type}); click to sort`}
                    onClick={() =>
                      setSort(
                        sort?.col === i
                          ? sort.desc
                            ? null
                            : { col: i, desc: true }
                          : { col: i, desc: false },
                      )
                    }
                  >
                    {c.name}
                    {sort?.col === i ? (sort.desc ? ' ↓' : ' ↑') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {v.padTop > 0 ? <tr style={{ height: `${v.padTop}px` }} /> : null}
            {rows.slice(v.start, v.end).map((row, k) => (
              <tr key={v.start + k} style={{ height: `${ROW_HEIGHT}px` }}>
                {props.columns.map((c, i) => (
                  <td key={c.name} class={numeric[i] ? 'num' : ''}>
                    {props.onCellClick && row[i] !== null && c.type !== 'number' ? (
                      <button
                        type="button"
                        class="cell-link"
                        onClick={() => props.onCellClick?.(c.name, row[i])}
                      >
                        {display(row[i], c.type)}
                      </button>
                    ) : (
                      display(row[i], c.type)
                    )}
                  </td>
                ))}
              </tr>
            ))}
            {v.padBottom > 0 ? <tr style={{ height: `${v.padBottom}px` }} /> : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
