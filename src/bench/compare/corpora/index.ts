import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDemoCorpus } from '../../demo-corpus.js';
import { ensureGeneratedCorpus } from './corpus-files.js';

export const CORPUS_KINDS = ['demo', 'access', 'unstructured'] as const;
export type CorpusKind = (typeof CORPUS_KINDS)[number];

export interface CorpusInfo {
  kind: CorpusKind;
  description: string;
  defaultEvents: number;
  /** The indices the bulk bodies write to (Cairn: the streams). */
  indices: readonly string[];
}

export const CORPORA: Readonly<Record<CorpusKind, CorpusInfo>> = {
  demo: {
    kind: 'demo',
    description: 'the `cairn demo` mix: JSON application logs of 7 services and nginx access logs',
    defaultEvents: 10_000_000,
    // The names src/bench/demo-corpus.ts writes in its action lines.
    indices: ['app-logs', 'nginx-access'],
  },
  access: {
    kind: 'access',
    description: 'nginx and Apache combined-format access logs of 12 sites, parsed to ECS fields',
    defaultEvents: 5_000_000,
    indices: ['access-logs'],
  },
  unstructured: {
    kind: 'unstructured',
    description: 'raw lines of the 16 Loghub systems interleaved, with service, host and level',
    defaultEvents: 5_000_000,
    indices: ['loghub'],
  },
};

export interface CorpusRequest {
  kind: CorpusKind;
  events: number;
  batchSize: number;
  fromUs: number;
  toUs: number;
  seed: number;
  /** Cache of generated bulk bodies. */
  cacheDir: string;
  /** ../shared/corpora: the Loghub samples live in its `loghub/`. */
  corporaDir: string;
  workers: number;
}

/** Generates the corpus's bulk bodies (or reuses them from the cache) and returns the files in order. */
export async function ensureCorpus(req: CorpusRequest): Promise<string[]> {
  const spec = {
    events: req.events,
    batchSize: req.batchSize,
    fromUs: req.fromUs,
    toUs: req.toUs,
    seed: req.seed,
  };
  switch (req.kind) {
    case 'demo':
      return ensureDemoCorpus(req.cacheDir, spec, req.workers);
    case 'access':
    case 'unstructured':
      return ensureGeneratedCorpus(
        req.cacheDir,
        {
          ...spec,
          kind: req.kind,
          index: CORPORA[req.kind].indices[0]!,
          loghubDir: join(req.corporaDir, 'loghub'),
        },
        req.workers,
      );
  }
}

/** Values the queries need that depend on the data: a rare token and a busy /16 network. */
export interface CorpusProbes {
  rareToken: string;
  cidr: string | null;
}

/**
 * Picks the probe values from the middle batch of the corpus: the first order/payment/block id (a
 * token that occurs in a handful of events) and the /16 of the first IPv4 client.
 */
export async function probeCorpus(kind: CorpusKind, files: readonly string[]): Promise<CorpusProbes> {
  const file = files[Math.floor(files.length / 2)];
  if (!file) throw new Error('Cannot probe an empty corpus');
  const text = await readFile(file, 'utf8');
  const first = (re: RegExp) => re.exec(text)?.[1] ?? null;
  const ip = first(/"client":\{"ip":"(\d+\.\d+)\.\d+\.\d+"/);
  const cidr = ip === null ? null : `${ip}.0.0/16`;
  switch (kind) {
    case 'demo':
      return { rareToken: first(/\b(pi_\d{8})\b/) ?? `"${first(/\b(ORD-\d{7})\b/) ?? 'ORD-0000000'}"`, cidr };
    case 'access':
      return { rareToken: first(/"path":"\/[a-z0-9/]*orders\/(\d{7})"/) ?? '0000000', cidr };
    case 'unstructured':
      return { rareToken: first(/\b(blk_\d{12,})\b/) ?? 'blk_0', cidr: null };
  }
}
