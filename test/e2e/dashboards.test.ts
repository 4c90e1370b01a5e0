import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson } from '../support/server.js';
import { openPage, POLL, screenshot, type UiPage } from './support/browser.js';
import { type E2eFixture, formatCount, startE2e } from './support/fixture.js';

let fx: E2eFixture;
let ui: UiPage;
let page: Page;

beforeAll(async () => {
  fx = await startE2e({ events: 12_000, hours: 6 });
}, 180_000);
afterAll(() => fx?.close());
beforeEach(async () => {
  await ui?.context.close();
  ui = await openPage(fx.browser, { baseURL: fx.server.url, theme: 'dark' });
  page = ui.page;
});

/** Waits until no panel is loading, then returns each panel's title and state. */
async function panelStates(): Promise<{ title: string; state: string }[]> {
  const panels = page.getByTestId('panel');
  await panels.first().waitFor();
  await expect
    .poll(
      () => panels.evaluateAll((els) => els.filter((e) => e.getAttribute('data-state') === 'loading').length),
      {
        timeout: 30_000,
      },
    )
    .toBe(0);
  return panels.evaluateAll((els) =>
    els.map((e) => ({
      title: e.getAttribute('data-panel-title') ?? '',
      state: e.getAttribute('data-state') ?? '',
    })),
  );
}

const dashboardApi = async (id: string) =>
  (await getJson(`${fx.server.url}/api/v1/dashboards/${id}`)).body.dashboard;

describe('Dashboards', () => {
  it('opens the built-in Overview with every panel drawn from real data', async () => {
    await page.goto('/dashboards/overview');
    const states = await panelStates();
    expect(states.map((s) => s.title)).toEqual([
      'Total events',
      'Errors',
      'Error rate',
      'Services',
      'Volume over time by level',
      'Levels',
      'Logs by service',
      'Service × level',
      'HTTP status codes',
      'p95 response time by service',
      'Top error classes',
      'Latest errors',
    ]);
    expect(states.filter((s) => s.state !== 'ready')).toEqual([]);
    const total = (
      await getJson(
        `${fx.server.url}/api/v1/search?${new URLSearchParams({ q: '| stats count()', from: 'now-24h' })}`,
      )
    ).body.rows[0][0];
    const kpi = page.locator('[data-panel-title="Total events"] .kpi-value');
    expect(await kpi.textContent()).toBe(formatCount(total));
    expect(
      await page.locator('[data-panel-title="Volume over time by level"] canvas').count(),
    ).toBeGreaterThan(0);
    expect(await page.locator('[data-panel-title="Service × level"] .heat-cell').count()).toBeGreaterThan(10);
    expect(await page.locator('[data-panel-title="Latest errors"] tbody tr').count()).toBeGreaterThan(1);
    await screenshot(page, 'dashboard-overview');
    expect(ui.errors).toEqual([]);

    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(400);
    await screenshot(page, 'dashboard-overview-wide');
  });

  it('creates a dashboard, adds a panel, saves it and shows it after a reload', async () => {
    await page.goto('/dashboards');
    await page.getByTestId('new-dashboard').click();
    await page.getByTestId('new-dashboard-title').fill('Payments');
    await page.getByTestId('create-dashboard').click();
    await page.waitForURL(/\/dashboards\/[\w-]+\?edit=1/);
    const id = new URL(page.url()).pathname.split('/')[2]!;

    await page.getByTestId('add-panel').click();
    await page.getByTestId('panel-title').fill('Payment errors by host');
    await page.getByTestId('panel-type').selectOption('bar');
    const query = page.getByTestId('panel-query');
    await query.fill('service:payment-service AND level:ERROR | stats count() by host | sort -count');
    await query.press('Enter');
    await page.getByTestId('panel-preview').getByTestId('viz-bar').waitFor();
    await screenshot(page, 'dashboard-panel-editor');
    await page.getByTestId('panel-apply').click();
    await page.getByTestId('save-dashboard').click();
    await page.waitForURL((url) => !url.searchParams.has('edit'));

    await page.reload();
    expect(await panelStates()).toEqual([{ title: 'Payment errors by host', state: 'ready' }]);
    const saved = await dashboardApi(id);
    expect(saved.panels).toEqual([
      expect.objectContaining({
        title: 'Payment errors by host',
        type: 'bar',
        query: 'service:payment-service AND level:ERROR | stats count() by host | sort -count',
      }),
    ]);
    const hosts = await page
      .locator('[data-panel-title="Payment errors by host"] .bar-label')
      .allTextContents();
    expect(hosts.every((h) => h.startsWith('payment-service-'))).toBe(true);
  });

  it('moves and resizes panels on the grid and saves the layout', async () => {
    const created = await fetch(`${fx.server.url}/api/v1/dashboards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Layout',
        panels: [
          { id: 'a', title: 'A', type: 'kpi', query: '| stats count()', layout: { x: 0, y: 0, w: 4, h: 3 } },
          {
            id: 'b',
            title: 'B',
            type: 'donut',
            query: '| stats count() by level',
            layout: { x: 4, y: 0, w: 4, h: 5 },
          },
        ],
      }),
    }).then((r) => r.json() as Promise<{ dashboard: { id: string } }>);
    const id = created.dashboard.id;
    await page.goto(`/dashboards/${id}?edit=1`);
    await panelStates();
    const b = page.locator('[data-panel-id="b"]');
    const header = b.locator('.panel-header');
    const from = (await header.boundingBox())!;
    const grid = (await page.getByTestId('dashboard-grid').boundingBox())!;
    const column = grid.width / 12;
    // Drag B four columns to the right.
    await page.mouse.move(from.x + 40, from.y + 10);
    await page.mouse.down();
    await page.mouse.move(from.x + 40 + column * 4, from.y + 10, { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => b.getAttribute('data-layout'), POLL).toBe('8,0,4,5');
    // Resize A by its corner: two columns wider, two rows taller.
    const handle = (await page.locator('[data-panel-id="a"]').getByTestId('resize-handle').boundingBox())!;
    await page.mouse.move(handle.x + 5, handle.y + 5);
    await page.mouse.down();
    await page.mouse.move(handle.x + 5 + column * 2, handle.y + 5 + 2 * 54, { steps: 10 });
    await page.mouse.up();
    await expect
      .poll(() => page.locator('[data-panel-id="a"]').getAttribute('data-layout'), POLL)
      .toBe('0,0,6,5');
    await screenshot(page, 'dashboard-editing');
    await page.getByTestId('save-dashboard').click();
    await page.waitForURL((url) => !url.searchParams.has('edit'));
    const saved = await dashboardApi(id);
    expect(saved.panels.map((p: { id: string; layout: unknown }) => [p.id, p.layout])).toEqual([
      ['a', { x: 0, y: 0, w: 6, h: 5 }],
      ['b', { x: 8, y: 0, w: 4, h: 5 }],
    ]);
  });

  it('duplicates, exports, imports and deletes dashboards from the list', async () => {
    await page.goto('/dashboards');
    const row = page.locator('[data-dashboard-id="overview"]');
    await row.getByRole('button', { name: 'Duplicate' }).click();
    await expect
      .poll(() => page.getByTestId('dashboard-list').getByText('Overview (copy)').count(), POLL)
      .toBe(1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Export' }).click(),
    ]);
    const file = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(file.cairn_dashboard).toBe(1);
    expect(file.dashboard.panels).toHaveLength(12);

    await page.getByTestId('import-file').setInputFiles({
      name: 'overview.dashboard.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({ ...file, dashboard: { ...file.dashboard, title: 'Imported overview' } }),
      ),
    });
    await page.waitForURL(/\/dashboards\/(?!overview)[\w-]+$/);
    expect(await page.getByTestId('dashboard-title').textContent()).toBe('Imported overview');
    expect((await panelStates()).filter((s) => s.state !== 'ready')).toEqual([]);

    await page.goto('/dashboards');
    const copy = page.locator('tr', { hasText: 'Overview (copy)' });
    await copy.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('confirm-delete').click();
    await expect
      .poll(() => page.getByTestId('dashboard-list').getByText('Overview (copy)').count(), POLL)
      .toBe(0);
    const titles = (await getJson(`${fx.server.url}/api/v1/dashboards`)).body.dashboards.map(
      (d: { title: string }) => d.title,
    );
    expect(titles).not.toContain('Overview (copy)');
    await screenshot(page, 'dashboard-list');
  });

  it('has one time picker for the whole dashboard', async () => {
    await page.goto('/dashboards/overview');
    await panelStates();
    await page.getByTestId('time-picker').click();
    await page.getByRole('button', { name: 'Last 1 hour' }).click();
    await page.waitForURL((url) => url.searchParams.get('from') === 'now-1h');
    await panelStates();
    const total = (
      await getJson(
        `${fx.server.url}/api/v1/search?${new URLSearchParams({ q: '| stats count()', from: 'now-1h' })}`,
      )
    ).body.rows[0][0];
    // Events keep their timestamps, so the count of the last hour only shrinks as time passes.
    const shown = Number(
      (await page.locator('[data-panel-title="Total events"] .kpi-value').textContent())!.replace(/,/g, ''),
    );
    expect(shown).toBeGreaterThanOrEqual(total);
    expect(shown).toBeLessThan(total + 50);
    await page.getByTestId('time-picker').click();
    await page.getByTestId('refresh-interval').selectOption('10s');
    await page.waitForURL((url) => url.searchParams.get('refresh') === '10s');
  });
});
