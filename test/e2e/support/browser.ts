import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CAIRN_CHROMIUM'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'e2e');

/** For expect.poll: the browser tests share two cores with the rest of the suite, so allow time. */
export const POLL = { timeout: 15_000, interval: 100 };

/** Debian's Chromium, headless, as the issue prescribes (no Playwright browser download). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run "node test/e2e/ensure-chromium.mjs" (npm test does)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}

export interface UiPage {
  context: BrowserContext;
  page: Page;
  /** Browser console errors and uncaught exceptions, for tests to assert there were none. */
  errors: string[];
}

export async function openPage(
  browser: Browser,
  opts: { baseURL: string; width?: number; height?: number; theme?: 'dark' | 'light' },
): Promise<UiPage> {
  const context = await browser.newContext({
    baseURL: opts.baseURL,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    acceptDownloads: true,
    timezoneId: 'UTC',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: opts.baseURL });
  if (opts.theme)
    await context.addInitScript(`localStorage.setItem('cairn.theme', ${JSON.stringify(opts.theme)})`);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A 400 answer to a deliberately bad query is logged by the browser as a failed resource.
    if (m.type() === 'error' && !/status of 400/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
