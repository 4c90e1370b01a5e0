import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
const CACHE = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'cairn-test', 'py-es8');
const PYTHON = join(CACHE, 'bin', 'python');

/** A virtualenv with the official Elasticsearch Python client (8.x), made once and cached outside the repo. */
async function ensureClient(): Promise<void> {
  if (existsSync(PYTHON)) return;
  await mkdir(CACHE, { recursive: true });
  await run('python3', ['-m', 'venv', CACHE]);
  await run(PYTHON, ['-m', 'pip', 'install', '--quiet', 'elasticsearch>=8.15,<9'], { timeout: 240_000 });
}

let server: TestServer;
beforeAll(async () => {
  await ensureClient();
  server = await startTestServer();
}, 300_000);
afterAll(() => server?.close());

describe('the official Elasticsearch Python client against Cairn', () => {
  it('reads cluster info, installs a template, bulk-indexes and refreshes', async () => {
    const script = join(import.meta.dirname, '..', 'clients', 'es_python_client.py');
    const { stdout } = await run(PYTHON, [script, server.url, '5000'], { timeout: 120_000 });
    const seen = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(seen).toEqual({
      version: expect.stringMatching(/^8\./),
      ok: 5000,
      errors: 0,
      single: 'created',
      template: true,
    });
    const all = await getJson(
      `${server.url}/api/v1/search?stream=pylogs&from=now-1h&limit=1&track_total_hits=100000`,
    );
    expect(all.body.total.value).toBe(5001);
    const errors = await getJson(
      `${server.url}/api/v1/search?stream=pylogs&from=now-1h&limit=1&q=level:ERROR AND service:py-worker`,
    );
    expect(errors.body.total.value).toBe(1250);
    expect(errors.body.hits[0]).toMatchObject({ levelname: 'ERROR', 'service.name': 'py-worker' });
  });
});
