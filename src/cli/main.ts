import type { CliIo, Command } from './command.js';
import { demoCommand } from './commands/demo.js';
import { ingestCommand } from './commands/ingest.js';
import { searchCommand } from './commands/search.js';
import { serveCommand } from './commands/serve.js';

/** Every `cairn` subcommand, in help order. */
export const COMMANDS: readonly Command[] = [serveCommand, ingestCommand, searchCommand, demoCommand];

function topUsage(): string {
  return `Usage: cairn <command> [options]

Cairn: log analytics in one service. Ship logs with Filebeat, Logstash, Vector, Fluent Bit or any
Elasticsearch client, then search and analyse them.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Run "cairn <command> --help" for a command's options.
`;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topUsage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`cairn: unknown command "${name}"\n\n${topUsage()}`);
    return 2;
  }
  return command.run(rest, io);
}

/** Entry point used by bin/cairn.js: wires process streams and signals, then exits with the code. */
export async function main(argv: string[]): Promise<void> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      process.stderr.write(`cairn: second ${sig}, exiting now\n`);
      process.exit(130);
    }
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  });
  process.exitCode = code;
  // Let stdout drain, then leave even if a library left a handle open.
  setImmediate(() => process.exit(code));
}
