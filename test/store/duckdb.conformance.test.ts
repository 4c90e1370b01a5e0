import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { describeStoreConformance } from './store-conformance.js';

describeStoreConformance('DuckDBStore', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-conformance-'));
  // A long refresh interval: the cases decide when events become searchable.
  const options = { dataDir, refreshIntervalMs: 60_000 };
  let current = await DuckDBStore.open(options);
  return {
    store: current,
    reopen: async () => {
      current = await DuckDBStore.open(options);
      return current;
    },
    cleanup: async () => {
      await current.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
