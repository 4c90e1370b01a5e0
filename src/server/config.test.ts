import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../model/errors.js';
import { type Config, DEFAULT_CONFIG, loadConfig, SETTINGS } from './config.js';

let dir: string;
/** A directory without a cairn.yaml, so nothing is read from the working directory. */
let empty: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-config-'));
  empty = await mkdtemp(join(tmpdir(), 'cairn-config-empty-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(empty, { recursive: true, force: true });
});

async function yamlFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function failure(fn: () => unknown): { message: string; errors: string[]; code: string; status: number } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    const e = err as CairnError;
    return { message: e.message, errors: e.details?.['errors'] as string[], code: e.code, status: e.status };
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig: sources', () => {
  it('returns the defaults when nothing is given', () => {
    expect(loadConfig({ cwd: empty })).toStrictEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({
      host: 'localhost',
      port: 9280,
      dataDir: './data',
      logLevel: 'info',
    });
  });

  it('does not share nested objects with the defaults', () => {
    const config = loadConfig({ cwd: empty, flags: { 'max-body-bytes': '10' } });
    expect(config.limits.maxBodyBytes).toBe(10);
    expect(DEFAULT_CONFIG.limits.maxBodyBytes).toBe(100 * 1024 * 1024);
  });

  it('reads a YAML file with nested and dotted keys', async () => {
    const file = await yamlFile(
      'nested.yaml',
      [
        'host: 0.0.0.0',
        'port: 9300',
        'dataDir: /var/lib/cairn',
        'logLevel: debug',
        'limits:',
        '  maxBodyBytes: 1048576',
        '  maxSearchLimit: 500',
        'ingest.maxBatchEvents: 5000',
        'store:',
        '  maxColumns: 200',
      ].join('\n'),
    );
    const config = loadConfig({ file, cwd: empty });
    expect(config).toStrictEqual<Config>({
      ...DEFAULT_CONFIG,
      host: '0.0.0.0',
      port: 9300,
      dataDir: '/var/lib/cairn',
      logLevel: 'debug',
      limits: { ...DEFAULT_CONFIG.limits, maxBodyBytes: 1_048_576, maxSearchLimit: 500 },
      ingest: { ...DEFAULT_CONFIG.ingest, maxBatchEvents: 5000 },
      store: { ...DEFAULT_CONFIG.store, maxColumns: 200 },
    });
  });

  it('reads ./cairn.yaml from the working directory when no file is named', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'cairn-config-cwd-'));
    await writeFile(join(cwd, 'cairn.yaml'), 'port: 9999\n');
    try {
      expect(loadConfig({ cwd }).port).toBe(9999);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('reads the file named by CAIRN_CONFIG', async () => {
    const file = await yamlFile('from-env.yaml', 'host: from-env-file\n');
    expect(loadConfig({ cwd: empty, env: { CAIRN_CONFIG: file } }).host).toBe('from-env-file');
  });

  it('treats an empty YAML file as no settings', async () => {
    const file = await yamlFile('empty.yaml', '# nothing here\n');
    expect(loadConfig({ file, cwd: empty })).toStrictEqual(DEFAULT_CONFIG);
  });

  const envCases: { env: Record<string, string>; want: Partial<Config> | ((c: Config) => unknown) }[] = [
    { env: { CAIRN_HOST: '127.0.0.1' }, want: { host: '127.0.0.1' } },
    { env: { CAIRN_PORT: '0' }, want: { port: 0 } },
    { env: { CAIRN_DATA_DIR: '/tmp/x' }, want: { dataDir: '/tmp/x' } },
    { env: { CAIRN_LOG_LEVEL: 'silent' }, want: { logLevel: 'silent' } },
    { env: { CAIRN_MAX_QUERY_LENGTH: '100' }, want: (c) => c.limits.maxQueryLength === 100 },
    { env: { CAIRN_MAX_PENDING_EVENTS: '7' }, want: (c) => c.ingest.maxPendingEvents === 7 },
    { env: { CAIRN_MAX_COLUMNS: '64' }, want: (c) => c.store.maxColumns === 64 },
    { env: { CAIRN_PORT: '' }, want: { port: 9280 } },
  ];
  for (const c of envCases) {
    it(`reads the environment: ${JSON.stringify(c.env)}`, () => {
      const config = loadConfig({ cwd: empty, env: c.env });
      if (typeof c.want === 'function') expect(c.want(config)).toBe(true);
      else expect(config).toMatchObject(c.want);
    });
  }

  it('reads every setting from its flag', () => {
    const flags: Record<string, string> = {};
    const want = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, Record<string, unknown>>;
    for (const s of SETTINGS) {
      const text =
        s.path === 'logLevel' ? 'warn' : s.path === 'host' || s.path === 'dataDir' ? `v-${s.path}` : '42';
      flags[s.flag.slice(2)] = text;
      const [head, leaf] = s.path.split('.');
      if (leaf === undefined) (want as Record<string, unknown>)[head!] = text === '42' ? 42 : text;
      else want[head!]![leaf] = typeof want[head!]![leaf] === 'string' ? text : 42;
    }
    const config = loadConfig({ cwd: empty, flags });
    expect(config).toStrictEqual(want);
    expect(config).toMatchObject({
      host: 'v-host',
      port: 42,
      dataDir: 'v-dataDir',
      logLevel: 'warn',
      limits: { maxBodyBytes: 42, maxSearchLimit: 42 },
      ingest: { maxBatchEvents: 42, maxPendingEvents: 42 },
      store: { maxColumns: 42 },
    });
  });

  it('has one environment variable and one flag per setting, all distinct', () => {
    expect(new Set(SETTINGS.map((s) => s.env)).size).toBe(SETTINGS.length);
    expect(new Set(SETTINGS.map((s) => s.flag)).size).toBe(SETTINGS.length);
    expect(SETTINGS.every((s) => s.env.startsWith('CAIRN_') && s.flag.startsWith('--'))).toBe(true);
  });
});

describe('loadConfig: precedence flags > env > file > defaults', () => {
  let file: string;
  beforeAll(async () => {
    file = await yamlFile('precedence.yaml', 'port: 1001\nhost: file-host\nlimits:\n  maxBodyBytes: 11\n');
  });
  const env = { CAIRN_PORT: '2002', CAIRN_MAX_BODY_BYTES: '22' };
  const flags = { port: '3003' };

  const cases: {
    name: string;
    opts: () => Parameters<typeof loadConfig>[0];
    port: number;
    host: string;
    body: number;
  }[] = [
    {
      name: 'defaults only',
      opts: () => ({ cwd: empty }),
      port: 9280,
      host: 'localhost',
      body: 100 * 1024 * 1024,
    },
    {
      name: 'file over defaults',
      opts: () => ({ cwd: empty, file }),
      port: 1001,
      host: 'file-host',
      body: 11,
    },
    {
      name: 'env over file',
      opts: () => ({ cwd: empty, file, env }),
      port: 2002,
      host: 'file-host',
      body: 22,
    },
    {
      name: 'flags over env',
      opts: () => ({ cwd: empty, file, env, flags }),
      port: 3003,
      host: 'file-host',
      body: 22,
    },
    {
      name: 'flags over file',
      opts: () => ({ cwd: empty, file, flags }),
      port: 3003,
      host: 'file-host',
      body: 11,
    },
    {
      name: 'flags over defaults',
      opts: () => ({ cwd: empty, flags }),
      port: 3003,
      host: 'localhost',
      body: 100 * 1024 * 1024,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const config = loadConfig(c.opts());
      expect([config.port, config.host, config.limits.maxBodyBytes]).toStrictEqual([c.port, c.host, c.body]);
    });
  }
});

describe('loadConfig: problems', () => {
  const KNOWN = SETTINGS.map((s) => s.path).join(', ');

  it('reports every problem from every source in one error', async () => {
    const file = await yamlFile(
      'bad.yaml',
      'port: 70000\ncolour: blue\nlimits:\n  maxBodyBytes: -5\n  maxBodySize: 3\nlogLevel: loud\n',
    );
    const f = failure(() =>
      loadConfig({
        file,
        cwd: empty,
        env: { CAIRN_MAX_COLUMNS: 'many', CAIRN_LOG_LEVEL: 'verbose' },
        flags: { port: '1.5', 'max-batch-events': '0' },
      }),
    );
    const errors = [
      `${file} port: expected a positive integer up to 65535, got "70000"`,
      `${file}: unknown setting "colour" (known: ${KNOWN})`,
      `${file} limits.maxBodyBytes: expected a positive integer, got "-5"`,
      `${file}: unknown setting "limits.maxBodySize" (known: ${KNOWN})`,
      `${file} logLevel: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"`,
      '--port: expected a positive integer up to 65535, got "1.5"',
      'CAIRN_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
      '--max-batch-events: expected a positive integer, got "0"',
      'CAIRN_MAX_COLUMNS: expected a positive integer, got "many"',
    ];
    expect(f.code).toBe('bad_request');
    expect(f.status).toBe(400);
    expect(f.errors).toStrictEqual(errors);
    expect(f.message).toBe(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  });

  const single: {
    name: string;
    yaml?: string;
    file?: string;
    env?: Record<string, string>;
    flags?: Record<string, string>;
    error: (file: string) => string;
  }[] = [
    {
      name: 'a named file that does not exist',
      file: '/nonexistent/cairn.yaml',
      error: () => '/nonexistent/cairn.yaml: file not found',
    },
    {
      name: 'YAML that is a list',
      yaml: '- port: 1\n',
      error: (f) => `${f}: expected a mapping of settings`,
    },
    {
      name: 'YAML that is a scalar',
      yaml: 'just text\n',
      error: (f) => `${f}: expected a mapping of settings`,
    },
    {
      name: 'a port above 65535 from the environment',
      env: { CAIRN_PORT: '65536' },
      error: () => 'CAIRN_PORT: expected a positive integer up to 65535, got "65536"',
    },
    {
      name: 'a negative port from a flag',
      flags: { port: '-1' },
      error: () => '--port: expected a positive integer up to 65535, got "-1"',
    },
    {
      name: 'a number with trailing text',
      flags: { 'max-columns': '10k' },
      error: () => '--max-columns: expected a positive integer, got "10k"',
    },
    {
      name: 'a list where a number belongs',
      yaml: 'port: [1, 2]\n',
      error: (f) => `${f} port: expected a positive integer up to 65535, got "1,2"`,
    },
  ];
  for (const c of single) {
    it(`reports ${c.name}`, async () => {
      const file =
        c.yaml !== undefined ? await yamlFile(`single-${c.name.replaceAll(' ', '-')}.yaml`, c.yaml) : c.file;
      const f = failure(() =>
        loadConfig({
          cwd: empty,
          ...(file ? { file } : {}),
          ...(c.env ? { env: c.env } : {}),
          ...(c.flags ? { flags: c.flags } : {}),
        }),
      );
      expect(f.errors).toStrictEqual([c.error(file ?? '')]);
    });
  }

  it('reports YAML syntax errors with the file name', async () => {
    const file = await yamlFile('syntax.yaml', 'port: 1\n  host: [unclosed\n');
    const f = failure(() => loadConfig({ file, cwd: empty }));
    expect(f.errors).toHaveLength(1);
    expect(f.errors[0]!.startsWith(`${file}: `)).toBe(true);
  });

  // `host:` with no value is YAML null; it becomes the host name "null" instead of being reported
  // (or leaving the default), so the server would try to listen on a host called "null".
  it('does not turn an empty YAML value into the text "null"', async () => {
    const file = await yamlFile('null-host.yaml', 'host:\nport: 9300\n');
    let host: string | undefined;
    try {
      host = loadConfig({ file, cwd: empty }).host;
    } catch {
      host = undefined; // reporting it is fine too
    }
    expect(host).not.toBe('null');
  });
});
