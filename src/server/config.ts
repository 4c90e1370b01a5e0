import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CairnError } from '../model/errors.js';

/** Everything `cairn serve` can be told. Precedence: flags > environment (CAIRN_*) > cairn.yaml > defaults. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Queries taking at least this long are logged at warn level with what they asked (0: never). */
  slowQueryMs: number;
  limits: {
    /** Largest request body, after gzip decompression (Elasticsearch's http.max_content_length). */
    maxBodyBytes: number;
    maxFieldsPerEvent: number;
    maxFieldNameLength: number;
    maxValueLength: number;
    maxQueryLength: number;
    /** Most hits one search returns. */
    maxSearchLimit: number;
  };
  ingest: {
    /** Events written in one group commit at most. */
    maxBatchEvents: number;
    /** Events accepted but not yet written before requests get 429 + Retry-After. */
    maxPendingEvents: number;
  };
  store: {
    /** Typed columns across all streams before further new fields go to the overflow column. */
    maxColumns: number;
    /** How often acknowledged events are loaded and become searchable (Elasticsearch's refresh_interval). */
    refreshIntervalMs: number;
    /** Acknowledged events that trigger a load before the interval is up. */
    refreshRows: number;
    /** Acknowledged events not yet loaded beyond which ingest answers 429. */
    maxUnloadedRows: number;
    /** Without a search for this long, interval loads pause until the next search (search-idle). */
    searchIdleAfterMs: number;
    /** DuckDB's buffer pool, MB. */
    memoryLimitMb: number;
    /**
     * Comma-separated keyword fields whose per-minute value counts the store keeps, so that counting
     * aggregations on them skip the rows; '' for none.
     */
    rollupFields: string;
    /** Rollup rows kept in memory too (16 bytes each); past it, counts are read from DuckDB's copy. */
    rollupMemoryRows: number;
  };
  /** Optional members: a partial `pipelines` (tests, embedding) falls back to the defaults. */
  pipelines: {
    /** Directory of pipeline definition files (`<id>.yaml`, `_routes.yaml`); '' for none. */
    dir?: string;
    /** Ingest worker threads (parse bodies, run pipelines, encode rows); 0: one per core. */
    workers?: number;
    /** Events being parsed before ingest answers 429. */
    maxPendingEvents?: number;
    /** A MaxMind GeoIP2/GeoLite2 City file instead of the bundled DB-IP Lite data; '' for the bundled one. */
    geoipDatabase?: string;
  };
}

export const DEFAULT_CONFIG: Config = {
  host: 'localhost',
  port: 9280,
  dataDir: './data',
  logLevel: 'info',
  slowQueryMs: 5000,
  limits: {
    maxBodyBytes: 100 * 1024 * 1024,
    maxFieldsPerEvent: 1000,
    maxFieldNameLength: 512,
    maxValueLength: 32_766,
    maxQueryLength: 16_384,
    maxSearchLimit: 10_000,
  },
  ingest: { maxBatchEvents: 100_000, maxPendingEvents: 400_000 },
  store: {
    maxColumns: 1000,
    refreshIntervalMs: 1000,
    refreshRows: 500_000,
    maxUnloadedRows: 1_000_000,
    searchIdleAfterMs: 30_000,
    memoryLimitMb: 256,
    rollupFields: 'level,service,host',
    rollupMemoryRows: 2_000_000,
  },
  pipelines: { dir: '', workers: 0, maxPendingEvents: 200_000, geoipDatabase: '' },
};

/** One row per setting: its path in cairn.yaml, its environment variable and its flag. */
export const SETTINGS: readonly { path: string; env: string; flag: string; doc: string }[] = [
  {
    path: 'host',
    env: 'CAIRN_HOST',
    flag: '--host',
    doc: 'Address to listen on (0.0.0.0 for all interfaces)',
  },
  { path: 'port', env: 'CAIRN_PORT', flag: '--port', doc: 'HTTP port' },
  {
    path: 'dataDir',
    env: 'CAIRN_DATA_DIR',
    flag: '--data-dir',
    doc: 'Where the embedded store keeps its files',
  },
  {
    path: 'logLevel',
    env: 'CAIRN_LOG_LEVEL',
    flag: '--log-level',
    doc: 'fatal, error, warn, info, debug, trace or silent',
  },
  {
    path: 'slowQueryMs',
    env: 'CAIRN_SLOW_QUERY_MS',
    flag: '--slow-query-ms',
    doc: 'Queries taking at least this long are logged at warn level, with the query (0: never)',
  },
  {
    path: 'limits.maxBodyBytes',
    env: 'CAIRN_MAX_BODY_BYTES',
    flag: '--max-body-bytes',
    doc: 'Largest request body after decompression (413 above)',
  },
  {
    path: 'limits.maxFieldsPerEvent',
    env: 'CAIRN_MAX_FIELDS_PER_EVENT',
    flag: '--max-fields-per-event',
    doc: 'Fields one event may have (the event is rejected above)',
  },
  {
    path: 'limits.maxFieldNameLength',
    env: 'CAIRN_MAX_FIELD_NAME_LENGTH',
    flag: '--max-field-name-length',
    doc: 'Longest field name',
  },
  {
    path: 'limits.maxValueLength',
    env: 'CAIRN_MAX_VALUE_LENGTH',
    flag: '--max-value-length',
    doc: 'Longest string value, in characters',
  },
  {
    path: 'limits.maxQueryLength',
    env: 'CAIRN_MAX_QUERY_LENGTH',
    flag: '--max-query-length',
    doc: 'Longest query string (400 above)',
  },
  {
    path: 'limits.maxSearchLimit',
    env: 'CAIRN_MAX_SEARCH_LIMIT',
    flag: '--max-search-limit',
    doc: 'Most hits one search returns',
  },
  {
    path: 'ingest.maxBatchEvents',
    env: 'CAIRN_MAX_BATCH_EVENTS',
    flag: '--max-batch-events',
    doc: 'Most events written in one group commit',
  },
  {
    path: 'ingest.maxPendingEvents',
    env: 'CAIRN_MAX_PENDING_EVENTS',
    flag: '--max-pending-events',
    doc: 'Events waiting to be written before ingest answers 429',
  },
  {
    path: 'store.refreshIntervalMs',
    env: 'CAIRN_REFRESH_INTERVAL_MS',
    flag: '--refresh-interval-ms',
    doc: 'How often acknowledged events become searchable',
  },
  {
    path: 'store.refreshRows',
    env: 'CAIRN_REFRESH_ROWS',
    flag: '--refresh-rows',
    doc: 'Pending events that trigger a load before the interval',
  },
  {
    path: 'store.maxUnloadedRows',
    env: 'CAIRN_MAX_UNLOADED_ROWS',
    flag: '--max-unloaded-rows',
    doc: 'Acknowledged events not yet searchable before ingest answers 429',
  },
  {
    path: 'store.searchIdleAfterMs',
    env: 'CAIRN_SEARCH_IDLE_AFTER_MS',
    flag: '--search-idle-after-ms',
    doc: 'Without a search for this long, loads wait while writes keep coming (until a search, a pause or refreshRows)',
  },
  {
    path: 'store.memoryLimitMb',
    env: 'CAIRN_MEMORY_LIMIT_MB',
    flag: '--memory-limit-mb',
    doc: "DuckDB's buffer pool size in MB",
  },
  {
    path: 'store.rollupFields',
    env: 'CAIRN_ROLLUP_FIELDS',
    flag: '--rollup-fields',
    doc: 'Comma-separated keyword fields whose per-minute value counts are kept for fast counting aggregations',
  },
  {
    path: 'store.rollupMemoryRows',
    env: 'CAIRN_ROLLUP_MEMORY_ROWS',
    flag: '--rollup-memory-rows',
    doc: 'Rollup rows also kept in memory (16 bytes each) so counting aggregations run no SQL; 0: none',
  },
  {
    path: 'store.maxColumns',
    env: 'CAIRN_MAX_COLUMNS',
    flag: '--max-columns',
    doc: 'Typed columns before new fields go to the overflow column',
  },
  {
    path: 'pipelines.dir',
    env: 'CAIRN_PIPELINES_DIR',
    flag: '--pipelines-dir',
    doc: 'Directory of pipeline definitions (<id>.yaml, _routes.yaml), read at start-up and on reload',
  },
  {
    path: 'pipelines.workers',
    env: 'CAIRN_PIPELINE_WORKERS',
    flag: '--pipeline-workers',
    doc: 'Ingest worker threads: parse bodies, run pipelines, encode rows (default: one per core)',
  },
  {
    path: 'pipelines.maxPendingEvents',
    env: 'CAIRN_PIPELINE_MAX_PENDING_EVENTS',
    flag: '--pipeline-max-pending-events',
    doc: 'Events being parsed before ingest answers 429',
  },
  {
    path: 'pipelines.geoipDatabase',
    env: 'CAIRN_GEOIP_DATABASE',
    flag: '--geoip-database',
    doc: 'A MaxMind GeoIP2/GeoLite2 City .mmdb file to use instead of the bundled DB-IP Lite data',
  },
];

/**
 * Builds the configuration from defaults, then the YAML file, then the environment, then flags.
 * `file` is read when given, or `./cairn.yaml` when it exists. All problems are reported together.
 */
export function loadConfig(opts: {
  file?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Record<string, string | undefined>;
  cwd?: string;
}): Config {
  const config = structuredClone(DEFAULT_CONFIG);
  const errors: string[] = [];
  const env = opts.env ?? {};
  const file = opts.file ?? env['CAIRN_CONFIG'];
  const yamlPath = file ?? `${opts.cwd ?? process.cwd()}/cairn.yaml`;
  let fromFile: unknown;
  try {
    fromFile = parseYaml(readFileSync(yamlPath, 'utf8'));
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing || file) errors.push(`${yamlPath}: ${missing ? 'file not found' : (err as Error).message}`);
  }
  if (fromFile !== undefined && fromFile !== null) {
    if (typeof fromFile !== 'object' || Array.isArray(fromFile))
      errors.push(`${yamlPath}: expected a mapping of settings`);
    else applyObject(config, fromFile as Record<string, unknown>, '', errors, yamlPath);
  }
  for (const s of SETTINGS) {
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== '') set(config, s.path, fromEnv, errors, s.env);
    const fromFlag = opts.flags?.[s.flag.slice(2)];
    if (fromFlag !== undefined) set(config, s.path, fromFlag, errors, s.flag);
  }
  if (errors.length > 0) {
    throw new CairnError('bad_request', `Invalid configuration:\n  - ${errors.join('\n  - ')}`, {
      details: { errors },
    });
  }
  return config;
}

/** The items of a comma-separated setting (a YAML list arrives joined by commas). */
export function listSetting(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function applyObject(
  config: Config,
  obj: Record<string, unknown>,
  prefix: string,
  errors: string[],
  source: string,
) {
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value === null || value === undefined) continue; // `key:` with no value: leave the default
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      applyObject(config, value as Record<string, unknown>, path, errors, source);
    } else if (!SETTINGS.some((s) => s.path === path)) {
      errors.push(`${source}: unknown setting "${path}" (known: ${SETTINGS.map((s) => s.path).join(', ')})`);
    } else {
      set(config, path, String(value), errors, `${source} ${path}`);
    }
  }
}

function set(config: Config, path: string, raw: string, errors: string[], source: string): void {
  const parts = path.split('.');
  let target = config as unknown as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) target = target[p] as Record<string, unknown>;
  const key = parts.at(-1)!;
  const current = target[key];
  if (typeof current === 'number') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < (key === 'port' ? 0 : 1) || (key === 'port' && n > 65535)) {
      errors.push(
        `${source}: expected a positive integer${key === 'port' ? ' up to 65535' : ''}, got "${raw}"`,
      );
      return;
    }
    target[key] = n;
  } else if (key === 'logLevel') {
    const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
    if (!levels.includes(raw)) {
      errors.push(`${source}: expected one of ${levels.join(', ')}, got "${raw}"`);
      return;
    }
    target[key] = raw;
  } else {
    target[key] = raw;
  }
}
