import { readFile } from 'node:fs/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface SendJob {
  url: string;
  files: string[];
}

export interface SendResult {
  events: number;
  bytes: number;
  requests: number;
  retries: number;
  latenciesMs: number[];
}

/** One client: posts its bulk files one after the other (keep-alive), retrying 429s as shippers do. */
export async function sendFiles(job: SendJob): Promise<SendResult> {
  const result: SendResult = { events: 0, bytes: 0, requests: 0, retries: 0, latenciesMs: [] };
  for (const file of job.files) {
    const body = await readFile(file);
    for (;;) {
      const started = performance.now();
      const res = await fetch(`${job.url}/_bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      });
      const text = await res.text();
      if (res.status === 429) {
        result.retries++;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (res.status !== 200)
        throw new Error(`bulk request failed with ${res.status}: ${text.slice(0, 500)}`);
      const parsed = JSON.parse(text) as { errors: boolean; items: unknown[] };
      if (parsed.errors) throw new Error(`bulk request had item errors: ${text.slice(0, 500)}`);
      result.latenciesMs.push(performance.now() - started);
      result.events += parsed.items.length;
      result.bytes += body.length;
      result.requests++;
      break;
    }
  }
  return result;
}

/** Runs `clients` senders in worker threads, files dealt round-robin. */
export function sendConcurrently(url: string, files: string[], clients: number): Promise<SendResult[]> {
  return Promise.all(
    Array.from({ length: clients }, (_, i) => {
      const mine = files.filter((_, j) => j % clients === i);
      return new Promise<SendResult>((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), {
          workerData: { url, files: mine } satisfies SendJob,
        });
        worker.once('message', (r: SendResult) => resolve(r));
        worker.once('error', reject);
      });
    }),
  );
}

if (!isMainThread && parentPort && workerData && (workerData as SendJob).files) {
  parentPort.postMessage(await sendFiles(workerData as SendJob));
}
