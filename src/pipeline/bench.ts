import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Event } from '../model/event.js';
import { DEFAULT_EVENT_LIMITS, normalizeEvent } from '../model/normalize.js';
import { PipelineCatalog } from './catalog.js';
import { LazyResources } from './runtime/resources.js';
import { PipelineWorkerPool } from './runtime/worker-pool.js';

/*
 * Pipeline throughput for `npm run bench`: the Apache access-log corpus (10,000 real lines,
 * ../shared/corpora/access) through the built-in `apache` pipeline, which is grok + date + geoip +
 * user_agent + classify (plus client_ip). Three figures:
 *
 * - inline: one thread, no messaging (the pipeline's own cost);
 * - pool: through the worker pool as ingest uses it (chunks to workers and back, in order);
 * - http: a running server's `/api/v1/ingest?pipeline=apache` with text/plain bodies, from
 *   concurrent clients, until everything is durable (the end-to-end figure).
 *
 * CPU seconds are reported next to wall time: on a shared machine wall time moves with the load,
 * CPU time much less.
 */
export interface PipelineBenchResult {
  name: 'inline' | 'pool' | 'http';
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU time of this process (all its threads) during the run, when measured in-process. */
  cpuSeconds?: number;
  detail: string;
}

export const DEFAULT_ACCESS_CORPUS = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../shared/corpora/access/elastic-examples_apache_logs.log',
);

const PIPELINE = 'apache';

function readLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

function toEvents(lines: readonly string[]): Event[] {
  const receivedUs = Date.now() * 1000;
  return lines.map((line) => {
    const r = normalizeEvent(
      { message: line },
      { stream: 'bench', receivedUs, limits: DEFAULT_EVENT_LIMITS },
    );
    if (!r.ok) throw new Error(r.reason);
    return r.event;
  });
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

function checkAllKept(outcomes: { kind: string }[]): void {
  const bad = outcomes.filter((o) => o.kind !== 'kept').length;
  if (bad > 0) throw new Error(`${bad} events were not kept by the ${PIPELINE} pipeline`);
}

/** In-process figures: inline and through the worker pool. `rounds` passes over the corpus each. */
export async function measurePipelineThroughput(
  opts: { corpus?: string; rounds?: number; workers?: number } = {},
): Promise<PipelineBenchResult[]> {
  const lines = readLines(opts.corpus ?? DEFAULT_ACCESS_CORPUS);
  const rounds = opts.rounds ?? 10;
  const resources = new LazyResources();
  const catalog = new PipelineCatalog({ nowUs: () => Date.now() * 1000, random: Math.random, resources });
  const results: PipelineBenchResult[] = [];

  // Warm up: load GeoIP and user-agent data, compile, and let the JIT settle.
  checkAllKept(catalog.process(toEvents(lines), { pipeline: PIPELINE, limits: DEFAULT_EVENT_LIMITS }));
  {
    let events = 0;
    let seconds = 0;
    let cpu = 0;
    for (let r = 0; r < rounds; r++) {
      const batch = toEvents(lines);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      checkAllKept(catalog.process(batch, { pipeline: PIPELINE, limits: DEFAULT_EVENT_LIMITS }));
      seconds += (performance.now() - t0) / 1000;
      cpu += cpuSeconds(c0);
      events += batch.length;
    }
    results.push({
      name: 'inline',
      events,
      seconds,
      eventsPerSecond: events / seconds,
      cpuSeconds: cpu,
      detail: 'one thread',
    });
  }

  const workers = opts.workers ?? 2;
  const pool = new PipelineWorkerPool({
    size: workers,
    maxPendingEvents: 10_000_000,
    snapshot: () => catalog.snapshot(),
    geoip: () => resources.geoipSource(),
    nowOffsetUs: () => 0,
  });
  try {
    checkAllKept(await pool.run(toEvents(lines), PIPELINE, DEFAULT_EVENT_LIMITS));
    const batches = Array.from({ length: rounds }, () => toEvents(lines));
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    // Requests arrive concurrently, as from several shippers.
    const outcomes = await Promise.all(batches.map((b) => pool.run(b, PIPELINE, DEFAULT_EVENT_LIMITS)));
    const seconds = (performance.now() - t0) / 1000;
    for (const o of outcomes) checkAllKept(o);
    const events = batches.reduce((n, b) => n + b.length, 0);
    results.push({
      name: 'pool',
      events,
      seconds,
      eventsPerSecond: events / seconds,
      cpuSeconds: cpuSeconds(cpu),
      detail: `${workers} workers`,
    });
  } finally {
    await pool.close();
  }
  return results;
}

/**
 * End to end over HTTP against a running server (`url`): the corpus repeated `rounds` times as
 * text/plain bodies of `batch` lines to `/api/v1/ingest?pipeline=apache&refresh=false`, from
 * `clients` concurrent clients; 429s are retried after 100 ms as shippers do.
 */
export async function measurePipelineOverHttp(opts: {
  url: string;
  /** The pipeline to ask for (default `apache`; `_none` measures plain-text ingest without one). */
  pipeline?: string;
  corpus?: string;
  rounds?: number;
  clients?: number;
  batch?: number;
}): Promise<PipelineBenchResult> {
  const lines = readLines(opts.corpus ?? DEFAULT_ACCESS_CORPUS);
  const batch = opts.batch ?? 5000;
  const bodies: string[] = [];
  for (let r = 0; r < (opts.rounds ?? 20); r++)
    for (let i = 0; i < lines.length; i += batch) bodies.push(lines.slice(i, i + batch).join('\n'));
  const send = async (body: string): Promise<number> => {
    for (;;) {
      const res = await fetch(
        `${opts.url}/api/v1/ingest?stream=pipeline-bench&pipeline=${encodeURIComponent(opts.pipeline ?? PIPELINE)}&refresh=false`,
        {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body,
        },
      );
      const text = await res.text();
      if (res.status === 429) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (res.status !== 200) throw new Error(`ingest failed with ${res.status}: ${text.slice(0, 300)}`);
      const answer = JSON.parse(text) as { accepted: number; rejected_count: number };
      if (answer.rejected_count > 0) throw new Error(`ingest rejected events: ${text.slice(0, 300)}`);
      return answer.accepted;
    }
  };
  // Warm-up, one body per client at once so that every worker has compiled the pipeline and loaded
  // its data (GeoIP, user agents) before the clock starts.
  const clients = opts.clients ?? 4;
  await Promise.all(Array.from({ length: clients }, () => send(lines.slice(0, batch).join('\n'))));
  await postOk(`${opts.url}/_refresh`);
  let next = 0;
  let events = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < bodies.length) {
        const accepted = await send(bodies[next++]!);
        events += accepted;
      }
    }),
  );
  // The clock stops once every event is searchable: loading into the store is part of the work,
  // even when the store defers it while nobody searches.
  await postOk(`${opts.url}/_refresh`);
  const seconds = (performance.now() - t0) / 1000;
  return {
    name: 'http',
    events,
    seconds,
    eventsPerSecond: events / seconds,
    detail: `${opts.pipeline ?? PIPELINE}, ${opts.clients ?? 4} clients, ${batch} lines per request, until searchable`,
  };
}

/** POSTs without a body (`_refresh`, `_flush`), failing on any answer but 2xx. */
export async function postOk(url: string): Promise<void> {
  const res = await fetch(url, { method: 'POST' });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status}: ${text.slice(0, 300)}`);
}

/** Markdown table rows for the bench report. */
export function formatPipelineBench(results: readonly PipelineBenchResult[]): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  return [
    `| pipeline (${PIPELINE}: grok + date + geoip + user_agent + classify) | events | events/s | events per CPU-second |`,
    '|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} (${r.detail}) | ${fmt(r.events)} | ${fmt(r.eventsPerSecond)} | ${r.cpuSeconds ? fmt(r.events / r.cpuSeconds) : '—'} |`,
    ),
  ].join('\n');
}

/** `node dist/pipeline/bench.js [url]`: in-process figures, and the HTTP one when a server URL is given. */
async function main(): Promise<void> {
  const results = await measurePipelineThroughput();
  const url = process.argv[2];
  if (url !== undefined) results.push(await measurePipelineOverHttp({ url }));
  process.stdout.write(`${formatPipelineBench(results)}\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  });
}
