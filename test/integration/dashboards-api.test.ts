import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const send = async (method: string, path: string, payload?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    ...(payload === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }),
  });
  const body: any = res.status === 204 ? null : await res.json();
  return { status: res.status, body, headers: res.headers };
};

const dashboard = {
  title: 'Payments',
  time: { from: 'now-1h', to: 'now' },
  refresh: '30s',
  panels: [
    {
      title: 'Errors by service',
      type: 'bar',
      query: 'level:ERROR | stats count() by service',
      layout: { x: 0, y: 0, w: 6, h: 5 },
    },
  ],
};

describe('/api/v1/dashboards', () => {
  it('has the built-in Overview on first start, with the panels the issue lists', async () => {
    const list = await getJson(`${server.url}/api/v1/dashboards`);
    expect(list.body.dashboards).toEqual([expect.objectContaining({ id: 'overview', builtin: true })]);
    const overview = (await getJson(`${server.url}/api/v1/dashboards/overview`)).body.dashboard;
    expect(overview.panels.map((p: { type: string }) => p.type).sort()).toEqual(
      [
        'bar',
        'bar',
        'bar',
        'bar',
        'donut',
        'heatmap',
        'kpi',
        'kpi',
        'kpi',
        'kpi',
        'table',
        'timeseries',
      ].sort(),
    );
  });

  it('creates, reads, replaces, duplicates and deletes', async () => {
    const created = await postJson(`${server.url}/api/v1/dashboards`, dashboard);
    expect(created.status).toBe(201);
    const id = created.body.dashboard.id;
    expect(created.body.dashboard).toMatchObject({ title: 'Payments', refresh: '30s', builtin: false });
    expect(created.body.dashboard.panels[0].id).toMatch(/^[\w-]+$/);

    const replaced = await send('PUT', `/api/v1/dashboards/${id}`, {
      ...dashboard,
      title: 'Payments (prod)',
    });
    expect(replaced.status).toBe(200);
    expect((await getJson(`${server.url}/api/v1/dashboards/${id}`)).body.dashboard.title).toBe(
      'Payments (prod)',
    );

    const copy = await send('POST', `/api/v1/dashboards/${id}/_duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body.dashboard.title).toBe('Payments (prod) (copy)');

    expect((await send('DELETE', `/api/v1/dashboards/${copy.body.dashboard.id}`)).status).toBe(204);
    const gone = await getJson(`${server.url}/api/v1/dashboards/${copy.body.dashboard.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
  });

  it('exports a file that imports as a new dashboard', async () => {
    const res = await fetch(`${server.url}/api/v1/dashboards/overview/_export`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="overview.dashboard.json"');
    const file: any = await res.json();
    expect(file.cairn_dashboard).toBe(1);
    const imported = await postJson(`${server.url}/api/v1/dashboards/_import`, file);
    expect(imported.status).toBe(201);
    expect(imported.body.dashboard.title).toBe('Overview 2');
    expect(imported.body.dashboard.panels).toHaveLength(12);
  });

  it('refuses an invalid dashboard with every problem listed', async () => {
    const res = await postJson(`${server.url}/api/v1/dashboards`, {
      title: 'Broken',
      panels: [{ ...dashboard.panels[0], type: 'gauge', query: 'status:' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.details.errors).toEqual([
      'panels[0].type must be one of timeseries, bar, donut, kpi, table, heatmap, got "gauge"',
      "panels[0].query: line 1, col 8: expected a value after 'status:'",
    ]);
  });

  it('keeps dashboards across a restart of the server on the same data directory', async () => {
    const keep = await startTestServer({ keepDataDir: true });
    await postJson(`${keep.url}/api/v1/dashboards`, { ...dashboard, title: 'Survives' });
    await keep.close();
    const again = await startTestServer({ dataDir: keep.dataDir });
    const titles = (await getJson(`${again.url}/api/v1/dashboards`)).body.dashboards.map(
      (d: { title: string }) => d.title,
    );
    expect(titles).toEqual(['Overview', 'Survives']);
    await again.close();
  });
});
