import { parseArgs } from 'node:util';
import { isCairnError } from '../../model/errors.js';
import { buildApp, CAIRN_VERSION } from '../../server/app.js';
import { listSetting, loadConfig, SETTINGS } from '../../server/config.js';
import { DuckDBStore, type RefreshInfo } from '../../store/duckdb/duckdb-store.js';
import type { Command } from '../command.js';

const usage = `Usage: cairn serve [options]

Runs the Cairn server on the embedded store: ingest (/api/v1/ingest, Elasticsearch /_bulk),
search and analytics (/api/v1/*), metrics (/metrics) and API docs (/docs).

Options:
  --config FILE              cairn.yaml to read (default: ./cairn.yaml when present; env CAIRN_CONFIG)
${SETTINGS.map((s) => `  ${`${s.flag} VALUE`.padEnd(27)}${s.doc} (env ${s.env})`).join('\n')}
  -h, --help                 Show this help

Precedence: flags, then environment variables, then cairn.yaml, then defaults.
`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the Cairn server (ingest, search, API) on the embedded store',
  usage,
  async run(args, io) {
    const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    };
    for (const s of SETTINGS) options[s.flag.slice(2)] = { type: 'string' };
    let values: Record<string, string | boolean | undefined>;
    try {
      ({ values } = parseArgs({ args, options, allowPositionals: false }) as {
        values: Record<string, string | boolean | undefined>;
      });
    } catch (err) {
      io.stderr.write(`cairn serve: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    if (values['help']) {
      io.stdout.write(usage);
      return 0;
    }
    const flags: Record<string, string | undefined> = {};
    for (const s of SETTINGS) flags[s.flag.slice(2)] = values[s.flag.slice(2)] as string | undefined;
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig({
        env: io.env,
        flags,
        ...(typeof values['config'] === 'string' ? { file: values['config'] } : {}),
      });
    } catch (err) {
      io.stderr.write(`cairn serve: ${(err as Error).message}\n`);
      return 2;
    }
    let store: DuckDBStore;
    // The app (and its metrics and logger) exists only once the store is open: report loads through this.
    let onRefresh: ((info: RefreshInfo) => void) | undefined;
    try {
      store = await DuckDBStore.open({
        onRefresh: (info) => onRefresh?.(info),
        dataDir: config.dataDir,
        maxColumns: config.store.maxColumns,
        refreshIntervalMs: config.store.refreshIntervalMs,
        refreshRows: config.store.refreshRows,
        maxUnloadedRows: config.store.maxUnloadedRows,
        searchIdleAfterMs: config.store.searchIdleAfterMs,
        memoryLimitMb: config.store.memoryLimitMb,
        rollupFields: listSetting(config.store.rollupFields),
        rollupMemoryRows: config.store.rollupMemoryRows,
      });
    } catch (err) {
      io.stderr.write(startFailure(err));
      return 1;
    }
    let built: Awaited<ReturnType<typeof buildApp>>;
    try {
      built = await buildApp({
        config,
        store,
        logger: {
          level: config.logLevel,
          base: { service: 'cairn' },
          timestamp: () => `,"time":"${new Date().toISOString()}"`,
        },
      });
    } catch (err) {
      // Bad configuration found while starting (a pipeline file that does not parse, …): say what,
      // and leave the data directory closed cleanly.
      io.stderr.write(startFailure(err));
      await store.close();
      return 1;
    }
    const { app, ctx, shutdown } = built;
    onRefresh = (info) => {
      ctx.metrics.refreshDuration.observe(info.durationMs / 1000);
      ctx.metrics.eventsLoaded.inc(info.rows);
      app.log.debug(
        { events: info.rows, segments: info.segments, durationMs: Math.round(info.durationMs) },
        'refresh loaded events',
      );
    };
    try {
      await app.listen({ host: config.host, port: config.port });
    } catch (err) {
      io.stderr.write(
        `cairn serve: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}\n`,
      );
      await store.close();
      return 1;
    }
    const stats = await store.stats();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    app.log.info(
      {
        event: 'listening',
        version: CAIRN_VERSION,
        host: config.host,
        port,
        dataDir: config.dataDir,
        events: stats.events,
        partitions: stats.partitions,
      },
      `Cairn ${CAIRN_VERSION} listening on http://${config.host}:${port} (data in ${config.dataDir})`,
    );
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    app.log.info('Shutting down: finishing requests and writing accepted events');
    await shutdown();
    app.log.info('Stopped cleanly');
    return 0;
  },
};

/** The one line `cairn serve` prints when it cannot start: what is wrong, without a stack trace. */
function startFailure(err: unknown): string {
  return `cairn serve: ${isCairnError(err) ? err.message : String(err)}\n`;
}
