import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson, post } from '../support/server.js';
import { openPage, POLL, screenshot, type UiPage } from './support/browser.js';
import { countOf, type E2eFixture, formatCount, startE2e } from './support/fixture.js';

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

const search = (q: string, params: Record<string, string> = {}) =>
  getJson(`${fx.server.url}/api/v1/search?${new URLSearchParams({ q, from: 'now-24h', ...params })}`);

/** The text of each visible result row's cells: [time, ...columns]. */
async function visibleRows(): Promise<string[][]> {
  return page
    .getByTestId('result-row')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('.rt-time, .rt-cell')].map((c) => (c.textContent ?? '').trim())),
    );
}

async function runQuery(q: string): Promise<void> {
  const input = page.getByTestId('query-input');
  await input.fill(q);
  await input.press('Enter');
  await page.waitForURL((url) => url.searchParams.get('q') === q);
}

async function expectHitCount(q: string, range?: { from: string; to: string }): Promise<number> {
  const n = await countOf(fx.server, q, range);
  await expect
    .poll(() => page.getByTestId('hit-count').textContent())
    .toBe(`${formatCount(n)} ${n === 1 ? 'hit' : 'hits'}`);
  return n;
}

describe('Discover', () => {
  it('searches and shows the matching rows, with the exact hit count', async () => {
    await page.goto('/discover?from=now-24h');
    await page.getByTestId('result-row').first().waitFor();
    await screenshot(page, 'discover');
    await runQuery('level:ERROR AND service:payment-service');
    const n = await expectHitCount('level:ERROR AND service:payment-service');
    expect(n).toBeGreaterThan(0);
    await expect.poll(async () => (await visibleRows()).length, POLL).toBeGreaterThan(0);
    for (const [, level, service] of await visibleRows()) {
      expect(level).toBe('ERROR');
      expect(service).toBe('payment-service');
    }
    // The newest matching event is the first row.
    const first = (await search('level:ERROR AND service:payment-service', { limit: '1' })).body.hits[0];
    expect((await visibleRows())[0]![3]).toBe(first.message);
    expect(ui.errors).toEqual([]);
  });

  it('adds field:value and NOT field:value from the top values of the field sidebar', async () => {
    await page.goto('/discover?from=now-24h&q=level:ERROR');
    await page.locator('[data-field="service"] .field-name').click();
    const top = page.getByTestId('top-values').locator('.top-value').first();
    const value = await top.getAttribute('data-value');
    expect(value).toBeTruthy();
    const api = await post(
      `${fx.server.url}/api/v1/aggregate`,
      JSON.stringify({
        q: 'level:ERROR',
        from: 'now-24h',
        aggs: { s: { terms: { field: 'service', size: 5 } } },
      }),
      'application/json',
    );
    expect(value).toBe(String(api.body.aggregations.s.buckets[0].key));
    await screenshot(page, 'discover-field-sidebar');

    await top.locator('[data-action="filter-for"]').click();
    const q = `level:ERROR AND service:${value}`;
    await page.waitForURL((url) => url.searchParams.get('q') === q);
    await expect.poll(() => page.getByTestId('query-input').inputValue(), POLL).toBe(q);
    await expectHitCount(q);
    for (const row of await visibleRows()) expect(row[2]).toBe(value);

    await page.locator('[data-field="host"] .field-name').click();
    const host = await page
      .getByTestId('top-values')
      .locator('.top-value')
      .first()
      .getAttribute('data-value');
    await page
      .getByTestId('top-values')
      .locator('.top-value')
      .first()
      .locator('[data-action="filter-out"]')
      .click();
    const negated = `${q} AND NOT host:${host}`;
    await page.waitForURL((url) => url.searchParams.get('q') === negated);
    await expectHitCount(negated);
  });

  it('zooms into the time range dragged across the histogram', async () => {
    await page.goto('/discover?from=now-24h');
    const chart = page.getByTestId('histogram-chart').locator('.u-over');
    await chart.waitFor();
    const before = await countOf(fx.server, '');
    const box = (await chart.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.8, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.9, y, { steps: 8 });
    await page.mouse.up();
    await page.waitForURL((url) => /^\d{4}-/.test(url.searchParams.get('from') ?? ''));
    const url = new URL(page.url());
    const from = url.searchParams.get('from')!;
    const to = url.searchParams.get('to')!;
    const span = Date.parse(to) - Date.parse(from);
    expect(span).toBeGreaterThan(30 * 60_000);
    expect(span).toBeLessThan(4 * 3600_000);
    const n = await expectHitCount('', { from, to });
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(before);
    await expect.poll(async () => (await visibleRows()).length, POLL).toBeGreaterThan(0);
    for (const [time] of await visibleRows()) {
      const t = Date.parse(`${time!.replace(' ', 'T')}Z`);
      expect(t).toBeGreaterThanOrEqual(Date.parse(from));
      expect(t).toBeLessThan(Date.parse(to));
    }
    await screenshot(page, 'discover-zoomed');
    // Back returns to the range before the zoom.
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('from') === 'now-24h');
  });

  it('opens a row as a field table and raw JSON, copies it, and shows the surrounding events', async () => {
    await page.goto('/discover?from=now-24h&q=level:ERROR');
    await page.getByTestId('result-row').first().click();
    const flyout = page.getByTestId('doc-flyout');
    await flyout.waitFor();
    const hit = (await search('level:ERROR', { limit: '1' })).body.hits[0];
    await expect.poll(() => page.url(), POLL).toContain(`doc=${hit._id}`);
    const table = await page
      .getByTestId('doc-table')
      .locator('tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('.doc-value')?.textContent]),
      );
    expect(table).toContainEqual(['_id', hit._id]);
    expect(table).toContainEqual(['message', hit.message]);
    await screenshot(page, 'discover-document');

    await page.getByTestId('tab-json').click();
    expect(JSON.parse((await page.getByTestId('doc-json').textContent())!)).toEqual(hit);
    await flyout.getByRole('button', { name: 'Copy JSON' }).click();
    expect(JSON.parse(await page.evaluate<string>('navigator.clipboard.readText()'))).toEqual(hit);

    await page.getByTestId('surrounding-button').click();
    await page.getByTestId('surrounding-anchor').waitFor();
    await expect.poll(() => page.getByTestId('surrounding-row').count(), POLL).toBeGreaterThan(0);
    const rows = await page
      .getByTestId('surrounding-row')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    for (const r of rows) {
      expect(r[2]).toBe(hit.service);
      expect(r[3]).toBe(hit.host);
    }
    await screenshot(page, 'discover-surrounding');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect.poll(() => flyout.count(), POLL).toBe(0);
  });

  it('draws a pipe query as a chart above its table', async () => {
    await page.goto('/discover?from=now-24h');
    await runQuery('| stats count() by service | sort -count');
    const table = (await search('| stats count() by service | sort -count')).body;
    await page.getByTestId('viz-bar').waitFor();
    const bars = await page.getByTestId('viz-bar').locator('.bar-label').allTextContents();
    expect(bars).toEqual(table.rows.map((r: unknown[]) => String(r[0])));
    expect(
      await page.getByTestId('pipe-table').locator('tbody tr:not([style*="height: 0"])').count(),
    ).toBeGreaterThan(0);
    await screenshot(page, 'discover-pipes-bars');

    await runQuery('| timechart count() by level');
    await page.getByTestId('viz-timeseries').locator('canvas').waitFor();
    const legend = await page.getByTestId('viz-timeseries').locator('.legend-item').allTextContents();
    const levels = (await search('| stats count() by level')).body.rows.map((r: unknown[]) => r[0]);
    expect([...legend].sort()).toEqual([...levels].sort());
    await screenshot(page, 'discover-pipes-timechart');
    expect(ui.errors).toEqual([]);
  });

  it('shows a query error in place, where the server says it is', async () => {
    await page.goto('/discover?from=now-24h');
    await runQuery('level:ERROR AND');
    const error = page.getByTestId('query-error');
    await error.waitFor();
    expect(await error.textContent()).toContain("expected a clause after 'AND'");
    expect(await page.locator('.query-highlight .tok-error').count()).toBe(1);
    await runQuery('status:abc AND http.response.status_code:abc');
    await expect.poll(() => error.textContent(), POLL).toContain('expected a number');
    await screenshot(page, 'discover-query-error');
  });

  it('completes field names and their top values', async () => {
    await page.goto('/discover?from=now-24h');
    await page.getByTestId('result-row').first().waitFor();
    await page.keyboard.press('/');
    const input = page.getByTestId('query-input');
    await expect
      .poll(() => page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid')"))
      .toBe('query-input');
    await input.pressSequentially('servi');
    const suggestions = page.getByTestId('suggestions');
    await expect
      .poll(() => suggestions.locator('.suggestion-label').allTextContents(), POLL)
      .toContain('service');
    await input.press('Tab');
    expect(await input.inputValue()).toBe('service:');
    await expect
      .poll(() => suggestions.locator('.suggestion-label').allTextContents(), POLL)
      .toContain('nginx');
    const values = await suggestions.locator('.suggestion-label').allTextContents();
    await input.press('ArrowDown');
    await input.press('Enter');
    expect(await input.inputValue()).toBe(`service:${values[0]} `);
    await input.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === `service:${values[0]}`);
  });

  it('keeps the whole view in the URL, so a link reproduces it', async () => {
    const url =
      '/discover?q=service%3Anginx&from=now-24h&cols=service,http.response.status_code,message&sort=%40timestamp%3Aasc';
    await page.goto(url);
    await page.getByTestId('result-row').first().waitFor();
    expect(await page.getByTestId('query-input').inputValue()).toBe('service:nginx');
    expect(await page.locator('.rt-header .th').allTextContents()).toEqual([
      'service',
      'http.response.status_code',
      'message',
    ]);
    const oldest = (await search('service:nginx', { limit: '1', sort: '@timestamp:asc' })).body.hits[0];
    expect((await visibleRows())[0]![2]).toBe(String(oldest['http.response.status_code']));
    await page.reload();
    await page.getByTestId('result-row').first().waitFor();
    expect((await visibleRows())[0]![2]).toBe(String(oldest['http.response.status_code']));
  });

  it('scrolls through 10,000 rows with only a window of them in the page', async () => {
    await page.goto('/discover?from=now-24h');
    const body = page.locator('.rt-body');
    await page.getByTestId('result-row').first().waitFor();
    const table = page.getByTestId('results-table');
    for (let i = 0; i < 60; i++) {
      if ((await table.getAttribute('data-rowcount')) === '10000') break;
      await body.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(150);
    }
    expect(await table.getAttribute('data-rowcount')).toBe('10000');
    await body.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForTimeout(200);
    expect(await page.getByTestId('result-row').count()).toBeLessThan(100);
    const last = await page.getByTestId('result-row').last().getAttribute('data-rowindex');
    expect(last).toBe('10000');
  });

  it('exports the current result as CSV and NDJSON', async () => {
    await page.goto('/discover?from=now-24h&q=level:ERROR&cols=service,message');
    await page.getByTestId('result-row').first().waitFor();
    const n = await countOf(fx.server, 'level:ERROR');
    const download = async (format: 'csv' | 'ndjson') => {
      await page.getByTestId('export-button').click();
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(`export-${format}`).click(),
      ]);
      return readFile((await file.path())!, 'utf8');
    };
    const csv = (await download('csv')).trimEnd().split('\r\n');
    expect(csv[0]).toBe('@timestamp,service,message,stream,_id');
    expect(csv).toHaveLength(Math.min(n, 10_000) + 1);
    const ndjson = (await download('ndjson'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ndjson).toHaveLength(Math.min(n, 10_000));
    expect(new Set(ndjson.map((e) => e.level))).toEqual(new Set(['ERROR']));
  });

  it('tails new matching events live, and holds them while paused', async () => {
    await page.goto('/discover?q=service:e2e-live');
    await page.getByTestId('live-toggle').click();
    await page.getByTestId('live-bar').waitFor();
    await page.waitForTimeout(1500);
    const send = (message: string) =>
      post(
        `${fx.server.url}/api/v1/ingest?stream=live`,
        JSON.stringify({ message, service: 'e2e-live', level: 'info' }),
        'application/json',
      );
    await send('first live event');
    const rows = page.getByTestId('result-row');
    await expect
      .poll(() => rows.allTextContents(), { timeout: 15_000 })
      .toEqual([expect.stringContaining('first live event')]);
    await screenshot(page, 'discover-live-tail');

    await page.getByTestId('live-pause').click();
    await send('second live event');
    await expect
      .poll(() => page.getByTestId('live-count').textContent(), { timeout: 15_000 })
      .toContain('1 waiting');
    expect(await rows.count()).toBe(1);
    await page.getByTestId('live-pause').click();
    await expect.poll(() => rows.count(), POLL).toBe(2);
    expect(await rows.first().textContent()).toContain('second live event');
  });
});
