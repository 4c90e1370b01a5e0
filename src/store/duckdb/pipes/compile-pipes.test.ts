import { readFileSync, writeFileSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../../model/errors.js';
import { formatTimestamp } from '../../../model/timestamp.js';
import { parseQueryWithPipes } from '../../../query/index.js';
import { translateRegexError } from '../compile-where.js';
import { type CompiledPipeline, compilePipeline } from './compile-pipes.js';
import { TEST_SCHEMA, TEST_TABLE_DDL, testResolver } from './test-schema.js';

/** 2024-05-15T10:30:00Z. */
const NOW_US = Date.UTC(2024, 4, 15, 10, 30) * 1000;
const HOUR_US = 3_600_000_000;
/** The day before NOW up to NOW. */
const RANGE = { fromUs: NOW_US - 24 * HOUR_US, toUs: NOW_US };
const RESOLVER = testResolver();

function compile(query: string, rowLimit = 100): CompiledPipeline {
  const { search, pipes } = parseQueryWithPipes(query);
  return compilePipeline({
    search,
    pipes,
    from: 'events AS e',
    resolver: RESOLVER,
    range: RANGE,
    nowUs: NOW_US,
    rowLimit,
  });
}

function compileError(query: string): CairnError {
  try {
    compile(query);
  } catch (err) {
    if (err instanceof CairnError) return err;
    throw err;
  }
  throw new Error(`expected "${query}" to fail`);
}

// ---------------------------------------------------------------------------------------------
// Golden SQL: UPDATE_GOLDEN=1 rewrites testdata/compile-pipes.golden.json; review the diff.

const GOLDEN_QUERIES = [
  '| stats count() by service',
  'level:ERROR | stats count(), avg(rt) as mean, p95(rt), dc(clientip), values(tags), min(@timestamp) by service, http.method',
  '| where status >= 500 and rt > "100" | eval x = rt * 2 | sort -x | head 5 | fields service, x',
  '| where @timestamp >= "now-1h" and @timestamp <= "now/h"',
  '| where clientip = "10.000.0.1" or ok = "true" or level in ("ERROR", "WARN")',
  '| where not status = 200 and status != 404 and level not in ("INFO") and message not like "%ok%"',
  '| where tags = "a" and ports > 1024 and tags != "b"',
  '| where code > 5 and user.name like "a%" and unknown = 1',
  '| where match(message, "time(out|d)") and isnull(service) and len(tags) > 1 and tonumber(code) > 1',
  '| eval a = lower(service), b = round(rt / 1000, 2), c = if(status >= 500, "bad", "good"), d = coalesce(user.name, "-")',
  '| eval t = tostring(status), u = concat(service, ":", tostring(@timestamp)), v = substr(message, 1, 5), w = replace(message, "[0-9]+", "N")',
  '| timechart span=15m count(), avg(rt)',
  '| timechart span=1h count() by service',
  '| timechart span=1w count()',
  '| timechart max(rt)',
  '| top 3 tags by service',
  '| rare service',
  '| dedup service, level | rename service as svc',
  '| fields - message, tags | head 2',
  '| stats count() by service | where count > 1 | sort -count | rename count as n | head 1',
];

const GOLDEN_FILE = new URL('./testdata/compile-pipes.golden.json', import.meta.url);

describe('compilePipeline golden SQL', () => {
  const actual = GOLDEN_QUERIES.map((query) => {
    const { sql, params } = compile(query);
    return { query, sql, params };
  });
  if (process.env['UPDATE_GOLDEN'] === '1')
    writeFileSync(GOLDEN_FILE, `${JSON.stringify(actual, null, 2)}\n`);
  const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as typeof actual;

  it('has an entry per query', () => {
    expect(golden.map((g) => g.query)).toEqual(GOLDEN_QUERIES);
  });
  it.each(actual.map((a, i) => [a.query, a, golden[i]] as const))('%s', (_, a, g) => {
    expect(a).toEqual(g);
  });
});

// ---------------------------------------------------------------------------------------------

// [query, message] of queries that parse but cannot run: type clashes and misuse are 400s.
const TYPE_ERRORS: [string, string][] = [
  ['| where status > "abc"', 'Cannot compare field "status" (number) with "abc": expected a number'],
  ['| where "abc" < status', 'Cannot compare field "status" (number) with "abc": expected a number'],
  ['| where ok = "maybe"', 'Cannot compare field "ok" (boolean) with "maybe": expected true or false'],
  [
    '| where @timestamp > "yesterday"',
    'Cannot compare field "@timestamp" (timestamp) with "yesterday": expected ISO 8601 (2024-01-31T10:00:00Z), epoch milliseconds or date math (now-1h, now/d, 2024-01-01||+1M)',
  ],
  [
    '| where @timestamp > 5',
    'Cannot compare field "@timestamp" (timestamp) with 5 (write dates in quotes: @timestamp > "now-1h")',
  ],
  ['| where ok = status', 'Cannot compare field "ok" (boolean) with field "status" (number)'],
  [
    '| where tags = ports',
    'Cannot compare two lists: field "tags" (string list) and field "ports" (number list)',
  ],
  [
    '| where service + 1 > 2',
    'Cannot add field "service" (string): + needs numbers; join text with concat(a, b)',
  ],
  ['| where rt * ok > 2', 'Cannot multiply field "ok" (boolean): * needs numbers; convert with tonumber()'],
  [
    '| where -service > 1',
    'Cannot negate field "service" (string): negate needs numbers; convert with tonumber()',
  ],
  ['| where ports + 1 > 2', 'Cannot add the list field "ports" (number list)'],
  [
    '| where status',
    'Cannot use field "status" (number) as a condition in where: compare it with something, e.g. status > 0',
  ],
  [
    '| where tags',
    'Cannot use field "tags" (string list) as a condition in where: compare it with something, e.g. tags > 0',
  ],
  [
    '| where status like "5%"',
    'Cannot use like on field "status" (number): like compares text; convert with tostring(status)',
  ],
  [
    '| where lower(status) = "x"',
    'Cannot use field "status" (number) in lower(): it takes text; convert with tostring(status)',
  ],
  ['| where len(status) > 1', 'Cannot take len() of field "status" (number): it takes text or a list'],
  [
    '| where abs(service) > 1',
    'Cannot take abs() of field "service" (string): take abs() of needs numbers; convert with tonumber()',
  ],
  [
    '| where round(rt, 1.5) > 1',
    'Cannot round: the digits must be a whole number from -15 to 15, as in round(x, 2)',
  ],
  [
    '| where round(rt, status) > 1',
    'Cannot round: the digits must be a whole number from -15 to 15, as in round(x, 2)',
  ],
  [
    '| where coalesce(rt, service) = 1',
    'Cannot mix number and string values in coalesce(): convert them with tostring() or tonumber()',
  ],
  ['| where coalesce(rt, "x") = 1', 'Cannot compare field "rt" (number) with "x": expected a number'],
  [
    '| eval x = if(ok, 1, "a")',
    'Cannot mix number and string values in if(): convert them with tostring() or tonumber()',
  ],
  [
    '| eval x = if(status, 1, 2)',
    'Cannot use field "status" (number) as a condition in if(): compare it with something, e.g. status > 0',
  ],
  [
    '| where match(status, "5.*")',
    'Cannot match field "status" (number): match() takes text; convert with tostring()',
  ],
  ['| where coalesce(tags, "x") = "x"', 'Cannot use the list field "tags" (string list) in coalesce()'],
  ['| stats avg(service)', 'Cannot compute avg of "service": it is a string field, expected a number'],
  ['| stats sum(ports)', 'Cannot compute sum of "ports": it is a number list field, expected a number'],
  ['| stats p95(level) as p', 'Cannot compute p95 of "level": it is a string field, expected a number'],
  [
    '| stats count() by service | timechart count()',
    'Cannot run timechart: it needs "@timestamp" as a date, and an earlier command removed it (timechart must come before stats, top, rare or fields)',
  ],
  [
    '| eval @timestamp = 1 | timechart count()',
    'Cannot run timechart: it needs "@timestamp" as a date, and it is a number',
  ],
  [
    '| timechart span=1s count()',
    'Cannot run timechart with span=1s over this time range: it would make more than 10,000 buckets; use a larger span',
  ],
  [
    '| top count',
    'Cannot run top on a field named "count": the result has a column of that name; rename the field first (| rename count as count_value)',
  ],
  [
    'level:abc AND status:abc | head 1',
    'Cannot compare field "status" (number) with "abc": expected a number',
  ],
];

describe('compilePipeline errors', () => {
  it.each(TYPE_ERRORS)('%s', (query, message) => {
    const err = compileError(query);
    expect(err.code).toBe('invalid_query');
    expect(err.status).toBe(400);
    expect(err.message).toBe(message);
  });

  it('reports where the offending operand starts', () => {
    expect(compileError('| where rt > 1 and service + 1 > 2').details?.['position']).toBe(19);
    expect(compileError('* | stats count(), avg(level)').details?.['position']).toBe(19);
  });

  it('reads unknown fields as NULL instead of failing', () => {
    const { sql, columns } = compile(
      '| where nosuch > 1 or lower(nosuch) = "x" | eval y = nosuch + 1 | fields y, other',
    );
    expect(sql).toContain('COALESCE(NULL > $3::DOUBLE, FALSE)');
    expect(columns.map((c) => [c.name, c.column.type])).toEqual([
      ['y', 'number'],
      ['other', 'null'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// No query text reaches the SQL: random pipelines full of hostile values and names.

const HOSTILE = [
  "'",
  '"',
  '\\',
  "'; DROP TABLE events; --",
  '"); DELETE FROM events; --',
  '$1',
  '?',
  '%_',
  'e."level"',
  'NULL',
  'OR 1=1',
  '*/ /*',
  'é日本😀',
  '\u0000',
  ' ',
  '`',
  '|',
  'x'.repeat(300),
];
const FIELDS = [...Object.keys(TEST_SCHEMA), 'nosuch', 'a b', 'x"y', "o'k", 'count'];

function prng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s % n;
  };
}

function randomPipeline(rand: (n: number) => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
  const field = () => `\`${pick(FIELDS).replace(/[`\\]/g, '\\$&')}\``;
  const str = () => `"${pick(HOSTILE).replace(/["\\]/g, '\\$&')}"`;
  const value = (): string => {
    switch (rand(8)) {
      case 0:
        return str();
      case 1:
        return String(rand(1000) - 500);
      case 2:
        return `lower(${field()})`;
      case 3:
        return `${field()} + ${rand(10)}`;
      case 4:
        return `coalesce(${field()}, ${str()})`;
      case 5:
        return `tostring(${field()})`;
      default:
        return field();
    }
  };
  const cond = (): string => {
    switch (rand(7)) {
      case 0:
        return `${field()} ${pick(['=', '!=', '<', '>=', '<>'])} ${value()}`;
      case 1:
        return `${field()} in (${str()}, ${value()})`;
      case 2:
        return `${field()} like ${str()}`;
      case 3:
        return `not ${field()} is null`;
      case 4:
        return `match(${field()}, ${str()})`;
      case 5:
        return `(${field()} = ${str()} or ${field()} > ${rand(100)})`;
      default:
        return `${value()} = ${value()}`;
    }
  };
  const agg = () =>
    `${pick(['count', 'dc', 'sum', 'avg', 'min', 'max', 'p95', 'values'])}(${field()}) as ${field()}`;
  const commands = [
    () => `where ${cond()}`,
    () => `eval ${field()} = ${value()}`,
    () => `stats count() as ${field()}, ${agg()} by ${field()}`,
    () => `timechart span=${pick(['1h', '30m', '1d', '1w'])} ${agg()}${rand(2) ? ` by ${field()}` : ''}`,
    () => `top ${1 + rand(5)} ${field()}`,
    () => `rare ${field()} by ${field()}`,
    () => `sort -${field()}, ${field()}`,
    () => `head ${rand(20)}`,
    () => `fields ${field()}, ${field()}`,
    () => `fields - ${field()}`,
    () => `rename ${field()} as ${field()}`,
    () => `dedup ${field()}`,
  ];
  const search = rand(3) === 0 ? `level:${pick(['ERROR', 'INFO'])}` : '';
  let q = search;
  for (let i = 1 + rand(4); i > 0; i--) q += ` | ${pick(commands)()}`;
  return q;
}

const VOCABULARY = new Set(
  `WITH AS SELECT FROM WHERE AND OR NOT COALESCE IS NULL TRUE FALSE LIKE ESCAPE IN GROUP BY ORDER ASC DESC NULLS
  LAST LIMIT QUALIFY OVER PARTITION row_number sum count avg min max DISTINCT quantile_cont list flatten list_distinct
  list_sort list_slice list_min list_max len list_filter list_transform lambda unnest range make_timestamp epoch_us
  epoch_ms date_trunc FULL JOIN ON CASE WHEN THEN ELSE END CAST TRY_CAST VARCHAR DOUBLE BOOLEAN BIGINT INTEGER
  TIMESTAMP lower upper trim length abs ceil floor round trunc strftime concat substr regexp_matches regexp_replace
  json_extract_string contains regexp_full_match regexp_extract_all string_split split_part UTINYINT BETWEEN INTERVAL
  WEEK MONTH YEAR events e b k t 1 3 100 1e15 0 FIELD PARAM NAME LAYER OUT LAMBDA`.split(/\s+/),
);
const LITERALS = new Set([
  "'\\'",
  "'g'",
  "'%Y-%m-%dT%H:%M:%S.%gZ'",
  "'week'",
  "'[\\p{L}\\p{N}_]+'",
  "'.'",
  `'$."code"'`,
  `'$."user.name"'`,
]);
const FIELD_SQL = Object.values(TEST_SCHEMA)
  .flat()
  .map((c) => c.sql)
  .sort((a, b) => b.length - a.length);

/** Asserts `sql` is compiler vocabulary, field SQL, internal names and parameters only, and uses every parameter. */
function assertOnlyCompilerText(sql: string, params: unknown[]): void {
  let rest = sql;
  for (const f of FIELD_SQL) rest = rest.split(f).join(' FIELD ');
  const used = new Set<number>();
  rest = rest
    .replace(/\$(\d+)/g, (_, n: string) => {
      used.add(Number(n));
      return ' PARAM ';
    })
    .replace(/'[^']*'/g, (lit) => {
      expect(LITERALS.has(lit), `unexpected literal ${lit} in ${sql}`).toBe(true);
      return ' ';
    })
    .replace(/e\."(@timestamp|_seq)"/g, ' FIELD ')
    .replace(/"__p\d+"/g, ' NAME ')
    .replace(/\bs\d+\b/g, ' LAYER ')
    .replace(/\bc\d+\b/g, ' OUT ')
    .replace(/\bx\d+\b/g, ' LAMBDA ');
  for (const token of rest.split(/[\s(),:=<>*+\-/%.!]+/)) {
    if (token) expect(VOCABULARY.has(token), `unexpected "${token}" in ${sql}`).toBe(true);
  }
  expect([...used].sort((a, b) => a - b)).toEqual(params.map((_, i) => i + 1));
}

describe('compilePipeline on hostile input', () => {
  it('emits no query text and no orphan parameters, or fails with a 400', () => {
    const rand = prng(20_240_516);
    let compiled = 0;
    for (let i = 0; i < 3000; i++) {
      const query = randomPipeline(rand);
      let out: CompiledPipeline;
      try {
        out = compile(query);
      } catch (err) {
        expect(err, query).toBeInstanceOf(CairnError);
        expect((err as CairnError).status, query).toBe(400);
        continue;
      }
      compiled++;
      assertOnlyCompilerText(out.sql, out.params);
    }
    expect(compiled).toBeGreaterThan(1500);
  });

  it('handles random characters after a pipe', () => {
    const rand = prng(3);
    const chars = 'abc=<>!"\'`\\|()*,-+/%.: \n;$é😀0123456789';
    for (let i = 0; i < 3000; i++) {
      let query = '| where ';
      for (let j = rand(30); j > 0; j--) query += chars[rand(chars.length)];
      try {
        const out = compile(query);
        assertOnlyCompilerText(out.sql, out.params);
      } catch (err) {
        expect(err, query).toBeInstanceOf(CairnError);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The compiled pipelines on a real DuckDB table.

const T = (hhmm: string) => `TIMESTAMP '2024-05-15 ${hhmm}:00'`;
const ROWS = `
(${T('09:00')}, 1, 'app', 'Connection refused', 'ERROR', 'api', 500, 120, '10.0.0.1', false, ['a', 'b'], [80, 443], 'GET', 1, NULL),
(${T('09:10')}, 2, 'app', 'ok done', 'INFO', 'api', 200, 20, '10.0.0.2', true, ['a'], [8080], 'GET', 2, NULL),
(${T('09:20')}, 3, 'app', 'slow query took 900 ms', 'WARN', 'db', 200, 900, '10.0.0.3', true, [], NULL, 'POST', NULL, '{"code":"7","user.name":"ann"}'),
(${T('09:40')}, 4, 'web', 'timeout calling api', 'ERROR', 'web', 504, 3000, '10.0.0.1', NULL, ['c'], [443], 'GET', NULL, '{"user.name":"bob"}'),
(${T('09:50')}, 5, 'web', 'ok done', 'INFO', 'web', 200, 15, '192.168.1.9', true, NULL, NULL, 'PUT', 3, NULL),
(${T('10:05')}, 6, 'app', 'ok done', 'INFO', 'api', 404, 30, '10.0.0.2', false, ['b'], [80], 'DELETE', 4, NULL),
(${T('10:20')}, 7, 'app', NULL, 'DEBUG', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
(TIMESTAMP '2024-05-14 08:00:00', 8, 'old', 'outside the range', 'ERROR', 'api', 500, 1, '10.0.0.9', NULL, NULL, NULL, NULL, NULL, NULL)`;

// [query, rows as JSON]: timestamps come back as µs, formatted here.
const RESULTS: [string, unknown[][]][] = [
  ['| stats count()', [[7]]],
  [
    '| stats count(), sum(rt), max(status) by service',
    [
      ['api', 3, 170, 500],
      ['db', 1, 900, 200],
      ['web', 2, 3015, 504],
    ],
  ],
  [
    'level:ERROR | stats count() by service',
    [
      ['api', 1],
      ['web', 1],
    ],
  ],
  ['| stats dc(clientip) as ips, values(tags) as tags', [[4, ['a', 'b', 'c']]]],
  [
    '| stats count() by tags',
    [
      ['a', 2],
      ['b', 2],
      ['c', 1],
    ],
  ],
  ['| stats p50(rt) as p', [[75]]],
  ['| stats count(code), dc(user.name)', [[5, 2]]],
  ['| where code >= 3 | stats count()', [[3]]],
  ['| where code = 7 | fields user.name', [['ann']]],
  ['| where status >= 500 or rt > 500 | stats count()', [[3]]],
  ['| where not status = 200 | stats count()', [[4]]],
  ['| where status != 200 | stats count()', [[3]]],
  ['| where status not in (200, 404) | stats count()', [[3]]],
  ['| where tags = "a" | stats count()', [[2]]],
  ['| where tags != "a" | stats count()', [[3]]],
  ['| where ports > 1000 | stats count()', [[1]]],
  ['| where clientip = "10.0.0.1" | stats count()', [[2]]],
  ['| where message like "ok%" | stats count()', [[3]]],
  ['| where message not like "ok%" | stats count()', [[4]]],
  ['| where match(message, "(?i)^CONN") | fields service', [['api']]],
  ['| where @timestamp >= "2024-05-15T10:00:00Z" | stats count()', [[2]]],
  ['| where @timestamp > "now-1h" | stats count()', [[4]]],
  ['| where rt * 2 + 10 > 1000 | fields rt', [[3000], [900]]],
  ['| where rt % 100 = 20 | fields rt', [[20], [120]]],
  ['| eval x = round(rt / 7, 2) | where x > 100 | fields x', [[428.57], [128.57]]],
  [
    '| where service = "api" | eval s = concat(upper(service), "-", tostring(status)), n = len(tags) | fields s, n',
    [
      ['API-404', 1],
      ['API-200', 1],
      ['API-500', 2],
    ],
  ],
  [
    '| eval kind = if(status >= 500, "bad", "good") | stats count() by kind',
    [
      ['bad', 2],
      ['good', 5],
    ],
  ],
  ['| eval who = coalesce(user.name, "-") | top 1 who', [['-', 5, (100 * 5) / 7]]],
  [
    '| timechart span=1h count() by level',
    [
      ['2024-05-15T09:00:00.000Z', 'ERROR', 2],
      ['2024-05-15T09:00:00.000Z', 'INFO', 2],
      ['2024-05-15T09:00:00.000Z', 'WARN', 1],
      ['2024-05-15T10:00:00.000Z', 'DEBUG', 1],
      ['2024-05-15T10:00:00.000Z', 'INFO', 1],
    ],
  ],
  [
    '| top 2 service',
    [
      ['api', 3, 50],
      ['web', 2, (100 * 2) / 6],
    ],
  ],
  [
    '| rare 1 http.method by stream',
    [
      ['app', 'DELETE', 1, 25],
      ['web', 'GET', 1, 50],
    ],
  ],
  [
    '| sort -rt | head 2 | fields service, rt',
    [
      ['web', 3000],
      ['db', 900],
    ],
  ],
  [
    '| sort service | fields service, @timestamp | head 3',
    [
      ['api', '2024-05-15T10:05:00.000Z'],
      ['api', '2024-05-15T09:10:00.000Z'],
      ['api', '2024-05-15T09:00:00.000Z'],
    ],
  ],
  ['| dedup service | fields service', [['api'], ['web'], ['db']]],
  ['| dedup level, stream | stats count()', [[6]]],
  ['| rename service as svc | where svc = "db" | fields svc, service', [['db', null]]],
  [
    '| stats count() as n by level | where n > 1 | sort -n, level',
    [
      ['INFO', 3],
      ['ERROR', 2],
    ],
  ],
  ['| head 0 | stats count()', [[0]]],
];

describe('compiled pipelines on DuckDB', () => {
  let instance: DuckDBInstance;
  let db: DuckDBConnection;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    db = await instance.connect();
    await db.run(TEST_TABLE_DDL);
    await db.run(`INSERT INTO events VALUES ${ROWS}`);
  });

  afterAll(() => {
    db?.closeSync();
    instance?.closeSync();
  });

  async function run(query: string): Promise<unknown[][]> {
    const { sql, params, columns } = compile(query);
    const reader = await db.runAndReadAll(sql, params as DuckDBValue[]);
    return reader.getRowsJS().map((row) =>
      columns.map((c, i) => {
        const v = row[i];
        if (typeof v === 'bigint')
          return c.column.type === 'timestamp' ? formatTimestamp(Number(v)) : Number(v);
        return v;
      }),
    );
  }

  it.each(RESULTS)('%s', async (query, rows) => {
    expect(await run(query)).toEqual(rows);
  });

  it('fills every bucket of the time range in a timechart without by', async () => {
    const rows = await run('| timechart span=30m count()');
    expect(rows).toHaveLength(48);
    expect(rows[0]![0]).toBe('2024-05-14T10:30:00.000Z');
    const nonZero = rows.filter((r) => r[1] !== 0);
    expect(nonZero).toEqual([
      ['2024-05-15T09:00:00.000Z', 3],
      ['2024-05-15T09:30:00.000Z', 2],
      ['2024-05-15T10:00:00.000Z', 2],
    ]);
  });

  it('turns a regex RE2 rejects into a 400', async () => {
    const { sql, params } = compile('| where match(message, "a(")');
    const err = await db.runAndReadAll(sql, params as DuckDBValue[]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(translateRegexError(err)?.message).toBe('Cannot use a regular expression: missing ) at "a("');
  });

  it('runs random compiled pipelines without SQL errors', async () => {
    const rand = prng(77);
    let ran = 0;
    for (let i = 0; i < 400; i++) {
      let out: CompiledPipeline;
      try {
        out = compile(randomPipeline(rand));
      } catch {
        continue;
      }
      try {
        await db.runAndReadAll(out.sql, out.params as DuckDBValue[]);
        ran++;
      } catch (err) {
        // A user regex RE2 rejects is the only acceptable failure, and it translates to a 400.
        expect(translateRegexError(err), `${out.sql}: ${err}`).toBeInstanceOf(CairnError);
      }
    }
    expect(ran).toBeGreaterThan(200);
  });
});
