import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { describeQueryConformance } from './query-conformance.js';

describeQueryConformance('DuckDBStore', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-query-conformance-'));
  const store = await DuckDBStore.open({ dataDir, refreshIntervalMs: 60_000 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
