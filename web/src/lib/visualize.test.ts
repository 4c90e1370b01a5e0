import { describe, expect, it } from 'vitest';
import type { TableResult } from '../api/types.js';
import { autoType, toBars, toHeatCells, toKpi, toTimeSeries } from './visualize.js';

const table = (columns: [string, string][], rows: unknown[][]): TableResult => ({
  columns: columns.map(([name, type]) => ({ name, type })),
  rows,
  truncated: false,
  took_ms: 1,
});

const timechart = table(
  [
    ['@timestamp', 'timestamp'],
    ['level', 'string'],
    ['count', 'number'],
  ],
  [
    ['2026-11-21T10:00:00.000Z', 'INFO', 5],
    ['2026-11-21T10:00:00.000Z', 'ERROR', 1],
    ['2026-11-21T10:05:00.000Z', 'INFO', 7],
  ],
);

describe('visualize', () => {
  it('picks a chart from the shape of the table', () => {
    expect(autoType(timechart)).toBe('timeseries');
    expect(autoType(table([['count', 'number']], [[3]]))).toBe('kpi');
    expect(
      autoType(
        table(
          [
            ['service', 'string'],
            ['level', 'string'],
            ['count', 'number'],
          ],
          [['a', 'INFO', 1]],
        ),
      ),
    ).toBe('heatmap');
    expect(
      autoType(
        table(
          [
            ['service', 'string'],
            ['count', 'number'],
          ],
          [['a', 1]],
        ),
      ),
    ).toBe('bar');
    expect(autoType(table([['message', 'string']], [['x']]))).toBe('table');
  });

  it('pivots a long timechart into one series per value, levels in severity order, gaps as zero', () => {
    const m = toTimeSeries(timechart);
    expect(m).toEqual({
      xs: [Date.parse('2026-11-21T10:00:00Z'), Date.parse('2026-11-21T10:05:00Z')],
      series: [
        { name: 'INFO', values: [5, 7], color: expect.any(String) },
        { name: 'ERROR', values: [1, 0], color: expect.any(String) },
      ],
    });
  });

  it('explains what a chart needs when the table does not fit it', () => {
    expect(toTimeSeries(table([['service', 'string']], []))).toMatch(/timechart/);
    expect(toKpi(table([['service', 'string']], [['a']]))).toMatch(/stats count/);
  });

  it('reads bars, heat cells and KPIs', () => {
    const stats = table(
      [
        ['http.response.status_code', 'number'],
        ['count', 'number'],
      ],
      [
        [200, 90],
        [500, 3],
      ],
    );
    expect(toBars(stats)).toEqual([
      { label: '200', key: 200, value: 90, color: expect.any(String) },
      { label: '500', key: 500, value: 3, color: expect.any(String) },
    ]);
    expect(
      toHeatCells(
        table(
          [
            ['service', 'string'],
            ['level', 'string'],
            ['count', 'number'],
          ],
          [['api', 'ERROR', 4]],
        ),
      ),
    ).toEqual({
      rowLabel: 'service',
      colLabel: 'level',
      cells: [{ row: 'api', col: 'ERROR', value: 4 }],
    });
    expect(
      toKpi(
        table(
          [
            ['errors', 'number'],
            ['events', 'number'],
            ['error_rate', 'number'],
          ],
          [[1, 50, 2]],
        ),
        { field: 'error_rate' },
      ),
    ).toEqual({
      value: 2,
      label: 'error_rate',
    });
  });
});
