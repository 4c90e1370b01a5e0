import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CORPORA, CORPUS_KINDS, type CorpusKind } from './corpora/index.js';
import { DEFAULT_ES_VERSION } from './engines/elasticsearch.js';
import { runComparison } from './run-comparison.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const usage = `Usage: npm run bench:compare -- [--corpus demo|access|unstructured] [--events N] [options]

Side-by-side benchmark of Cairn and Elasticsearch on this machine, one after the other: the same
_bulk bodies from the same clients, then the same queries. Prints a markdown table (Cairn,
Elasticsearch, ratio) and writes the full report as JSON to bench-results/. Exits 1 when the two
systems answer any query differently.

  --corpus C        demo (default, 10,000,000 events), access or unstructured (5,000,000 each)
  --events N        corpus size
  --clients N       concurrent bulk clients (default 4)
  --batch N         events per _bulk request (default 5000)
  --runs N          timed runs per query, after one warm-up (default 20)
  --query-budget S  seconds of timed runs per query and system (default 60): a query slower
                    than S/N seconds gets fewer runs, shown as n= in its row (n=0: slower than S,
                    only its warm-up run was timed)
  --seed N          corpus seed (default 42)
  --es-version V    Elasticsearch integ-test zip version (default ${DEFAULT_ES_VERSION})
  --es-heap SIZE    Elasticsearch heap, -Xms = -Xmx (default 1g)
  --cache-dir DIR   generated corpora (default ${join(tmpdir(), 'cairn-bench-cache')})
  --corpora DIR     the shared corpora with loghub/ (default $CAIRN_CORPORA_DIR or ../shared/corpora)
  --out DIR         where the JSON goes (default bench-results)
  --keep            keep both data directories
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: 'demo' },
      events: { type: 'string' },
      clients: { type: 'string', default: '4' },
      batch: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '20' },
      'query-budget': { type: 'string', default: '60' },
      seed: { type: 'string', default: '42' },
      'es-version': { type: 'string', default: DEFAULT_ES_VERSION },
      'es-heap': { type: 'string', default: '1g' },
      'cache-dir': { type: 'string', default: join(tmpdir(), 'cairn-bench-cache') },
      corpora: {
        type: 'string',
        default: process.env['CAIRN_CORPORA_DIR'] ?? join(REPO, '..', 'shared', 'corpora'),
      },
      out: { type: 'string', default: join(REPO, 'bench-results') },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const problems: string[] = [];
  const corpus = values.corpus as CorpusKind;
  if (!CORPUS_KINDS.includes(corpus))
    problems.push(`--corpus must be one of ${CORPUS_KINDS.join(', ')}, got "${values.corpus}"`);
  const int = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n < 1)
      problems.push(`--${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  const events = int('events', values.events, CORPORA[corpus]?.defaultEvents ?? 0);
  const clients = int('clients', values.clients, 4);
  const batchSize = int('batch', values.batch, 5000);
  const runs = int('runs', values.runs, 20);
  const queryBudgetSeconds = int('query-budget', values['query-budget'], 60);
  const seed = int('seed', values.seed, 42);
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n\n${usage}`);
    return 2;
  }
  const report = await runComparison({
    corpus,
    events,
    clients,
    batchSize,
    runs,
    queryBudgetSeconds,
    seed,
    esVersion: values['es-version'],
    esHeap: values['es-heap'],
    cacheDir: resolve(values['cache-dir']),
    corporaDir: resolve(values.corpora),
    outDir: resolve(values.out),
    keep: values.keep,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`\n${report.markdown}\nReport: ${report.jsonPath}\n`);
  if (!report.agreement.ok) {
    process.stdout.write('\nThe systems disagree — the comparison is invalid:\n');
    for (const d of report.agreement.disagreements) process.stdout.write(`- ${d.query}: ${d.message}\n`);
    return 1;
  }
  process.stdout.write(`\nAll ${report.queries.length} queries agree on both systems.\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `bench:compare failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
