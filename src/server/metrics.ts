import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Store, StoreStats } from '../store/store.js';

/** How long one read of the store's figures serves the gauges (a scrape reads them together). */
const STATS_REUSE_MS = 1000;

/** The service's Prometheus metrics, on a registry of its own (no global state). */
export class Metrics {
  readonly registry = new Registry();
  readonly eventsIngested = new Counter({
    name: 'cairn_ingested_events_total',
    help: 'Events made durable, by input',
    labelNames: ['input'] as const,
    registers: [this.registry],
  });
  readonly bytesIngested = new Counter({
    name: 'cairn_ingested_bytes_total',
    help: 'Request body bytes received by ingest endpoints (after decompression), by input',
    labelNames: ['input'] as const,
    registers: [this.registry],
  });
  readonly eventsRejected = new Counter({
    name: 'cairn_rejected_events_total',
    help: 'Events refused for bad input, by input',
    labelNames: ['input'] as const,
    registers: [this.registry],
  });
  readonly commitDuration = new Histogram({
    name: 'cairn_batch_commit_seconds',
    help: 'Time to write one group commit to the store',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly commitEvents = new Histogram({
    name: 'cairn_batch_events',
    help: 'Events per group commit',
    buckets: [1, 10, 100, 1000, 5000, 10000, 25000, 50000, 100000],
    registers: [this.registry],
  });
  readonly refreshDuration = new Histogram({
    name: 'cairn_refresh_seconds',
    help: 'Time to load acknowledged events from the write-ahead log into the store (what makes them searchable)',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly eventsLoaded = new Counter({
    name: 'cairn_loaded_events_total',
    help: 'Events loaded from the write-ahead log into the store',
    registers: [this.registry],
  });
  readonly queryDuration = new Histogram({
    name: 'cairn_query_seconds',
    help: 'Query latency, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(store: Store, pending: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cairn_process_' });
    // The store gauges of one scrape share one read of the store's figures (it stats the files).
    let shared: { at: number; stats: Promise<StoreStats> } | undefined;
    const stats = (): Promise<StoreStats> => {
      const now = performance.now();
      if (shared === undefined || now - shared.at > STATS_REUSE_MS)
        shared = { at: now, stats: store.stats() };
      return shared.stats;
    };
    const registry = this.registry;
    new Gauge({
      name: 'cairn_store_bytes',
      help: 'Bytes on disk used by the store',
      registers: [registry],
      async collect() {
        this.set((await stats()).bytesOnDisk);
      },
    });
    new Gauge({
      name: 'cairn_store_events',
      help: 'Events held by the store',
      registers: [registry],
      async collect() {
        this.set((await stats()).events);
      },
    });
    new Gauge({
      name: 'cairn_store_partitions',
      help: 'Time partitions (one per stream per day) held by the store',
      registers: [registry],
      async collect() {
        this.set((await stats()).partitions);
      },
    });
    new Gauge({
      name: 'cairn_store_unloaded_events',
      help: 'Events acknowledged but not searchable yet (being loaded); ingest answers 429 at store.maxUnloadedRows',
      registers: [registry],
      async collect() {
        this.set((await stats()).unloadedEvents ?? 0);
      },
    });
    new Gauge({
      name: 'cairn_store_rolled_up_events',
      help: 'Events the minute rollups count: counting aggregations read rows only for the others (see store.rollupFields)',
      registers: [registry],
      async collect() {
        this.set((await stats()).rolledUpEvents ?? 0);
      },
    });
    new Gauge({
      name: 'cairn_store_rollup_memory_rows',
      help: 'Minute-rollup rows held in memory (16 bytes each; at most store.rollupMemoryRows)',
      registers: [registry],
      async collect() {
        this.set((await stats()).rollupMemory?.rows ?? 0);
      },
    });
    new Gauge({
      name: 'cairn_store_rollup_memory_left_out',
      help: 'Partition fields whose minute rollups did not fit in store.rollupMemoryRows: their counting aggregations read the counts from DuckDB (slower)',
      registers: [registry],
      async collect() {
        this.set((await stats()).rollupMemory?.leftOut ?? 0);
      },
    });
    new Gauge({
      name: 'cairn_ingest_pending_events',
      help: 'Events accepted and waiting to be written',
      registers: [registry],
      collect() {
        this.set(pending());
      },
    });
  }
}
