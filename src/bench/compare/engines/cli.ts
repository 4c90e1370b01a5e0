import { parseArgs } from 'node:util';
import { DEFAULT_ES_VERSION, fetchElasticsearch, startElasticsearch } from './elasticsearch.js';

const usage = `Usage: scripts/engines/elasticsearch.sh fetch|start [--version V] [--heap SIZE] [--port N]

  fetch   download (once, with Maven) and unpack Elasticsearch; print its home directory
  start   fetch, then run a single-node Elasticsearch on 127.0.0.1 until Ctrl-C (SIGTERM stops it cleanly)
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      version: { type: 'string', default: DEFAULT_ES_VERSION },
      heap: { type: 'string', default: '1g' },
      port: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || (command !== 'fetch' && command !== 'start')) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const home = await fetchElasticsearch({ version: values.version, log });
  if (command === 'fetch') {
    process.stdout.write(`${home}\n`);
    return 0;
  }
  const node = await startElasticsearch({
    home,
    heap: values.heap,
    ...(values.port ? { port: Number(values.port) } : {}),
    log,
  });
  process.stdout.write(`${node.url}\n`);
  log(`Data in ${node.instanceDir}; Ctrl-C stops Elasticsearch and removes it.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await node.destroy();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
