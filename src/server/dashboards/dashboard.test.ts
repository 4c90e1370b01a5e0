import { describe, expect, it } from 'vitest';
import { CairnError } from '../../model/errors.js';
import { parseDashboardInput } from './dashboard.js';
import { OVERVIEW_DASHBOARD } from './overview.js';

const panel = (over: Record<string, unknown> = {}) => ({
  id: 'p1',
  title: 'Errors',
  type: 'bar',
  query: 'level:ERROR | stats count() by service',
  layout: { x: 0, y: 0, w: 6, h: 4 },
  ...over,
});

function errorsOf(body: unknown): string[] {
  try {
    parseDashboardInput(body);
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    expect((err as CairnError).status).toBe(400);
    return (err as CairnError).details?.['errors'] as string[];
  }
  throw new Error('expected the dashboard to be refused');
}

describe('parseDashboardInput', () => {
  it('accepts a dashboard and fills the defaults', () => {
    const d = parseDashboardInput({ title: ' Ops ', panels: [panel()] });
    expect(d).toEqual({
      title: 'Ops',
      description: '',
      time: { from: 'now-24h', to: 'now' },
      refresh: null,
      panels: [{ ...panel(), options: {} }],
    });
  });

  it('reads an export file ({ cairn_dashboard, dashboard })', () => {
    const d = parseDashboardInput({
      cairn_dashboard: 1,
      dashboard: { title: 'X', refresh: '30s', panels: [] },
    });
    expect(d.title).toBe('X');
    expect(d.refresh).toBe('30s');
  });

  it('lists every problem at once, with the path of each', () => {
    const errors = errorsOf({
      title: '',
      refresh: 'often',
      panels: [
        panel({ type: 'pie' }),
        panel({ query: 'level:ERROR AND' }),
        panel({ layout: { x: 10, y: 0, w: 6, h: 4 } }),
        panel({ layout: { x: 0, y: -1, w: 0, h: 4 }, options: { stacked: 'yes' } }),
      ],
    });
    expect(errors).toEqual([
      'title must not be empty',
      'refresh must be an interval such as "30s" or "1m", or null',
      'panels[0].type must be one of timeseries, bar, donut, kpi, table, heatmap, got "pie"',
      "panels[1].query: line 1, col 16: expected a clause after 'AND'",
      'panels[2].layout: x + w is 16, beyond the 12 columns',
      'panels[3].layout.y must be a whole number from 0 to 200, got -1',
      'panels[3].layout.w must be a whole number from 1 to 12, got 0',
      'panels[3].options.stacked must be true or false',
    ]);
  });

  it('refuses what is not an object', () => {
    expect(errorsOf([1, 2])).toEqual(['expected a JSON object']);
  });

  it('gives panels without an id (or with a duplicate one) a fresh id', () => {
    const d = parseDashboardInput({ title: 'T', panels: [panel({ id: undefined }), panel(), panel()] });
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids[1]).toBe('p1');
  });

  it('holds the built-in Overview to the same rules', () => {
    expect(parseDashboardInput(OVERVIEW_DASHBOARD)).toEqual(OVERVIEW_DASHBOARD);
  });
});
