/**
 * Micro-benchmark: parse + compile of typical queries to DuckDB SQL, in µs per query averaged over
 * many runs (issue 3: "well under a millisecond"). Pure CPU: no database. The main bench calls
 * `measureQueryCompile()`; run alone with `npx tsx src/bench/query-bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import type { FieldType } from '../model/event.js';
import { parseQuery, parseQueryWithPipes } from '../query/index.js';
import { Catalog, type Partition } from '../store/duckdb/catalog.js';
import { compileWhere } from '../store/duckdb/compile-where.js';
import { compilePipeline } from '../store/duckdb/pipes/compile-pipes.js';
import { PartitionResolver } from '../store/duckdb/query-source.js';

export const TYPICAL_SEARCH =
  'level:ERROR AND service:payment-* AND http.response.status_code:>=500 AND NOT "health check"';
export const TYPICAL_PIPES = `${TYPICAL_SEARCH} | where http.response.time_ms > 250 | stats count(), p95(http.response.time_ms) as p95 by service, host | sort -count | head 10`;

export interface QueryBenchResult {
  name: string;
  query: string;
  runs: number;
  /** Mean wall time of parse + compile, µs. */
  microsPerQuery: number;
}

/** Times parse + compile of a plain search and of a search with pipes (10,000 runs each by default). */
export function measureQueryCompile(options: { runs?: number } = {}): QueryBenchResult[] {
  const runs = options.runs ?? 10_000;
  const resolver = benchResolver();
  const range = { fromUs: 1_700_000_000_000_000, toUs: 1_700_086_400_000_000 };
  const nowUs = range.toUs;
  const search = () => {
    const node = parseQuery(TYPICAL_SEARCH);
    if (node) compileWhere(node, { resolver, params: [], nowUs });
  };
  const pipes = () => {
    const parsed = parseQueryWithPipes(TYPICAL_PIPES);
    compilePipeline({
      search: parsed.search,
      pipes: parsed.pipes,
      from: '"p_1" AS e',
      resolver,
      range,
      nowUs,
      rowLimit: 10_000,
    });
  };
  return [
    { name: 'search: parse + compile', query: TYPICAL_SEARCH, runs, microsPerQuery: time(search, runs) },
    {
      name: 'search with pipes: parse + compile',
      query: TYPICAL_PIPES,
      runs,
      microsPerQuery: time(pipes, runs),
    },
  ];
}

/** Markdown table rows, for the main bench's report. */
export function formatQueryBench(results: readonly QueryBenchResult[]): string {
  return results
    .map(
      (r) =>
        `| ${r.name} | ${r.microsPerQuery.toFixed(1)} µs (mean of ${r.runs.toLocaleString('en-US')}) | < 1,000 µs |`,
    )
    .join('\n');
}

function time(fn: () => void, runs: number): number {
  for (let i = 0; i < Math.min(1000, runs); i++) fn(); // warm up the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1000 / runs;
}

/** A resolver over one partition with the columns of the demo corpus' access and application logs. */
function benchResolver(): PartitionResolver {
  const fields: [string, FieldType][] = [
    ['http.request.method', 'string'],
    ['http.response.status_code', 'number'],
    ['http.response.time_ms', 'number'],
    ['http.response.bytes', 'number'],
    ['url.path', 'string'],
    ['client.ip', 'ip'],
    ['user.id', 'string'],
    ['user_agent.original', 'string'],
    ['trace.id', 'string'],
    ['error.message', 'string'],
    ['error.stack_trace', 'string'],
    ['error.type', 'string'],
    ['kubernetes.pod.name', 'string'],
    ['cached', 'boolean'],
    ['event.created', 'timestamp'],
  ];
  const catalog = new Catalog(1000);
  for (const [name, type] of fields) catalog.fields.set(name, { name, type, list: false });
  const partition: Partition = {
    table: 'p_1',
    stream: 'app',
    dayUs: 1_700_000_000_000_000,
    minUs: 1_700_000_000_000_000,
    maxUs: 1_700_086_400_000_000,
    rows: 1,
    columns: new Set(catalog.fields.keys()),
    inDb: true,
    textChars: new Map(),
    textRows: 0,
  };
  return new PartitionResolver(catalog, [partition], new Set(['labels.team']));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(
    `| query | parse + compile | target |\n|---|---|---|\n${formatQueryBench(measureQueryCompile())}\n`,
  );
}
