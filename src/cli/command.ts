/** What a CLI command may touch; injected so commands are testable in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/** One `cairn <name>` subcommand. Listed explicitly in `commands/index.ts`. */
export interface Command {
  name: string;
  /** One line for `cairn --help`. */
  summary: string;
  /** Full text for `cairn <name> --help`. */
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** The server URL commands talk to: --url, then CAIRN_URL, then the default port on localhost. */
export function serverUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return (flag ?? env['CAIRN_URL'] ?? 'http://localhost:9280').replace(/\/+$/, '');
}
