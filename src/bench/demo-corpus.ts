import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { demoEventKind, generateWindow } from '../demo/index.js';

export interface CorpusSpec {
  events: number;
  batchSize: number;
  fromUs: number;
  toUs: number;
  seed: number;
}

/** Where a corpus's bulk bodies are cached: generated once, reused by later runs. */
export function corpusDir(cacheRoot: string, spec: CorpusSpec): string {
  return join(cacheRoot, `demo-${spec.events}-${spec.batchSize}-${spec.seed}-${spec.fromUs}`);
}

/**
 * Writes the demo corpus as Elasticsearch `_bulk` bodies, one file per batch (`batch-000001.ndjson`),
 * generating slices in parallel worker threads. Returns the batch files in order.
 */
export async function ensureDemoCorpus(
  cacheRoot: string,
  spec: CorpusSpec,
  workers: number,
): Promise<string[]> {
  const dir = corpusDir(cacheRoot, spec);
  const batches = Math.ceil(spec.events / spec.batchSize);
  if (!existsSync(join(dir, 'complete'))) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(`${dir}.tmp`, { recursive: true });
    const perWorker = Math.ceil(batches / workers);
    await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const first = w * perWorker;
        const last = Math.min(batches, first + perWorker);
        if (first >= last) return Promise.resolve();
        return runWorker({ dir: `${dir}.tmp`, spec, firstBatch: first, endBatch: last });
      }),
    );
    await writeFile(join(`${dir}.tmp`, 'complete'), '');
    await rename(`${dir}.tmp`, dir);
  }
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ndjson')).sort();
  return files.map((f) => join(dir, f));
}

interface SliceJob {
  dir: string;
  spec: CorpusSpec;
  firstBatch: number;
  endBatch: number;
}

function runWorker(job: SliceJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`corpus worker exited with ${code}`)),
    );
  });
}

/** Generates batches [firstBatch, endBatch): each slice of time has its own seed so slices are independent. */
export async function writeSlice(job: SliceJob): Promise<void> {
  const { spec } = job;
  const batches = Math.ceil(spec.events / spec.batchSize);
  const span = (spec.toUs - spec.fromUs) / batches;
  for (let b = job.firstBatch; b < job.endBatch; b++) {
    const count = Math.min(spec.batchSize, spec.events - b * spec.batchSize);
    const lines: string[] = [];
    for (const event of generateWindow({
      fromUs: Math.floor(spec.fromUs + b * span),
      toUs: Math.floor(spec.fromUs + (b + 1) * span),
      count,
      seed: spec.seed + b,
    })) {
      lines.push(demoEventKind(event) === 'nginx' ? NGINX_ACTION : APP_ACTION, JSON.stringify(event));
    }
    await writeFile(join(job.dir, `batch-${String(b).padStart(6, '0')}.ndjson`), `${lines.join('\n')}\n`);
  }
}

const APP_ACTION = JSON.stringify({ create: { _index: 'app-logs' } });
const NGINX_ACTION = JSON.stringify({ create: { _index: 'nginx-access' } });

const { isMainThread, workerData } = await import('node:worker_threads');
if (!isMainThread && workerData && (workerData as SliceJob).spec) {
  await writeSlice(workerData as SliceJob);
}
