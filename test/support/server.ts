import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type CairnApp } from '../../src/server/app.js';
import { type Config, DEFAULT_CONFIG } from '../../src/server/config.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';

export interface TestServer {
  url: string;
  dataDir: string;
  cairn: CairnApp;
  store: DuckDBStore;
  close(): Promise<void>;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/**
 * The real server, in-process, on an ephemeral loopback port, with a real DuckDB data directory in a
 * temp folder. Closing it removes the directory unless `keepDataDir`.
 */
export async function startTestServer(
  overrides: DeepPartial<Config> & { keepDataDir?: boolean; dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'cairn-test-')));
  const config: Config = {
    ...DEFAULT_CONFIG,
    ...overrides,
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logLevel: 'silent',
    limits: { ...DEFAULT_CONFIG.limits, ...overrides.limits },
    ingest: { ...DEFAULT_CONFIG.ingest, ...overrides.ingest },
    store: { ...DEFAULT_CONFIG.store, ...overrides.store },
  };
  const store = await DuckDBStore.open({
    dataDir,
    maxColumns: config.store.maxColumns,
    refreshIntervalMs: config.store.refreshIntervalMs,
    refreshRows: config.store.refreshRows,
    maxUnloadedRows: config.store.maxUnloadedRows,
    memoryLimitMb: config.store.memoryLimitMb,
  });
  const removeDataDir = async () => {
    if (!overrides.keepDataDir) await rm(dataDir, { recursive: true, force: true });
  };
  let cairn: CairnApp;
  try {
    cairn = await buildApp({ config, store });
  } catch (err) {
    // A server that fails to start (a test of bad configuration) leaves no open store or directory.
    await store.close();
    await removeDataDir();
    throw err;
  }
  await cairn.app.listen({ host: '127.0.0.1', port: 0 });
  const address = cairn.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    cairn,
    store,
    async close() {
      await cairn.shutdown();
      await removeDataDir();
    },
  };
}

export async function getJson(url: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

export async function post(
  url: string,
  body: string | Buffer,
  contentType = 'application/x-ndjson',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
