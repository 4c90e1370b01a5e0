import { sendConcurrently } from '../bulk-sender.js';
import { percentile } from '../stats.js';
import { cpuSeconds, type DirectorySize, directorySize, MemorySampler, memoryStatus } from './proc-stats.js';
import type { CompareQuery } from './queries.js';
import type { QueryOutcome, SystemUnderTest } from './systems/system.js';

export interface QueryMeasurement {
  id: string;
  name: string;
  /** The first (warm-up) answer, compared with the other system's. */
  outcome: QueryOutcome;
  warmupMs: number;
  /** Timed runs: as asked, or fewer for a query slower than the budget allows (0: the warm-up is the sample). */
  runs: number;
  p50Ms: number;
  p95Ms: number;
  samplesMs: number[];
}

export interface SystemMeasurement {
  system: string;
  label: string;
  version: string;
  events: number;
  bulkBytes: number;
  ingestSeconds: number;
  eventsPerSecond: number;
  megabytesPerSecond: number;
  bulkLatencyP50Ms: number;
  bulkLatencyP95Ms: number;
  retries: number;
  /** From the last acknowledged bulk request until a count sees every event. */
  searchableSeconds: number;
  /** Server CPU from the first bulk request until every event is searchable. */
  ingestCpuSeconds: number;
  cpuSecondsPerMillionEvents: number;
  finalFlushSeconds: number;
  finalFlushCpuSeconds: number;
  disk: DirectorySize;
  bytesPerEvent: number;
  /** VmHWM of the server process over the whole run. */
  peakRssBytes: number;
  /** Sampled peak of RssAnon (memory-mapped files excluded). */
  peakAnonRssBytes: number;
  queries: QueryMeasurement[];
}

export interface MeasureOptions {
  files: readonly string[];
  events: number;
  clients: number;
  runs: number;
  /** Seconds of timed runs one query may take; a slower query gets fewer runs. */
  queryBudgetSeconds: number;
  queries: readonly CompareQuery[];
  log: (message: string) => void;
}

/**
 * One system's figures: ingest the bulk files with the shared client, wait until every event is
 * searchable, flush and compact, measure the data directory, then run each query once to record
 * its answer and `runs` more times to time it (fewer when that would exceed the query budget).
 */
export async function measureSystem(sut: SystemUnderTest, opts: MeasureOptions): Promise<SystemMeasurement> {
  const { log } = opts;
  await sut.setUp();
  const memory = new MemorySampler(sut.pid);
  try {
    log(`${sut.label}: ingesting ${opts.files.length} bulk bodies with ${opts.clients} clients …`);
    const cpu0 = cpuSeconds(sut.pid);
    const t0 = performance.now();
    const sent = await sendConcurrently(sut.url, [...opts.files], opts.clients);
    const t1 = performance.now();
    const acknowledged = sent.reduce((n, r) => n + r.events, 0);
    if (acknowledged !== opts.events) {
      throw new Error(`${sut.label} acknowledged ${acknowledged} events, expected ${opts.events}`);
    }
    const deadline = t1 + 600_000;
    let searchable = await sut.countSearchable();
    while (searchable < opts.events) {
      if (performance.now() > deadline) {
        throw new Error(`${sut.label}: only ${searchable} of ${opts.events} events searchable after 10 min`);
      }
      await new Promise((r) => setTimeout(r, 50));
      searchable = await sut.countSearchable();
    }
    const t2 = performance.now();
    const cpu1 = cpuSeconds(sut.pid);
    if (searchable !== opts.events) {
      throw new Error(`${sut.label} has ${searchable} events searchable, expected ${opts.events}`);
    }
    const ingestSeconds = (t1 - t0) / 1000;
    const bulkBytes = sent.reduce((n, r) => n + r.bytes, 0);
    const latencies = sent.flatMap((r) => r.latenciesMs);
    log(
      `${sut.label}: ${Math.round(opts.events / ingestSeconds)} events/s, searchable ${((t2 - t1) / 1000).toFixed(2)} s after the last ack; final flush …`,
    );

    const f0 = performance.now();
    await sut.finalFlush();
    const f1 = performance.now();
    const cpu2 = cpuSeconds(sut.pid);
    const disk = await directorySize(sut.dataDir);

    const queries: QueryMeasurement[] = [];
    for (const q of opts.queries) {
      const prepared = await sut.prepare(q);
      try {
        const w0 = performance.now();
        const outcome = await prepared.run();
        const warmupMs = performance.now() - w0;
        const runs = timedRuns(warmupMs, opts);
        const samples: number[] = [];
        for (let i = 0; i < runs; i++) {
          const s = performance.now();
          await prepared.run();
          samples.push(performance.now() - s);
        }
        if (samples.length === 0) samples.push(warmupMs);
        queries.push({
          id: q.id,
          name: q.name,
          outcome,
          warmupMs: Math.round(warmupMs * 100) / 100,
          runs,
          p50Ms: percentile(samples, 50),
          p95Ms: percentile(samples, 95),
          samplesMs: samples.map((x) => Math.round(x * 100) / 100),
        });
        log(`${sut.label}: ${q.id}: ${outcome.hits} hits, p50 ${percentile(samples, 50).toFixed(1)} ms`);
      } finally {
        await prepared.release();
      }
    }
    memory.sample();
    const { peakRss } = memoryStatus(sut.pid);

    const ingestCpu = cpu1 - cpu0;
    return {
      system: sut.name,
      label: sut.label,
      version: sut.version,
      events: opts.events,
      bulkBytes,
      ingestSeconds,
      eventsPerSecond: opts.events / ingestSeconds,
      megabytesPerSecond: bulkBytes / 1e6 / ingestSeconds,
      bulkLatencyP50Ms: percentile(latencies, 50),
      bulkLatencyP95Ms: percentile(latencies, 95),
      retries: sent.reduce((n, r) => n + r.retries, 0),
      searchableSeconds: (t2 - t1) / 1000,
      ingestCpuSeconds: ingestCpu,
      cpuSecondsPerMillionEvents: ingestCpu / (opts.events / 1e6),
      finalFlushSeconds: (f1 - f0) / 1000,
      finalFlushCpuSeconds: cpu2 - cpu1,
      disk,
      bytesPerEvent: disk.allocated / opts.events,
      peakRssBytes: peakRss,
      peakAnonRssBytes: memory.peakRssAnon,
      queries,
    };
  } finally {
    memory.stop();
  }
}

/**
 * `opts.runs`, unless the warm-up says they would take longer than the budget: then as many as fit,
 * and none when the warm-up alone took longer (its time is then the only sample).
 */
export function timedRuns(
  warmupMs: number,
  opts: Pick<MeasureOptions, 'runs' | 'queryBudgetSeconds'>,
): number {
  const budgetMs = opts.queryBudgetSeconds * 1000;
  if (warmupMs * opts.runs <= budgetMs) return opts.runs;
  return Math.max(0, Math.min(opts.runs, Math.floor(budgetMs / warmupMs)));
}
