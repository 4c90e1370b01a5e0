import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatPipelineBench,
  measurePipelineOverHttp,
  measurePipelineThroughput,
  postOk,
} from '../pipeline/bench.js';
import { sendConcurrently } from './bulk-sender.js';
import { ensureDemoCorpus } from './demo-corpus.js';
import { formatQueryBench, measureQueryCompile } from './query-bench.js';
import { startServerProcess } from './server-process.js';
import { formatBytes, formatNumber, percentile } from './stats.js';

const usage = `Usage: npm run bench -- [--events N] [--clients N] [--batch N] [--runs N] [--cache-dir DIR] [--keep]

Ingests the cairn demo corpus over HTTP _bulk into a fresh server process, then times the core
queries. Prints events/s, bytes on disk per event, the server's peak RSS, and query p50/p95.
Targets (2 cores): >= 100,000 events/s, <= 40 bytes/event, <= 1 GB RSS, each query p50 <= 300 ms
(the pipes query: <= 500 ms); parse + compile of a query well under 1 ms.
`;

interface QueryCase {
  name: string;
  run: (url: string) => Promise<unknown>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '10000000' },
      clients: { type: 'string', default: '4' },
      batch: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '20' },
      'cache-dir': { type: 'string', default: join(tmpdir(), 'cairn-bench-cache') },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  const events = Number(values.events);
  const clients = Number(values.clients);
  const batchSize = Number(values.batch);
  const runs = Number(values.runs);
  // A fixed 24 h window ending at a whole hour, so the cached corpus stays valid across runs today.
  const toUs = Math.floor(Date.now() / 3_600_000) * 3_600_000_000;
  const fromUs = toUs - 86_400_000_000;
  log(`Generating (or reusing) ${formatNumber(events)} demo events in ${values['cache-dir']} …`);
  const genStart = performance.now();
  const files = await ensureDemoCorpus(
    resolve(values['cache-dir']),
    { events, batchSize, fromUs, toUs, seed: 42 },
    2,
  );
  log(`Corpus ready: ${files.length} bulk bodies (${((performance.now() - genStart) / 1000).toFixed(1)} s)`);

  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-bench-data-'));
  const server = await startServerProcess({ dataDir, args: ['--log-level', 'info'] });
  try {
    log(`Server pid ${server.pid} at ${server.url}; ingesting with ${clients} clients …`);
    const t0 = performance.now();
    const results = await sendConcurrently(server.url, files, clients);
    const seconds = (performance.now() - t0) / 1000;
    const ingested = results.reduce((n, r) => n + r.events, 0);
    const bytes = results.reduce((n, r) => n + r.bytes, 0);
    const retries = results.reduce((n, r) => n + r.retries, 0);
    const latencies = results.flatMap((r) => r.latenciesMs);
    // Acknowledged means durable; the store may still be loading a backlog into DuckDB.
    const t1 = performance.now();
    await postOk(`${server.url}/_refresh`);
    const searchableSeconds = (performance.now() - t1) / 1000;
    const ingestRss = server.peakRssBytes();

    await postOk(`${server.url}/_flush`);
    const stats = (await getJson(`${server.url}/api/v1/streams`)) as {
      streams: { events: number; bytes: number }[];
    };
    const stored = stats.streams.reduce((n, s) => n + s.events, 0);
    const diskBytes = stats.streams.reduce((n, s) => n + s.bytes, 0);

    const range = {
      from: new Date(fromUs / 1000).toISOString(),
      to: new Date(toUs / 1000 - 1).toISOString(),
    };
    const rare = await rareToken(files[Math.floor(files.length / 2)]!);
    const queries: QueryCase[] = [
      {
        name: `rare token "${rare}" over 24 h`,
        run: (u) => getJson(`${u}/api/v1/search?${qs({ q: `"${rare}"`, ...range, limit: '100' })}`),
      },
      {
        name: 'level:ERROR + 1 m histogram over 24 h',
        run: (u) =>
          postJson(`${u}/api/v1/aggregate`, {
            q: 'level:ERROR',
            ...range,
            aggs: { h: { date_histogram: { fixed_interval: '1m' } } },
          }),
      },
      {
        name: 'top 10 services',
        run: (u) =>
          postJson(`${u}/api/v1/aggregate`, {
            ...range,
            aggs: { s: { terms: { field: 'service', size: 10 } } },
          }),
      },
      {
        name: 'three filters + stats by (pipes)',
        run: (u) =>
          getJson(
            `${u}/api/v1/search?${qs({
              q: 'log_type:nginx AND http.request.method:GET AND http.response.status_code:>=400 | stats count(), avg(http.response.time_ms) as avg_ms, p95(http.response.time_ms) as p95_ms by service, url.path | sort -count | head 10',
              ...range,
            })}`,
          ),
      },
      {
        name: 'p95 response time by service',
        run: (u) =>
          postJson(`${u}/api/v1/aggregate`, {
            ...range,
            aggs: {
              s: {
                terms: { field: 'service', size: 20 },
                aggs: { p: { percentiles: { field: 'http.response.time_ms', percents: [95] } } },
              },
            },
          }),
      },
    ];
    const rows: string[][] = [];
    for (const q of queries) {
      await q.run(server.url); // warm
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        await q.run(server.url);
        samples.push(performance.now() - s);
      }
      rows.push([q.name, percentile(samples, 50).toFixed(1), percentile(samples, 95).toFixed(1)]);
    }
    const peakRss = server.peakRssBytes();
    const compile = formatQueryBench(measureQueryCompile());
    log('Measuring pipelines (access-log corpus through grok + date + geoip + user_agent + classify) …');
    const pipelines = formatPipelineBench([
      ...(await measurePipelineThroughput({ rounds: 3 })),
      await measurePipelineOverHttp({ url: server.url, rounds: 20 }),
    ]);

    const out = [
      '',
      `## cairn bench — ${formatNumber(events)} demo events, ${clients} clients × ${batchSize}-event _bulk`,
      '',
      '| figure | value | target |',
      '|---|---|---|',
      `| ingest rate | ${formatNumber(ingested / seconds)} events/s (${formatNumber(bytes / seconds / 1e6, 1)} MB/s) | >= 100,000 events/s |`,
      `| every event searchable | ${searchableSeconds.toFixed(1)} s after the last acknowledgement (${formatNumber(ingested / (seconds + searchableSeconds))} events/s until searchable) | |`,
      `| bulk request latency p50 / p95 | ${percentile(latencies, 50).toFixed(0)} / ${percentile(latencies, 95).toFixed(0)} ms | |`,
      `| 429 retries | ${retries} | |`,
      `| events stored | ${formatNumber(stored)} | ${formatNumber(events)} |`,
      `| bytes on disk per event | ${(diskBytes / Math.max(1, stored)).toFixed(1)} (${formatBytes(diskBytes)}) | <= 40 |`,
      `| peak RSS during ingest / overall | ${formatBytes(ingestRss)} / ${formatBytes(peakRss)} | <= 1 GB |`,
      '',
      '| query (hot, n=' + runs + ') | p50 ms | p95 ms |',
      '|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      '',
      '| query language | time | target |',
      '|---|---|---|',
      compile,
      '',
      pipelines,
      '(target for http: >= 60,000 events/s)',
      '',
    ].join('\n');
    process.stdout.write(out);
    if (stored !== events) throw new Error(`stored ${stored} events, expected ${events}`);
  } finally {
    await server.stop();
    if (!values.keep) await rm(dataDir, { recursive: true, force: true });
    else log(`Kept data in ${dataDir}`);
  }
}

/** A client IP from the middle of the corpus: a token that occurs in only a few messages. */
async function rareToken(file: string): Promise<string> {
  const text = await readFile(file, 'utf8');
  const m = /"client":\{"ip":"(\d+\.\d+\.\d+\.\d+)"/.exec(text);
  return m?.[1] ?? 'nonexistent-token';
}

function qs(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}: ${await res.text()}`);
  return res.json();
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url} → ${res.status}: ${await res.text()}`);
  return res.json();
}

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
