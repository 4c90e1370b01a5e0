import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBStore, type DuckDBStoreOptions } from '../../src/store/duckdb/duckdb-store.js';
import { describeStoreConformance } from './store-conformance.js';

function openDuckDB(extra: Partial<DuckDBStoreOptions>) {
  return async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-conformance-'));
    // A long refresh interval: the cases decide when events become searchable.
    const options = { dataDir, refreshIntervalMs: 60_000, ...extra };
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
  };
}

describeStoreConformance('DuckDBStore', openDuckDB({}));

// Every load rolls up, and every field of the data set has minute counts: the counting aggregations
// of the suite read the rollups (see rollup.ts) and must answer as the rows do.
describeStoreConformance(
  'DuckDBStore reading minute rollups',
  openDuckDB({
    rollupBatchRows: 1,
    rollupFields: ['level', 'service', 'host', 'stream', 'user.id', 'batch'],
  }),
);
