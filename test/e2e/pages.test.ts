import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson } from '../support/server.js';
import { openPage, POLL, screenshot, type UiPage } from './support/browser.js';
import { type E2eFixture, formatCount, startE2e } from './support/fixture.js';

let fx: E2eFixture;
let ui: UiPage;
let page: Page;

beforeAll(async () => {
  fx = await startE2e({ events: 3_000, hours: 3 });
}, 180_000);
afterAll(() => fx?.close());
beforeEach(async () => {
  await ui?.context.close();
  ui = await openPage(fx.browser, { baseURL: fx.server.url });
  page = ui.page;
});

describe('Pages to run Cairn', () => {
  it('lists the streams with their events, size and time span', async () => {
    await page.goto('/streams');
    const table = page.getByTestId('streams-table');
    await table.waitFor();
    const api = (await getJson(`${fx.server.url}/api/v1/streams`)).body.streams as {
      name: string;
      events: number;
    }[];
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-stream'), tr.querySelectorAll('td')[1]?.textContent]),
      );
    expect(rows).toEqual(api.map((s) => [s.name, formatCount(s.events)]));
    await expect.poll(() => table.locator('.sparkline').count(), POLL).toBe(api.length);
    await screenshot(page, 'streams');
    await table.getByRole('link', { name: 'app-logs' }).click();
    await page.waitForURL(
      (url) => url.pathname === '/discover' && url.searchParams.get('stream') === 'app-logs',
    );
    await page.getByTestId('result-row').first().waitFor();
  });

  it('lists pipelines, simulates one on a pasted line, and saves a copy checked by the server', async () => {
    await page.goto('/pipelines');
    const list = page.getByTestId('pipeline-list');
    await list.waitFor();
    const api = (await getJson(`${fx.server.url}/api/v1/pipelines`)).body.pipelines as { id: string }[];
    expect(
      await list
        .locator('[data-pipeline]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-pipeline'))),
    ).toEqual(api.map((p) => p.id));
    await list.locator('[data-pipeline="nginx"]').click();
    await page.waitForURL((url) => url.searchParams.get('id') === 'nginx');
    await page
      .getByTestId('pipeline-lines')
      .fill(
        '203.0.113.7 - - [21/Nov/2026:10:09:05 +0000] "GET /api/v1/cart HTTP/1.1" 404 1456 "-" "curl/8.0" 0.012',
      );
    await page.getByTestId('pipeline-simulate').click();
    const doc = page.getByTestId('simulation').locator('tr', { hasText: 'http.response.status_code' });
    expect(await doc.locator('td').textContent()).toBe('404');
    await screenshot(page, 'pipelines');

    // A broken definition: the server's problems are listed, nothing is saved.
    await page.getByTestId('new-pipeline').click();
    await page.getByTestId('pipeline-name').fill('e2e-pipeline');
    await page.getByTestId('pipeline-definition').fill(JSON.stringify({ processors: [{ nosuch: {} }] }));
    await page.getByTestId('pipeline-save').click();
    await expect
      .poll(() => page.getByTestId('pipeline-errors').textContent())
      .toContain('unknown processor "nosuch"');
    expect((await fetch(`${fx.server.url}/api/v1/pipelines/e2e-pipeline`)).status).toBe(404);

    const definition = {
      description: 'e2e',
      processors: [{ grok: { patterns: ['%{WORD:verb} %{INT:n:int}'] } }],
    };
    await page.getByTestId('pipeline-definition').fill(JSON.stringify(definition));
    await page.getByTestId('pipeline-save').click();
    await page.waitForURL((url) => url.searchParams.get('id') === 'e2e-pipeline');
    await list.locator('[data-pipeline="e2e-pipeline"]').waitFor();
    const saved = (await getJson(`${fx.server.url}/api/v1/pipelines/e2e-pipeline`)).body;
    expect(saved).toMatchObject({ id: 'e2e-pipeline', source: 'api', processors: ['grok'] });
  });

  it('switches between the dark and the light theme, and remembers the choice', async () => {
    await page.goto('/discover?from=now-24h');
    await page.getByTestId('result-row').first().waitFor();
    const theme = () => page.evaluate<string>('document.documentElement.dataset.theme');
    const first = await theme();
    await page.getByTestId('theme-toggle').click();
    const second = await theme();
    expect(second).not.toBe(first);
    expect(['dark', 'light']).toContain(second);
    await screenshot(page, `discover-${second}`);
    await page.reload();
    expect(await theme()).toBe(second);
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('result-row').first().waitFor();
    await screenshot(page, `discover-${first}`);
  });

  it('is driven by the keyboard: / focuses the search, Enter runs it, Esc closes, ? lists the keys', async () => {
    await page.goto('/discover?from=now-24h');
    await page.getByTestId('result-row').first().waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('level:WARN');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === 'level:WARN');
    await page.getByTestId('open-row').first().focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('doc-flyout').waitFor();
    const id = new URL(page.url()).searchParams.get('doc');
    await page.keyboard.press('j');
    await expect.poll(() => new URL(page.url()).searchParams.get('doc'), POLL).not.toBe(id);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('doc-flyout').count(), POLL).toBe(0);
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count(), POLL).toBe(0);
  });

  it('serves the app on deep links while shippers still get Elasticsearch at /', async () => {
    const html = await fetch(`${fx.server.url}/dashboards/overview`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('<div id="app"></div>');
    const es = await getJson(`${fx.server.url}/`);
    expect(es.body.tagline).toBe('You Know, for Search');
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/discover');
    await page.getByTestId('query-input').waitFor();
  });

  it('shows a loading state, then an empty state that offers a wider range', async () => {
    await page.route('**/api/v1/search?*', async (route) => {
      await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    });
    await page.goto('/discover?q=service:no-such-service');
    await page.locator('[data-state="loading"]').first().waitFor();
    await page.getByText('No results match your search').waitFor();
    await page.getByRole('button', { name: 'last 7d' }).click();
    await page.waitForURL((url) => url.searchParams.get('from') === 'now-7d');
    await page.unroute('**/api/v1/search?*');
  });

  it('fits 1280×800 and a wide screen without horizontal scrolling', async () => {
    for (const [width, height] of [
      [1280, 800],
      [2560, 1440],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto('/discover?from=now-24h');
      await page.getByTestId('result-row').first().waitFor();
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow, `${width}×${height}`).toBe(0);
      await screenshot(page, `discover-${width}x${height}`);
    }
  });
});
