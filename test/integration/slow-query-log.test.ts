import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type CairnApp } from '../../src/server/app.js';
import { type Config, DEFAULT_CONFIG } from '../../src/server/config.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';

let dataDir: string;
let cairn: CairnApp;
const config: Config = { ...DEFAULT_CONFIG, slowQueryMs: 0 };
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n')) if (line !== '') lines.push(JSON.parse(line));
    done();
  },
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-test-'));
  const store = await DuckDBStore.open({ dataDir });
  cairn = await buildApp({ config: { ...config, dataDir }, store, logger: { level: 'warn', stream: sink } });
  await cairn.app.inject({
    method: 'POST',
    url: '/api/v1/ingest?stream=slowlog&refresh=true',
    payload: [{ message: 'checkout failed', level: 'error' }],
  });
});
afterAll(async () => {
  await cairn.shutdown();
  await rm(dataDir, { recursive: true, force: true });
});

const slowLines = () => lines.filter((l) => String(l['msg']).startsWith('slow '));

describe('the slow query log', () => {
  it('logs nothing when turned off (0)', async () => {
    cairn.ctx.config.slowQueryMs = 0;
    const res = await cairn.app.inject({ url: '/api/v1/search?q=checkout&from=now-1h&stream=slowlog' });
    expect(res.json().total.value).toBe(1);
    expect(slowLines()).toEqual([]);
  });

  it('logs each query past the threshold with what it asked', async () => {
    // Every query takes longer than a nanosecond.
    cairn.ctx.config.slowQueryMs = 1e-6;
    await cairn.app.inject({ url: '/api/v1/search?q=checkout&from=now-1h&stream=slowlog' });
    await cairn.app.inject({
      method: 'POST',
      url: '/api/v1/aggregate',
      payload: { q: 'level:ERROR', from: 'now-1h', aggs: { by: { terms: { field: 'service' } } } },
    });
    await cairn.app.inject({ url: '/api/v1/search?q=*%20%7C%20stats%20count()&from=now-1h' });
    const logged = slowLines();
    expect(logged.map((l) => l['kind'])).toEqual(['search', 'aggregate', 'pipes']);
    expect(logged[0]).toMatchObject({ level: 40, q: 'checkout', from: 'now-1h', stream: 'slowlog' });
    expect(logged[0]!['tookMs']).toEqual(expect.any(Number));
    expect(logged[1]).toMatchObject({ q: 'level:ERROR', aggs: { by: { terms: { field: 'service' } } } });
    expect(logged[2]).toMatchObject({ q: '* | stats count()' });
  });
});
