import type { Browser } from 'playwright-core';
import { getJson, startTestServer, type TestServer } from '../../support/server.js';
import { launchBrowser } from './browser.js';
import { ensureWebBuilt, seedDemoData } from './demo-data.js';

export interface E2eFixture {
  server: TestServer;
  browser: Browser;
  close(): Promise<void>;
}

/** A real server with a day of demo logs (the last `hours` of it filled) and a headless Chromium. */
export async function startE2e(opts: { events?: number; hours?: number } = {}): Promise<E2eFixture> {
  ensureWebBuilt();
  const server = await startTestServer({ store: { refreshIntervalMs: 250 } });
  await seedDemoData(server.url, { events: opts.events ?? 12_000, hours: opts.hours ?? 6 });
  const browser = await launchBrowser();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Events matching `q` in the last 24 hours, as the API counts them: the oracle for what the UI shows. */
export async function countOf(
  server: TestServer,
  q: string,
  range: { from: string; to: string } = { from: 'now-24h', to: 'now' },
): Promise<number> {
  const params = new URLSearchParams({ q, ...range, limit: '0', track_total_hits: '10000000' });
  const res = await getJson(`${server.url}/api/v1/search?${params}`);
  if (res.status !== 200) throw new Error(`count of ${q}: ${JSON.stringify(res.body)}`);
  return res.body.total.value;
}

export const formatCount = (n: number) => new Intl.NumberFormat('en-US').format(n);
