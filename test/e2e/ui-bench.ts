/**
 * UI timings in a real browser against a running server (for the figures in docs/ui.md):
 *
 *   npm run bench:ui -- --url http://localhost:9280 [--runs 5]
 *
 * - initial load: a cold browser context opening /discover over the last 24 h, until the first result
 *   rows are on screen (and the first contentful paint, DOMContentLoaded, load);
 * - first render after Enter: a filtered query typed into Discover over 24 h, from the key press to
 *   the result rows painted (the page's own `cairn:first-render` measure), and until the histogram too.
 *
 * Load the server first, e.g. `npm run bench -- --keep` (10 million demo events) or `cairn demo --backfill 24h`.
 * Timings are printed, never asserted (see STYLE.md).
 */
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';

const QUERIES = [
  'level:ERROR AND service:payment-service',
  'service:api-server AND level:WARN',
  'http.response.status_code:>=500',
  'level:ERROR AND host:web-app-1',
  '"connection refused"',
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
}

function max(xs: number[]): number {
  return Math.max(...xs);
}

async function initialLoad(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${url}/discover?from=now-24h`);
  await page.getByTestId('result-row').first().waitFor({ timeout: 60_000 });
  const rowsVisible = Date.now() - started;
  // Let the histogram and the field list finish too, so the next run starts on a quiet server.
  await page.waitForFunction(
    `document.querySelector('[data-testid="histogram"]')?.getAttribute('data-state') === 'ok' && document.querySelector('.field-item') !== null`,
    undefined,
    { timeout: 120_000, polling: 100 },
  );
  const complete = Date.now() - started;
  const nav = await page.evaluate<{ fcp: number; dcl: number; load: number; transfer: number }>(`(() => {
    const n = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const assets = performance.getEntriesByType('resource').filter((r) => r.name.includes('/assets/'));
    return {
      fcp: fcp ? fcp.startTime : NaN,
      dcl: n.domContentLoadedEventEnd,
      load: n.loadEventEnd,
      transfer: n.transferSize + assets.reduce((a, r) => a + r.transferSize, 0),
    };
  })()`);
  await context.close();
  return { rowsVisible, complete, ...nav };
}

async function afterEnter(page: Page, q: string) {
  const main = page.getByTestId('discover-main');
  await main.evaluate((el) => el.removeAttribute('data-render-ms'));
  const input = page.getByTestId('query-input');
  await input.fill(q);
  const started = Date.now();
  await input.press('Enter');
  await page.waitForFunction(
    `document.querySelector('[data-testid="discover-main"]')?.hasAttribute('data-render-ms')`,
    undefined,
    { timeout: 60_000, polling: 'raf' },
  );
  const rendered = Number(await main.getAttribute('data-render-ms'));
  await page.waitForFunction(
    `document.querySelector('[data-testid="histogram"]')?.getAttribute('data-state') === 'ok'`,
    undefined,
    { timeout: 60_000, polling: 'raf' },
  );
  return { rendered, complete: Date.now() - started };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://localhost:9280' },
      runs: { type: 'string', default: '5' },
    },
  });
  const url = values.url.replace(/\/$/, '');
  const runs = Number(values.runs);
  const streams = (await (await fetch(`${url}/api/v1/streams`)).json()) as { streams: { events: number }[] };
  const events = streams.streams.reduce((n, s) => n + s.events, 0);
  const browser = await launchBrowser();
  try {
    const loads = [];
    for (let i = 0; i < runs; i++) loads.push(await initialLoad(browser, url));

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${url}/discover?from=now-24h`);
    await page.getByTestId('result-row').first().waitFor({ timeout: 60_000 });
    await page.waitForFunction(`document.querySelector('.field-item') !== null`, undefined, {
      timeout: 120_000,
    });
    const rows: string[] = [];
    for (const q of QUERIES) {
      const samples = [];
      for (let i = 0; i < runs; i++) samples.push(await afterEnter(page, q));
      const r = samples.map((s) => s.rendered);
      const c = samples.map((s) => s.complete);
      rows.push(`| \`${q}\` | ${median(r)} | ${max(r)} | ${median(c)} |`);
    }
    await context.close();

    const f = (xs: number[]) => `${Math.round(median(xs))} (max ${Math.round(max(xs))})`;
    process.stdout.write(
      [
        '',
        `## Cairn UI — ${events.toLocaleString('en-US')} events, Chromium headless, 1280×800, ${runs} runs`,
        '',
        '| initial load of /discover (cold cache) | ms, median (max) |',
        '|---|---|',
        `| first contentful paint | ${f(loads.map((l) => l.fcp))} |`,
        `| DOMContentLoaded | ${f(loads.map((l) => l.dcl))} |`,
        `| load event | ${f(loads.map((l) => l.load))} |`,
        `| first result rows on screen (24 h, newest 200) | ${f(loads.map((l) => l.rowsVisible))} |`,
        `| histogram and field list loaded too | ${f(loads.map((l) => l.complete))} |`,
        `| bytes transferred (HTML + assets) | ${Math.round(median(loads.map((l) => l.transfer)) / 1024)} KB |`,
        '',
        '| Enter on a filtered query over 24 h | rows painted, median ms | max ms | with histogram, median ms |',
        '|---|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
