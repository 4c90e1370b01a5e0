import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { compareAnswers, type Disagreement } from './agreement.js';
import { CORPORA, type CorpusKind, ensureCorpus, probeCorpus } from './corpora/index.js';
import { fetchElasticsearch } from './engines/elasticsearch.js';
import { HttpClient } from './http.js';
import { measureSystem, type SystemMeasurement } from './measure.js';
import { type CompareQuery, queriesFor } from './queries.js';
import { buildTable, renderTable, type TableRow } from './report.js';
import { startCairn } from './systems/cairn.js';
import { startElasticsearchSystem } from './systems/elasticsearch.js';
import type { SystemUnderTest, TimeWindow } from './systems/system.js';

export interface CompareOptions {
  corpus: CorpusKind;
  events: number;
  clients: number;
  batchSize: number;
  runs: number;
  /** Seconds of timed runs per query and system; slower queries get fewer runs. */
  queryBudgetSeconds: number;
  seed: number;
  esVersion: string;
  esHeap: string;
  /** Generated bulk bodies are cached here. */
  cacheDir: string;
  /** ../shared/corpora (the Loghub samples). */
  corporaDir: string;
  /** The JSON report goes here. */
  outDir: string;
  /** Keep both data directories (their paths are logged). */
  keep: boolean;
  log: (message: string) => void;
}

export interface ComparisonReport {
  startedAt: string;
  finishedAt: string;
  commit: string;
  machine: { cpus: number; memoryBytes: number; node: string };
  corpus: {
    kind: CorpusKind;
    description: string;
    events: number;
    batchSize: number;
    clients: number;
    seed: number;
    from: string;
    to: string;
  };
  elasticsearch: { version: string; heap: string; distributionZipBytes: number | null };
  queries: CompareQuery[];
  systems: { cairn: SystemMeasurement; elasticsearch: SystemMeasurement };
  agreement: { ok: boolean; disagreements: Disagreement[] };
  table: TableRow[];
  markdown: string;
  jsonPath: string;
}

/**
 * Runs the side-by-side benchmark: generates (or reuses) the corpus, then for Cairn and then
 * Elasticsearch — one at a time, on the same machine — starts a fresh server, sends it the same
 * `_bulk` bodies with the same clients, measures, runs the query set, and stops it. Writes the
 * report as JSON to `outDir` and returns it; `agreement.ok` is false when any query's answers differ.
 */
export async function runComparison(opts: CompareOptions): Promise<ComparisonReport> {
  const startedAt = new Date();
  const { log } = opts;
  // A fixed 24 h window ending at a whole hour, so a cached corpus stays valid for the rest of the hour.
  const toUs = Math.floor(Date.now() / 3_600_000) * 3_600_000_000;
  const window: TimeWindow = { fromUs: toUs - 86_400_000_000, toUs };
  const info = CORPORA[opts.corpus];

  log(`Corpus ${opts.corpus}: ${opts.events} events (${info.description}) in ${opts.cacheDir} …`);
  const t0 = performance.now();
  const files = await ensureCorpus({
    kind: opts.corpus,
    events: opts.events,
    batchSize: opts.batchSize,
    fromUs: window.fromUs,
    toUs: window.toUs,
    seed: opts.seed,
    cacheDir: opts.cacheDir,
    corporaDir: opts.corporaDir,
    workers: Math.max(1, Math.min(2, cpus().length)),
  });
  log(`Corpus ready: ${files.length} bulk bodies (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const probes = await probeCorpus(opts.corpus, files);
  const queries = queriesFor(opts.corpus, probes);

  const esHome = await fetchElasticsearch({ version: opts.esVersion, log });
  const http = new HttpClient();
  const measureOpts = {
    files,
    events: opts.events,
    clients: opts.clients,
    runs: opts.runs,
    queryBudgetSeconds: opts.queryBudgetSeconds,
    queries,
    log,
  };

  let current: SystemUnderTest | null = null;
  const onSignal = () => {
    log('Interrupted: stopping the server under test …');
    void (current?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const measure = async (start: () => Promise<SystemUnderTest>): Promise<SystemMeasurement> => {
    const sut = await start();
    current = sut;
    let result: SystemMeasurement;
    try {
      result = await measureSystem(sut, measureOpts);
    } catch (err) {
      // Report what went wrong, not a complaint of the shutdown that follows it.
      await sut
        .stop()
        .catch((stopErr: unknown) => log(`${sut.label} did not stop cleanly: ${String(stopErr)}`));
      if (!opts.keep) await sut.destroy().catch(() => {});
      throw err;
    } finally {
      current = null;
    }
    await sut.stop();
    if (opts.keep) log(`${sut.label} data kept in ${sut.dataDir}`);
    else await sut.destroy();
    return result;
  };
  let cairn: SystemMeasurement;
  let elasticsearch: SystemMeasurement;
  try {
    cairn = await measure(() => startCairn({ http, window }));
    elasticsearch = await measure(() =>
      startElasticsearchSystem({ http, window, home: esHome, heap: opts.esHeap, indices: info.indices, log }),
    );
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    http.close();
  }

  const disagreements = compareAnswers(cairn, elasticsearch);
  const table = buildTable(cairn, elasticsearch, queries, opts.runs);
  const finishedAt = new Date();
  const header = [
    `## Cairn vs Elasticsearch ${elasticsearch.version} — ${opts.corpus} corpus, ${opts.events.toLocaleString('en-US')} events`,
    '',
    `${opts.clients} clients × ${opts.batchSize}-event _bulk bodies (${(cairn.bulkBytes / 1e6).toFixed(0)} MB), ` +
      `queries hot, n=${opts.runs} (fewer where a query's runs would exceed ${opts.queryBudgetSeconds} s: see the n= in its row); ${cpus().length} cores; Elasticsearch heap ${opts.esHeap}; commit ${gitCommit()}.`,
    '',
    '',
  ].join('\n');
  const markdown = `${header}${renderTable(table)}\n`;
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const jsonPath = join(opts.outDir, `compare-${opts.corpus}-${opts.events}-${stamp}.json`);
  const report: ComparisonReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    commit: gitCommit(),
    machine: { cpus: cpus().length, memoryBytes: totalmem(), node: process.version },
    corpus: {
      kind: opts.corpus,
      description: info.description,
      events: opts.events,
      batchSize: opts.batchSize,
      clients: opts.clients,
      seed: opts.seed,
      from: new Date(window.fromUs / 1000).toISOString(),
      to: new Date(window.toUs / 1000).toISOString(),
    },
    elasticsearch: {
      version: elasticsearch.version,
      heap: opts.esHeap,
      distributionZipBytes: fileSize(join(dirname(esHome), `elasticsearch-${opts.esVersion}.zip`)),
    },
    queries,
    systems: { cairn, elasticsearch },
    agreement: { ok: disagreements.length === 0, disagreements },
    table,
    markdown,
    jsonPath,
  };
  await mkdir(opts.outDir, { recursive: true });
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}
