import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { chown, cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest `integ-test-zip` 8.x on Maven Central: 8.x runs on Java 17, 9.x needs Java 21. */
export const DEFAULT_ES_VERSION = '8.19.21';
/** Elasticsearch refuses to run as root; when we are root it runs as this (created if missing). */
export const DEFAULT_ES_USER = 'cairn-es';

const FETCH_SCRIPT = fileURLToPath(
  new URL('../../../../scripts/engines/fetch-elasticsearch.sh', import.meta.url),
);

export type Log = (message: string) => void;

/**
 * Downloads (once) and unpacks Elasticsearch's integ-test zip through `scripts/engines/fetch-elasticsearch.sh`
 * (Maven `dependency:copy` from Maven Central) and returns its home directory in the engine cache.
 */
export async function fetchElasticsearch(opts: { version?: string; log?: Log } = {}): Promise<string> {
  const version = opts.version ?? DEFAULT_ES_VERSION;
  const child = spawn('bash', [FETCH_SCRIPT, version], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const line of d.split('\n')) if (line.trim()) opts.log?.(line.trim());
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    throw new Error(`Cannot fetch Elasticsearch ${version}: ${FETCH_SCRIPT} exited with ${code}\n${err}`);
  }
  const home = out.trim().split('\n').pop() ?? '';
  if (!existsSync(join(home, 'bin', 'elasticsearch'))) {
    throw new Error(`Cannot fetch Elasticsearch ${version}: ${home} has no bin/elasticsearch`);
  }
  return home;
}

export interface StartElasticsearchOptions {
  /** From `fetchElasticsearch`. */
  home: string;
  /** JVM heap, fixed (`-Xms` = `-Xmx`). Default `1g`. */
  heap?: string;
  /** Holds config/, data/, logs/ and tmp/; a fresh temp directory when absent. */
  instanceDir?: string;
  /** HTTP port on 127.0.0.1; a free one when absent. */
  port?: number;
  /** `ES_JAVA_HOME`; default: the `java` on the PATH. Elasticsearch 8 needs Java 17 or later. */
  javaHome?: string;
  /** Extra `-E name=value` settings. */
  settings?: Record<string, string>;
  timeoutMs?: number;
  log?: Log;
}

export interface ElasticsearchNode {
  url: string;
  port: number;
  version: string;
  /** The server JVM (what to measure), not the launcher JVM that started it. */
  pid: number;
  launcherPid: number;
  instanceDir: string;
  dataDir: string;
  /** Who the server runs as. */
  user: string;
  output(): string;
  /** SIGTERM to the launcher, which shuts the server down cleanly; waits for both to exit. */
  stop(): Promise<void>;
  /** `stop()`, then removes the instance directory. */
  destroy(): Promise<void>;
}

/**
 * Starts a single-node Elasticsearch on 127.0.0.1 with a fixed heap, security off and the disk
 * watermarks off, and resolves once the cluster is green. Refuses to run as root, as Elasticsearch
 * does, so as root it runs as an unprivileged user (`CAIRN_ES_USER`, default `cairn-es`, created with
 * `useradd` when missing).
 */
export async function startElasticsearch(opts: StartElasticsearchOptions): Promise<ElasticsearchNode> {
  const log = opts.log ?? (() => {});
  const home = opts.home;
  const version = readVersion(home);
  const instanceDir = opts.instanceDir ?? (await mkdtemp(join(tmpdir(), 'cairn-es-')));
  const dirs = {
    config: join(instanceDir, 'config'),
    data: join(instanceDir, 'data'),
    logs: join(instanceDir, 'logs'),
    tmp: join(instanceDir, 'tmp'),
  };
  // A private copy of config/: Elasticsearch writes its keystore there on first start.
  await cp(join(home, 'config'), dirs.config, { recursive: true });
  for (const d of [dirs.data, dirs.logs, dirs.tmp]) await mkdir(d, { recursive: true });

  const runAs = await resolveRunAs(home, log);
  if (runAs) await chownTree(instanceDir, runAs.uid, runAs.gid);

  const port = opts.port ?? (await freePort());
  const transportPort = await freePort();
  const pidFile = join(instanceDir, 'es.pid');
  const settings: Record<string, string> = {
    'cluster.name': 'cairn-bench',
    'node.name': 'cairn-bench-node',
    'path.data': dirs.data,
    'path.logs': dirs.logs,
    'network.host': '127.0.0.1',
    'http.port': String(port),
    'transport.port': String(transportPort),
    'discovery.type': 'single-node',
    // Benchmarks and tests run on machines with little free disk; do not go read-only at 95 %.
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
    ...opts.settings,
  };
  // The integ-test zip has x-pack-core and x-pack-security; the setting exists only with the module.
  if (existsSync(join(home, 'modules', 'x-pack-security'))) settings['xpack.security.enabled'] = 'false';

  const heap = opts.heap ?? '1g';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: instanceDir,
    LANG: 'C.UTF-8',
    ES_JAVA_HOME: opts.javaHome ?? process.env['CAIRN_ES_JAVA_HOME'] ?? javaHomeFromPath(),
    ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap}`,
    ES_PATH_CONF: dirs.config,
    ES_TMPDIR: dirs.tmp,
  };
  const args = ['-p', pidFile, ...Object.entries(settings).flatMap(([k, v]) => ['-E', `${k}=${v}`])];
  log(`Starting Elasticsearch ${version} on 127.0.0.1:${port} (heap ${heap}, user ${runAs?.name ?? 'self'})`);
  const child = spawn(join(home, 'bin', 'elasticsearch'), args, {
    cwd: instanceDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
  let output = '';
  const keep = (d: string) => {
    output = (output + d).slice(-200_000);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
  let pid = 0;
  try {
    for (;;) {
      if (hasExited) throw new Error(`Elasticsearch exited before it was ready:\n${output.slice(-5000)}`);
      if (Date.now() > deadline)
        throw new Error(`Elasticsearch was not green in time:\n${output.slice(-5000)}`);
      if (pid === 0 && existsSync(pidFile)) pid = Number(readFileSync(pidFile, 'utf8').trim()) || 0;
      if (pid !== 0 && (await isGreen(url))) break;
      await sleep(250);
    }
  } catch (err) {
    await stopChild(child, exited, pid);
    throw err;
  }
  log(`Elasticsearch is green (server pid ${pid})`);

  const stop = async () => stopChild(child, exited, pid);
  return {
    url,
    port,
    version,
    pid,
    launcherPid: child.pid!,
    instanceDir,
    dataDir: dirs.data,
    user: runAs?.name ?? String(process.getuid?.() ?? ''),
    output: () => output,
    stop,
    async destroy() {
      await stop();
      await rm(instanceDir, { recursive: true, force: true });
    },
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<number | null>,
  serverPid: number,
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const gone = await Promise.race([exited.then(() => true), sleep(60_000).then(() => false)]);
  if (!gone) child.kill('SIGKILL');
  // The launcher waits for the server, but make sure: a stray server JVM would skew the next run.
  const deadline = Date.now() + 30_000;
  while (serverPid > 0 && isAlive(serverPid)) {
    if (Date.now() > deadline) {
      process.kill(serverPid, 'SIGKILL');
      break;
    }
    await sleep(100);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function isGreen(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_cluster/health?wait_for_status=green&timeout=1s`);
    const body = (await res.json()) as { status?: string };
    return res.status === 200 && body.status === 'green';
  } catch {
    return false;
  }
}

function readVersion(home: string): string {
  const libs = existsSync(join(home, 'lib')) ? readdirSync(join(home, 'lib')) : [];
  const jar = libs.find((f) => /^elasticsearch-\d+\.\d+\.\d+\.jar$/.test(f));
  return jar?.slice('elasticsearch-'.length, -'.jar'.length) ?? 'unknown';
}

function javaHomeFromPath(): string {
  try {
    const java = execFileSync('bash', ['-c', 'command -v java'], { encoding: 'utf8' }).trim();
    return dirname(dirname(realpathSync(java)));
  } catch {
    throw new Error('Cannot start Elasticsearch: no `java` on the PATH (Elasticsearch 8 needs Java 17+)');
  }
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

/** Null when we are not root (Elasticsearch runs as us); else the unprivileged user to run it as. */
async function resolveRunAs(home: string, log: Log): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  const name = process.env['CAIRN_ES_USER'] ?? DEFAULT_ES_USER;
  let ids = lookupUser(name);
  if (!ids) {
    log(`Creating system user ${name} to run Elasticsearch (it refuses to run as root)`);
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      name,
    ]);
    ids = lookupUser(name);
    if (!ids) throw new Error(`Cannot run Elasticsearch: useradd did not create user ${name}`);
  }
  assertReadableByOthers(home, name);
  return { name, ...ids };
}

function lookupUser(name: string): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Elasticsearch runs as another user: every directory above its home must be searchable by others. */
function assertReadableByOthers(home: string, user: string): void {
  for (let dir = home; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o005) !== 0o005) {
      throw new Error(
        `Cannot run Elasticsearch as ${user}: it cannot read ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
          'Set CAIRN_ENGINES_CACHE to a directory others can read, e.g. /var/cache/cairn-engines',
      );
    }
    if (dirname(dir) === dir) break;
  }
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(full, uid, gid);
    else await chown(full, uid, gid);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
