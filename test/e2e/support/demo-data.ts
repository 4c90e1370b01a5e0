import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoEventKind, generateWindow } from '../../../src/demo/index.js';
import { post } from '../../support/server.js';

export const DEMO_STREAMS = { application: 'app-logs', nginx: 'nginx-access' } as const;

/**
 * Realistic demo logs (the `cairn demo` generator, fixed seed) for the last `hours`, sent through the
 * Elasticsearch `_bulk` API as `cairn demo` sends them, and searchable when this resolves.
 */
export async function seedDemoData(
  url: string,
  opts: { events: number; hours: number; seed?: number },
): Promise<void> {
  const toUs = Date.now() * 1000;
  const fromUs = toUs - opts.hours * 3_600_000_000;
  const lines: string[] = [];
  const flush = async () => {
    if (lines.length === 0) return;
    const res = await post(`${url}/_bulk?refresh=wait_for`, `${lines.join('\n')}\n`);
    if (res.status !== 200 || res.body.errors)
      throw new Error(`Seeding failed: ${JSON.stringify(res.body).slice(0, 500)}`);
    lines.length = 0;
  };
  for (const event of generateWindow({ fromUs, toUs, count: opts.events, seed: opts.seed ?? 7 })) {
    lines.push(
      JSON.stringify({ index: { _index: DEMO_STREAMS[demoEventKind(event)] } }),
      JSON.stringify(event),
    );
    if (lines.length >= 10_000) await flush();
  }
  await flush();
}

/** Builds the web UI when web/dist is missing (npm test builds it before the tests run). */
export function ensureWebBuilt(): void {
  if (existsSync(join(process.cwd(), 'web', 'dist', 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { stdio: 'inherit' });
}
