import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBStore, type DuckDBStoreOptions } from '../../src/store/duckdb/duckdb-store.js';

/** Runs `fn` with a fresh temporary directory, removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `fn` with an embedded store on the data directory `dir` that loads only when asked
 * (`refresh`) unless `options` say otherwise, then closes the store.
 */
export async function withStore<T>(
  dir: string,
  options: Omit<DuckDBStoreOptions, 'dataDir'>,
  fn: (store: DuckDBStore) => Promise<T>,
): Promise<T> {
  const store = await DuckDBStore.open({ refreshIntervalMs: 60_000, ...options, dataDir: dir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** `withStore` on a fresh temporary data directory, removed afterwards. */
export async function withTempStore<T>(
  prefix: string,
  options: Omit<DuckDBStoreOptions, 'dataDir'>,
  fn: (store: DuckDBStore) => Promise<T>,
): Promise<T> {
  return withTempDir(prefix, (dir) => withStore(dir, options, fn));
}
