import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { hash2, Rng } from '../../../demo/rng.js';
import { AccessLogGenerator } from './access-log.js';
import { LoghubGenerator } from './loghub.js';

/** Corpora generated here (the demo corpus comes from src/bench/demo-corpus.ts). */
export type GeneratedKind = 'access' | 'unstructured';

export interface GeneratedCorpusSpec {
  kind: GeneratedKind;
  events: number;
  batchSize: number;
  /** Inclusive, µs since the epoch. */
  fromUs: number;
  /** Exclusive. */
  toUs: number;
  seed: number;
  /** Index named in every bulk action line: the Elasticsearch index, Cairn's stream. */
  index: string;
  /** The Loghub samples, for `unstructured`. */
  loghubDir: string;
}

/** Bump when a generator changes, so cached corpora of the old shape are not reused. */
const GENERATOR_VERSION = 1;

export interface EventSource {
  build(us: number, r: Rng): Record<string, unknown>;
}

/** The generator of a corpus (loads the Loghub samples for `unstructured`). */
export function createEventSource(spec: GeneratedCorpusSpec): EventSource {
  switch (spec.kind) {
    case 'access':
      return new AccessLogGenerator(spec.seed);
    case 'unstructured':
      return LoghubGenerator.load(spec.loghubDir, spec.seed);
  }
}

/**
 * Writes the corpus as `_bulk` bodies, one file per batch (`batch-000000.ndjson`), in worker threads,
 * into a cache directory keyed by the spec, and returns the files in order. Batch b holds the events of
 * the b-th slice of the time window and is generated from its own seed, so slices are independent of
 * how they are spread over workers: same spec, same bytes.
 */
export async function ensureGeneratedCorpus(
  cacheRoot: string,
  spec: GeneratedCorpusSpec,
  workers: number,
): Promise<string[]> {
  const dir = join(
    cacheRoot,
    `${spec.kind}-${spec.events}-${spec.batchSize}-${spec.seed}-${spec.fromUs}-g${GENERATOR_VERSION}`,
  );
  const batches = Math.ceil(spec.events / spec.batchSize);
  if (!existsSync(join(dir, 'complete'))) {
    const tmp = `${dir}.tmp`;
    await rm(dir, { recursive: true, force: true });
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const perWorker = Math.ceil(batches / workers);
    await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const firstBatch = w * perWorker;
        const endBatch = Math.min(batches, firstBatch + perWorker);
        if (firstBatch >= endBatch) return Promise.resolve();
        return runWorker({ dir: tmp, spec, firstBatch, endBatch });
      }),
    );
    await writeFile(join(tmp, 'complete'), '');
    await rename(tmp, dir);
  }
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ndjson')).sort();
  return files.map((f) => join(dir, f));
}

interface SliceJob {
  dir: string;
  spec: GeneratedCorpusSpec;
  firstBatch: number;
  endBatch: number;
}

function runWorker(job: SliceJob): Promise<void> {
  return new Promise((resolve, reject) => {
    // Not `spec`/`files` at the top level: src/bench's own workers look for those.
    const worker = new Worker(new URL(import.meta.url), { workerData: { compareCorpusSlice: job } });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`corpus worker exited with ${code}`)),
    );
  });
}

/** The events of batch `b`, oldest first: the i-th event at a random point of the i-th time slot. */
export function* batchEvents(
  source: EventSource,
  spec: Pick<GeneratedCorpusSpec, 'events' | 'batchSize' | 'fromUs' | 'toUs' | 'seed'>,
  b: number,
): Generator<Record<string, unknown>> {
  const batches = Math.ceil(spec.events / spec.batchSize);
  const count = Math.min(spec.batchSize, spec.events - b * spec.batchSize);
  const span = (spec.toUs - spec.fromUs) / batches;
  const start = spec.fromUs + b * span;
  const slot = span / count;
  const r = new Rng(hash2(spec.seed, b));
  for (let i = 0; i < count; i++) yield source.build(Math.floor(start + (i + r.float()) * slot), r);
}

async function writeSlice(job: SliceJob): Promise<void> {
  const source = createEventSource(job.spec);
  const action = JSON.stringify({ create: { _index: job.spec.index } });
  for (let b = job.firstBatch; b < job.endBatch; b++) {
    const lines: string[] = [];
    for (const event of batchEvents(source, job.spec, b)) lines.push(action, JSON.stringify(event));
    await writeFile(join(job.dir, `batch-${String(b).padStart(6, '0')}.ndjson`), `${lines.join('\n')}\n`);
  }
}

const job = !isMainThread
  ? (workerData as { compareCorpusSlice?: SliceJob } | null)?.compareCorpusSlice
  : undefined;
if (job) await writeSlice(job);
