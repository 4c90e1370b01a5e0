import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../model/errors.js';
import { escapeTerm, parseQuery, quotePhrase } from '../../query/index.js';
import { formatIpv6, ipv6ToBigInt } from '../../query/ip.js';
import {
  type CompileContext,
  compileWhere,
  type FieldResolver,
  NON_WORD,
  neverEmptyRegex,
  type ResolvedField,
  requiredLiterals,
  translateRegexError,
  WORD,
  wordOnlyRegex,
} from './compile-where.js';

// A resolver built from plain data: the field → columns mapping a partition would report.
type Column = Omit<ResolvedField, 'name'>;
const col = (sql: string, type: ResolvedField['type'], extra: Partial<Column> = {}): Column => ({
  sql,
  type,
  list: false,
  text: false,
  ...extra,
});

const SCHEMA: Record<string, Column[]> = {
  '@timestamp': [col('e."@timestamp"', 'timestamp')],
  message: [col('e."message"', 'string', { text: true })],
  level: [col('e."level"', 'string')],
  service: [col('e."service"', 'string')],
  status: [col('e."status"', 'number')],
  clientip: [col('e."clientip"', 'ip')],
  ok: [col('e."ok"', 'boolean')],
  tags: [col('e."tags"', 'string', { list: true })],
  ports: [col('e."ports"', 'number', { list: true })],
  notes: [col('e."notes"', 'string', { list: true, text: true })],
  'http.request.method': [col('e."http.request.method"', 'string')],
  'http.response.status_code': [col('e."http.response.status_code"', 'number')],
  code: [col('e."code"', 'number'), col(`json_extract_string(e."_extra", '$."code"')`, 'string')],
  'user.name': [col(`json_extract_string(e."_extra", '$."user.name"')`, 'string')],
};

function resolverFor(schema: Record<string, Column[]>, defaults: string[] = ['message']): FieldResolver {
  const resolve = (name: string) => (schema[name] ?? []).map((c) => ({ name, ...c }));
  return { resolve, names: () => Object.keys(schema), defaultFields: () => defaults.flatMap(resolve) };
}

const RESOLVER = resolverFor(SCHEMA);
/** 2024-05-15T10:30:00Z. */
const NOW_US = Date.UTC(2024, 4, 15, 10, 30) * 1000;

function compile(query: string, resolver = RESOLVER): { sql: string; params: unknown[] } {
  const node = parseQuery(query);
  if (!node) throw new Error(`"${query}" matches everything`);
  const ctx: CompileContext = { resolver, params: [], nowUs: NOW_US };
  return { sql: compileWhere(node, ctx), params: ctx.params };
}

function compileError(query: string, resolver = RESOLVER): CairnError {
  try {
    compile(query, resolver);
  } catch (err) {
    if (err instanceof CairnError) return err;
    throw err;
  }
  throw new Error(`expected "${query}" to fail`);
}

const W = NON_WORD;
const tokenRegex = (body: string) => `(?i)(?:^|${W})${body}(?:$|${W})`;
const ipInt = (e: string) =>
  `(CASE WHEN len(string_split(${e}, '.')) = 4 THEN TRY_CAST(split_part(${e}, '.', 1) AS UTINYINT)::BIGINT * 16777216 + TRY_CAST(split_part(${e}, '.', 2) AS UTINYINT)::BIGINT * 65536 + TRY_CAST(split_part(${e}, '.', 3) AS UTINYINT)::BIGINT * 256 + TRY_CAST(split_part(${e}, '.', 4) AS UTINYINT)::BIGINT END)`;
const MSG = 'e."message"';
const text = (e: string) =>
  `(contains(lower(${e}), lower($1::VARCHAR)) AND regexp_matches(${e}, $2::VARCHAR))`;
/** Tokens without letters prefilter as they are, then the longest with letters through lower(). */
const digitsThenText = (e: string) =>
  `(contains(${e}, $1::VARCHAR) AND contains(lower(${e}), lower($2::VARCHAR)) AND regexp_matches(${e}, $3::VARCHAR))`;

// [query, SQL, params]
const GOLDEN: [string, string, unknown[]][] = [
  ['level:ERROR', 'e."level" = $1::VARCHAR', ['ERROR']],
  ['level:ERR*', `e."level" LIKE $1::VARCHAR ESCAPE '\\'`, ['ERR%']],
  ['level:a%b_c\\\\*', `e."level" LIKE $1::VARCHAR ESCAPE '\\'`, ['a\\%b\\_c\\\\%']],
  [
    'level:/ERR.*/',
    '(contains(e."level", $1::VARCHAR) AND regexp_full_match(e."level", $2::VARCHAR))',
    ['ERR', '(?s)ERR.*'],
  ],
  ['level:"two words"', 'e."level" = $1::VARCHAR', ['two words']],
  ['level:[A TO M}', '(e."level" >= $1::VARCHAR AND e."level" < $2::VARCHAR)', ['A', 'M']],
  ['level:*', '(e."level" IS NOT NULL)', []],
  ['status:200', 'e."status" = $1::DOUBLE', [200]],
  ['status:(200 OR 404)', '(e."status" = $1::DOUBLE OR e."status" = $2::DOUBLE)', [200, 404]],
  ['status:[200 TO 299]', '(e."status" >= $1::DOUBLE AND e."status" <= $2::DOUBLE)', [200, 299]],
  ['status:>=500', 'e."status" >= $1::DOUBLE', [500]],
  ['status:<5e2', 'e."status" < $1::DOUBLE', [500]],
  ['status:[* TO *]', '(e."status" IS NOT NULL)', []],
  ['NOT status:200', '(NOT COALESCE(e."status" = $1::DOUBLE, FALSE))', [200]],
  [
    'level:ERROR AND NOT (status:200 OR status:404)',
    '(e."level" = $1::VARCHAR AND (NOT (COALESCE(e."status" = $2::DOUBLE, FALSE) OR COALESCE(e."status" = $3::DOUBLE, FALSE))))',
    ['ERROR', 200, 404],
  ],
  ['error', text(MSG), ['error', tokenRegex('error')]],
  // One lower() per value: only the longest token with letters prefilters that way.
  ['"connection refused"', text(MSG), ['connection', tokenRegex(`connection${W}+refused`)]],
  ['connection-refused', text(MSG), ['connection', tokenRegex(`connection${W}+refused`)]],
  [
    '"gateway 504 timeout"',
    digitsThenText(MSG),
    ['504', 'gateway', tokenRegex(`gateway${W}+504${W}+timeout`)],
  ],
  // An id's letterless run (4+ characters) prefilters without lower(); `ab_12` has none long enough.
  ['pi_21935324', digitsThenText(MSG), ['_21935324', 'pi_21935324', tokenRegex('pi_21935324')]],
  ['ab_12', text(MSG), ['ab_12', tokenRegex('ab_12')]],
  [
    '"10.1.2.33"',
    `(contains(${MSG}, $1::VARCHAR) AND contains(${MSG}, $2::VARCHAR) AND contains(${MSG}, $3::VARCHAR) AND regexp_matches(${MSG}, $4::VARCHAR))`,
    ['10', '33', '1', tokenRegex(`10${W}+1${W}+2${W}+33`)],
  ],
  ['message:conn*', text(MSG), ['conn', tokenRegex(`conn${WORD}*`)]],
  ['message:us?r', text(MSG), ['us', tokenRegex(`us${WORD}r`)]],
  ['message:?', `regexp_matches(${MSG}, $1::VARCHAR)`, [tokenRegex(WORD)]],
  ['message:"--"', 'FALSE', []],
  [
    'message:/err.*/',
    `(contains(lower(${MSG}), $2::VARCHAR) AND regexp_matches(${MSG}, $1::VARCHAR) AND (regexp_full_match(${MSG}, $1::VARCHAR) OR len(list_filter(regexp_extract_all(${MSG}, '${WORD}+'), lambda t: regexp_full_match(t, $1::VARCHAR))) > 0))`,
    ['(?is)err.*', 'err'],
  ],
  [
    // Only token characters, never empty: one regex between separators.
    'message:/pi_[0-9]{8}/',
    `(contains(lower(${MSG}), $1::VARCHAR) AND regexp_matches(${MSG}, $2::VARCHAR))`,
    ['pi_', `(?is)(?:^|${W})(?:pi_[0-9]{8})(?:$|${W})`],
  ],
  ['a OR a', `(${text(MSG)} OR ${text(MSG)})`, ['a', tokenRegex('a')]],
  ['ok:true', 'e."ok" = $1::BOOLEAN', [true]],
  ['ok:FALSE', 'e."ok" = $1::BOOLEAN', [false]],
  ['tags:prod', 'list_contains(e."tags", $1::VARCHAR)', ['prod']],
  ['tags:pro*', `(len(list_filter(e."tags", lambda x: x LIKE $1::VARCHAR ESCAPE '\\')) > 0)`, ['pro%']],
  [
    'tags:[a TO c]',
    '(len(list_filter(e."tags", lambda x: (x >= $1::VARCHAR AND x <= $2::VARCHAR))) > 0)',
    ['a', 'c'],
  ],
  ['_exists_:tags', '(len(e."tags") > 0)', []],
  ['NOT tags:prod', '(NOT COALESCE(list_contains(e."tags", $1::VARCHAR), FALSE))', ['prod']],
  ['ports:443', 'list_contains(e."ports", $1::DOUBLE)', [443]],
  ['ports:>1024', '(len(list_filter(e."ports", lambda x: x > $1::DOUBLE)) > 0)', [1024]],
  [
    'notes:timeout',
    `(len(list_filter(e."notes", lambda x: ${text('x')})) > 0)`,
    ['timeout', tokenRegex('timeout')],
  ],
  [
    '@timestamp:[now-1h TO now]',
    '(e."@timestamp" >= make_timestamp($1::BIGINT) AND e."@timestamp" <= make_timestamp($2::BIGINT))',
    [NOW_US - 3_600_000_000, NOW_US],
  ],
  [
    '@timestamp:[now/d TO now/d]',
    '(e."@timestamp" >= make_timestamp($1::BIGINT) AND e."@timestamp" <= make_timestamp($2::BIGINT))',
    [Date.UTC(2024, 4, 15) * 1000, Date.UTC(2024, 4, 16) * 1000 - 1],
  ],
  [
    '@timestamp:{now/d TO now/d}',
    '(e."@timestamp" > make_timestamp($1::BIGINT) AND e."@timestamp" < make_timestamp($2::BIGINT))',
    [Date.UTC(2024, 4, 16) * 1000 - 1, Date.UTC(2024, 4, 15) * 1000],
  ],
  [
    '@timestamp:2024-05-14',
    '(e."@timestamp" BETWEEN make_timestamp($1::BIGINT) AND make_timestamp($2::BIGINT))',
    [Date.UTC(2024, 4, 14) * 1000, Date.UTC(2024, 4, 15) * 1000 - 1],
  ],
  ['@timestamp:>=1715767800000', 'e."@timestamp" >= make_timestamp($1::BIGINT)', [1715767800000000]],
  ['@timestamp:now', 'e."@timestamp" = make_timestamp($1::BIGINT)', [NOW_US]],
  ['clientip:10.0.0.0/8', 'prefix(e."clientip", $1::VARCHAR)', ['10.']],
  [
    'clientip:10.128.0.0/9',
    `(prefix(e."clientip", $1::VARCHAR) AND ${ipInt('e."clientip"')} BETWEEN $2::BIGINT AND $3::BIGINT)`,
    ['10.', 176160768, 184549375],
  ],
  ['clientip:10.0.0.7/32', 'e."clientip" = $1::VARCHAR', ['10.0.0.7']],
  ['clientip:10.0.0.7/0', `(${ipInt('e."clientip"')} BETWEEN $1::BIGINT AND $2::BIGINT)`, [0, 4294967295]],
  ['clientip:10.0.0.1', 'e."clientip" = $1::VARCHAR', ['10.0.0.1']],
  ['clientip:2001:0DB8::1', 'e."clientip" = $1::VARCHAR', ['2001:db8::1']],
  ['clientip:"::FFFF:0a00:0001"', 'e."clientip" = $1::VARCHAR', ['::ffff:10.0.0.1']],
  ['clientip:2001:db8::1/128', 'e."clientip" = $1::VARCHAR', ['2001:db8::1']],
  [
    'clientip:{10.0.0.0 TO 10.0.0.255}',
    `(${ipInt('e."clientip"')} BETWEEN $1::BIGINT AND $2::BIGINT)`,
    [167772161, 167772414],
  ],
  ['clientip:>10.0.0.0', `(${ipInt('e."clientip"')} >= $1::BIGINT)`, [167772161]],
  ['clientip:10.0.*', `e."clientip" LIKE $1::VARCHAR ESCAPE '\\'`, ['10.0.%']],
  [
    'clientip:/10\\..*/',
    '(contains(e."clientip", $1::VARCHAR) AND regexp_full_match(e."clientip", $2::VARCHAR))',
    ['10.', '(?s)10\\..*'],
  ],
  ['http.*:GET', 'e."http.request.method" = $1::VARCHAR', ['GET']],
  [
    'http.*:200',
    '(e."http.request.method" = $1::VARCHAR OR e."http.response.status_code" = $2::DOUBLE)',
    ['200', 200],
  ],
  ['h*.status_code:abc', 'FALSE', []],
  [
    'code:500',
    `(e."code" = $1::DOUBLE OR json_extract_string(e."_extra", '$."code"') = $2::VARCHAR)`,
    [500, '500'],
  ],
  ['code:E42', `json_extract_string(e."_extra", '$."code"') = $1::VARCHAR`, ['E42']],
  ['nope:x', 'FALSE', []],
  ['NOT nope:x', '(NOT FALSE)', []],
  ['_exists_:nope', 'FALSE', []],
  [
    '_exists_:http.*',
    '((e."http.request.method" IS NOT NULL) OR (e."http.response.status_code" IS NOT NULL))',
    [],
  ],
  ['a AND *', `(${text(MSG)} AND TRUE)`, ['a', tokenRegex('a')]],
];

describe('compileWhere', () => {
  it.each(GOLDEN)('%s', (query, sql, params) => {
    expect(compile(query)).toEqual({ sql, params });
  });

  it('numbers parameters after those already in ctx.params', () => {
    const ctx: CompileContext = { resolver: RESOLVER, params: ['from', 'to'], nowUs: NOW_US };
    expect(compileWhere(parseQuery('level:ERROR status:500')!, ctx)).toBe(
      '(e."level" = $3::VARCHAR AND e."status" = $4::DOUBLE)',
    );
    expect(ctx.params).toEqual(['from', 'to', 'ERROR', 500]);
  });

  it('matches nothing for bare terms when there are no default fields', () => {
    expect(compile('error "a phrase" /x/ >5', resolverFor(SCHEMA, []))).toEqual({
      sql: '(FALSE AND FALSE AND FALSE AND FALSE)',
      params: [],
    });
  });

  it('skips default fields whose type cannot hold the value', () => {
    expect(compile('abc', resolverFor(SCHEMA, ['status', 'level']))).toEqual({
      sql: 'e."level" = $1::VARCHAR',
      params: ['abc'],
    });
    expect(compile('abc', resolverFor(SCHEMA, ['status']))).toEqual({ sql: 'FALSE', params: [] });
  });
});

// [query, message]
const ERRORS: [string, string][] = [
  ['status:abc', 'Cannot compare field "status" (number) with "abc": expected a number'],
  ['status:>abc', 'Cannot compare field "status" (number) with "abc": expected a number'],
  ['status:[1 TO x]', 'Cannot compare field "status" (number) with "x": expected a number'],
  ['status:20*', 'Cannot use wildcards on field "status" (number): only on string and ip fields'],
  [
    'status:/2.*/',
    'Cannot use a regular expression on field "status" (number): only on string and ip fields',
  ],
  ['ok:yes', 'Cannot compare field "ok" (boolean) with "yes": expected true or false'],
  [
    '@timestamp:yesterday',
    'Cannot compare field "@timestamp" (timestamp) with "yesterday": expected ISO 8601',
  ],
  [
    '@timestamp:>2024-13-01',
    'Cannot compare field "@timestamp" (timestamp) with "2024-13-01": month must be 1-12',
  ],
  ['@timestamp:[now-1x TO now]', 'with "now-1x": unknown unit "x"'],
  [
    'clientip:localhost',
    'Cannot compare field "clientip" (ip) with "localhost": expected an IP address or a CIDR block',
  ],
  ['clientip:10.0.0.0/33', 'expected an IP address or a CIDR block'],
  ['clientip:[a TO b]', 'Cannot compare field "clientip" (ip) with "a": expected an IP address'],
  [
    'clientip:[10.0.0.0 TO ::1]',
    'Cannot compare field "clientip" (ip) with "::1": expected an IPv4 address like the other bound',
  ],
  ['clientip:[::1 TO 10.0.0.0]', 'with "10.0.0.0": expected an IPv6 address like the other bound'],
  ['clientip:2001:db8::/129', 'expected an IP address or a CIDR block'],
  ['ports:x', 'Cannot compare field "ports" (number) with "x": expected a number'],
];

describe('compileWhere errors', () => {
  it.each(ERRORS)('%s', (query, message) => {
    const err = compileError(query);
    expect(err.code).toBe('invalid_query');
    expect(err.status).toBe(400);
    expect(err.message).toContain(message);
    expect(err.details).toMatchObject({ position: 0 });
  });

  it('reports the position of the offending clause', () => {
    expect(compileError('level:ERROR AND status:abc').details).toEqual({
      field: 'status',
      type: 'number',
      value: 'abc',
      position: 16,
    });
  });

  it('does not fail when another column of the field holds the value', () => {
    expect(compile('code:abc').params).toEqual(['abc']);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: hostile input yields a CairnError 400 or SQL made only of the compiler's own
// vocabulary, the resolver's field SQL and $N parameters; never a crash, never user text in SQL.

/** Park–Miller, so failures reproduce. */
function prng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 16_807) % 2_147_483_647;
    return s % n;
  };
}

const HOSTILE = [
  "'; DROP TABLE events; --",
  "' OR '1'='1",
  '"; DELETE FROM x; --',
  '\\',
  '$1',
  '$$',
  '::VARCHAR',
  'e."level"',
  '/* comment */',
  'ZQXJ',
  'é日本😀',
  '\u0000',
  '%_',
  'lambda x:',
  'NULL',
  ')) OR TRUE --',
  '10.0.0.0/8',
  'now-1h/d',
  '2024-01-01',
  '200',
  'true',
];
const SYNTAX = [
  ' ',
  ' AND ',
  ' OR ',
  ' NOT ',
  '(',
  ')',
  '"',
  ':',
  '*',
  '?',
  '[',
  ' TO ',
  ']',
  '{',
  '}',
  '>',
  '<=',
  '-',
  '+',
  '!',
  '/',
  '\\',
  '~',
  '^',
  "'",
  ';',
];
const FIELDS = [...Object.keys(SCHEMA), 'http.*', '*', 'unknown', '_exists_', "x'; --"];

function randomQuery(rand: (n: number) => number): string {
  let query = '';
  for (let i = 1 + rand(6); i > 0; i--) {
    const roll = rand(20);
    const value = HOSTILE[rand(HOSTILE.length)]!;
    const field = escapeTerm(FIELDS[rand(FIELDS.length)]!).replace(/\\\*/g, '*');
    let clause: string;
    if (roll < 7) clause = `${field}:${escapeTerm(value)}`;
    else if (roll < 11) clause = `${field}:${quotePhrase(value)}`;
    else if (roll < 13)
      clause = `${field}:[${escapeTerm(value)} TO ${escapeTerm(HOSTILE[rand(HOSTILE.length)]!)}}`;
    else if (roll < 15) clause = `${field}:/${value.replace(/\//g, '\\/')}/`;
    else if (roll < 17) clause = `${field}:${escapeTerm(value).slice(0, 4)}*`;
    else if (roll < 18) clause = quotePhrase(value);
    else clause = SYNTAX[rand(SYNTAX.length)]! + value;
    query += (query ? SYNTAX[rand(4)]! : '') + clause;
  }
  return query;
}

const VOCABULARY = new Set(
  `TRUE FALSE AND OR NOT COALESCE IS NULL LIKE ESCAPE BETWEEN CASE WHEN THEN END VARCHAR DOUBLE BOOLEAN BIGINT
  UTINYINT TRY_CAST AS len list_filter list_contains lambda x t contains starts_with prefix lower regexp_matches regexp_full_match
  regexp_extract_all make_timestamp string_split split_part FIELD PARAM 1 2 3 4 0 256 65536 16777216`.split(
    /\s+/,
  ),
);
const LITERALS = new Set(["'\\'", "'.'", `'${WORD}+'`]);
const FIELD_SQL = Object.values(SCHEMA)
  .flat()
  .map((c) => c.sql)
  .sort((a, b) => b.length - a.length);

/** Asserts `sql` is compiler vocabulary, field SQL and parameters only, and uses every parameter. */
function assertOnlyCompilerText(sql: string, params: unknown[]): void {
  let rest = sql;
  for (const f of FIELD_SQL) rest = rest.split(f).join(' FIELD ');
  const used = new Set<number>();
  rest = rest.replace(/\$(\d+)/g, (_, n: string) => {
    used.add(Number(n));
    return ' PARAM ';
  });
  rest = rest.replace(/'[^']*'/g, (lit) => {
    expect(LITERALS.has(lit), `unexpected literal ${lit} in ${sql}`).toBe(true);
    return ' ';
  });
  for (const token of rest.split(/[\s(),:=<>*+.]+/)) {
    if (token) expect(VOCABULARY.has(token), `unexpected "${token}" in ${sql}`).toBe(true);
  }
  expect([...used].sort((a, b) => a - b)).toEqual(params.map((_, i) => i + 1));
}

describe('compileWhere on hostile input', () => {
  it('emits no user text and no orphan parameters, or fails with a 400', () => {
    const rand = prng(20_240_515);
    let compiled = 0;
    for (let i = 0; i < 4000; i++) {
      const query = randomQuery(rand);
      let sql: string;
      const params: unknown[] = [];
      try {
        const node = parseQuery(query, { defaultOperator: rand(2) ? 'OR' : 'AND' });
        if (!node) continue;
        sql = compileWhere(node, { resolver: RESOLVER, params, nowUs: NOW_US });
      } catch (err) {
        expect(err, query).toBeInstanceOf(CairnError);
        expect((err as CairnError).status).toBe(400);
        continue;
      }
      compiled++;
      assertOnlyCompilerText(sql, params);
    }
    // The generator must exercise the compiler, not only the parser's error paths.
    expect(compiled).toBeGreaterThan(1000);
  });

  it('handles random characters and a 10 KB query', () => {
    const rand = prng(7);
    const chars = 'abc:"\'\\/()[]{}*?~^+-!&|<>= \n\t;%_$é😀0123456789.';
    for (let i = 0; i < 3000; i++) {
      let query = '';
      for (let j = rand(40); j > 0; j--) query += chars[rand(chars.length)];
      try {
        const node = parseQuery(query);
        const params: unknown[] = [];
        if (node)
          assertOnlyCompilerText(compileWhere(node, { resolver: RESOLVER, params, nowUs: NOW_US }), params);
      } catch (err) {
        expect(err, query).toBeInstanceOf(CairnError);
      }
    }
    const big = Array.from(
      { length: 800 },
      (_, i) => `level:${escapeTerm(`${HOSTILE[i % HOSTILE.length]}${i}`)}`,
    ).join(' OR ');
    expect(big.length).toBeGreaterThan(10_000);
    const { sql, params } = compile(big);
    expect(params).toHaveLength(800);
    assertOnlyCompilerText(sql, params);
  });
});

// ---------------------------------------------------------------------------------------------
// The compiled clauses against a real DuckDB table.

const ROWS = `
(1, TIMESTAMP '2024-05-15 10:00:00', 'Connection refused by upstream 10.0.0.5', 'ERROR', 'payment-service', 500, '10.0.0.5', false, ['prod', 'eu'], [80, 443], ['Retry scheduled', 'Upstream timeout'], 'GET', 500, NULL),
(2, TIMESTAMP '2024-05-15 09:00:00', 'User login succeeded for user_42', 'INFO', 'auth', 200, '192.168.1.20', true, ['prod'], [8080], ['ok'], 'POST', NULL, '{"code":"E42","user.name":"alice"}'),
(3, TIMESTAMP '2024-05-14 23:59:59.999', 'ERROR: disk full on /var/log', 'ERROR', 'storage', NULL, '2001:db8::1', NULL, [], NULL, NULL, NULL, NULL, NULL),
(4, TIMESTAMP '2024-05-13 12:00:00', 'connection-refused while calling api', 'WARN', 'api', 404, '10.200.3.4', NULL, ['staging'], [], NULL, 'PUT', NULL, '{"user.name":"Bob Smith"}'),
(5, TIMESTAMP '2024-05-15 10:29:00', 'Ünïcödé Straße naïve café 日本語 done', 'DEBUG', 'web', 301, '::1', NULL, NULL, NULL, NULL, 'GET', NULL, NULL),
(6, TIMESTAMP '2024-05-01 00:00:00', '100% done; took 5ms (a_b) user42', 'INFO', 'payment_service', 200.5, '172.16.0.1', NULL, ['eu', 'canary'], NULL, NULL, 'DELETE', NULL, NULL),
(7, TIMESTAMP '2024-04-01 00:00:00', NULL, 'INFO', 'api', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
(8, TIMESTAMP '2024-05-15 08:00:00', 'refused connection', 'error', 'Payment-Service', 503, '10.0.0.255', NULL, NULL, NULL, NULL, NULL, 503, '{"code":"503"}')`;

const ALL = [1, 2, 3, 4, 5, 6, 7, 8];
const except = (...ids: number[]) => ALL.filter((id) => !ids.includes(id));

// [query, ids of matching rows]
const SELECTS: [string, number[]][] = [
  ['level:ERROR', [1, 3]],
  ['level:error', [8]],
  ['connection', [1, 4, 8]],
  ['CONNECTION', [1, 4, 8]],
  ['"connection refused"', [1, 4]],
  ['connection-refused', [1, 4]],
  ['"refused connection"', [8]],
  ['conn', []],
  ['conn*', [1, 4, 8]],
  ['message:refus?d', [1, 4, 8]],
  ['message:*fuse*', [1, 4, 8]],
  ['ERROR', [3]],
  ['message:user', [2]],
  ['message:user*', [2, 6]],
  ['message:user_42', [2]],
  ['"100%"', [6]],
  ['message:a_b', [6]],
  ['done', [5, 6]],
  ['straße', [5]],
  ['ÜNÏCÖDÉ', [5]],
  ['café', [5]],
  ['日本語', [5]],
  ['message:/err.*/', [3]],
  ['message:/ERROR: .*/', [3]],
  ['message:/.*refused.*/', [1, 4, 8]],
  ['message:/us.r_[0-9]+/', [2]],
  ['service:payment-service', [1]],
  ['service:pay*', [1, 6]],
  ['service:payment_*', [6]],
  ['service:*-service', [1]],
  ['service:/pay.*/', [1, 6]],
  ['service:/pay/', []],
  ['level:/ERR.*/', [1, 3]],
  ['NOT level:/ERR.*/', except(1, 3)],
  ['status:200', [2]],
  ['status:200.5', [6]],
  ['status:[200 TO 300]', [2, 6]],
  ['status:{200 TO 301]', [5, 6]],
  ['status:>=500', [1, 8]],
  ['status:<300', [2, 6]],
  ['NOT status:200', except(2)],
  ['-status:200', except(2)],
  ['NOT _exists_:status', [3, 7]],
  ['status:*', except(3, 7)],
  ['clientip:10.0.0.0/8', [1, 4, 8]],
  ['clientip:10.0.0.0/24', [1, 8]],
  ['clientip:[10.0.0.0 TO 10.0.0.100]', [1]],
  ['clientip:{10.0.0.5 TO 10.0.0.255}', []],
  ['clientip:>=172.16.0.0', [2, 6]],
  ['clientip:2001:db8::1', [3]],
  ['clientip:"2001:0DB8:0:0::0001"', [3]],
  ['clientip:::1', [5]],
  ['NOT clientip:10.0.0.0/8', except(1, 4, 8)],
  ['clientip:10.0.0.*', [1, 8]],
  ['clientip:2001:db8::/32', [3]],
  ['clientip:"2001:DB8:0:0:1::/80"', []],
  ['clientip:::/0', [3, 5]],
  ['clientip:::/127', [5]],
  ['NOT clientip:2001:db8::/32', except(3)],
  ['clientip:[::1 TO 2001:db8::1]', [3, 5]],
  ['clientip:{::1 TO 2001:db8::1}', []],
  ['clientip:>=2001:db8::', [3]],
  ['clientip:<2001:db8::', [5]],
  ['tags:prod', [1, 2]],
  ['tags:(eu OR staging)', [1, 4, 6]],
  ['tags:can*', [6]],
  ['tags:[a TO f]', [1, 6]],
  ['_exists_:tags', [1, 2, 4, 6]],
  ['NOT tags:prod', except(1, 2)],
  ['ports:443', [1]],
  ['ports:[8000 TO 9000]', [2]],
  ['ports:>100', [1, 2]],
  ['notes:timeout', [1]],
  ['notes:/time.*/', [1]],
  ['notes:"retry scheduled"', [1]],
  ['@timestamp:[now-1h TO now]', [1, 5]],
  ['@timestamp:[now/d TO now]', [1, 2, 5, 8]],
  ['@timestamp:<now/d', [3, 4, 6, 7]],
  ['@timestamp:2024-05-14', [3]],
  ['@timestamp:>now-2h', [1, 2, 5]],
  ['@timestamp:{now/d TO *}', []],
  ['@timestamp:[2024-05 TO 2024-05]', except(7)],
  ['@timestamp:{* TO now/d]', ALL],
  ['@timestamp:"2024-05-15T10:00:00Z"', [1]],
  ['@timestamp:[2024-05-15T12:00:00+02:00 TO 2024-05-15T10:00:00Z]', [1]],
  ['http.request.method:GET', [1, 5]],
  ['http.*:GET', [1, 5]],
  ['http.*:DELETE', [6]],
  ['code:500', [1]],
  ['code:E42', [2]],
  ['code:503', [8]],
  ['user.name:alice', [2]],
  ['user.name:"Bob Smith"', [4]],
  ['unknown:x', []],
  ['NOT unknown:x', ALL],
  ['ok:true', [2]],
  ['ok:false', [1]],
  ['NOT ok:true', except(2)],
  ['level:ERROR AND NOT service:storage', [1]],
  ['level:(ERROR OR WARN) AND status:>=400', [1, 4]],
  ['-level:INFO -level:DEBUG', [1, 3, 4, 8]],
  ['_exists_:message', except(7)],
  ['NOT (connection OR done)', [2, 3, 7]],
  ['level:INFO OR NOT service:api', [2, 6]],
];

describe('compiled clauses on DuckDB', () => {
  let instance: DuckDBInstance;
  let db: DuckDBConnection;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    db = await instance.connect();
    await db.run(`CREATE TABLE events (id INTEGER, "@timestamp" TIMESTAMP, message VARCHAR, level VARCHAR,
      service VARCHAR, status DOUBLE, clientip VARCHAR, ok BOOLEAN, tags VARCHAR[], ports DOUBLE[], notes VARCHAR[],
      "http.request.method" VARCHAR, code DOUBLE, _extra VARCHAR)`);
    await db.run(`ALTER TABLE events ADD COLUMN "http.response.status_code" DOUBLE`);
    await db.run(`INSERT INTO events (id, "@timestamp", message, level, service, status, clientip, ok, tags, ports,
      notes, "http.request.method", code, _extra) VALUES ${ROWS}`);
  });

  afterAll(() => {
    db?.closeSync();
    instance?.closeSync();
  });

  async function select(query: string, table = 'events'): Promise<number[]> {
    const { sql, params } = compile(query);
    const reader = await db.runAndReadAll(
      `SELECT id FROM ${table} AS e WHERE ${sql} ORDER BY id`,
      params as (string | number | boolean)[],
    );
    return reader.getRows().map((r) => Number(r[0]));
  }

  it.each(SELECTS)('%s', async (query, ids) => {
    expect(await select(query)).toEqual(ids);
  });

  it('runs the deepest queries the parser accepts', async () => {
    expect(await select(`${'NOT ('.repeat(50)}level:ERROR${')'.repeat(50)}`)).toEqual([1, 3]);
    let nested = 'level:ERROR';
    for (let i = 0; i < 99; i++)
      nested = i % 2 ? `(level:WARN OR ${nested})` : `(_exists_:level AND ${nested})`;
    expect(await select(nested)).toEqual([1, 3, 4]);
  });

  it('turns a regex RE2 rejects into a 400 naming it', async () => {
    const { sql, params } = compile('service:/a(b/ OR message:/x)/');
    const err = await db.runAndReadAll(`SELECT id FROM events AS e WHERE ${sql}`, params as string[]).then(
      () => null,
      (e: unknown) => e,
    );
    const translated = translateRegexError(err);
    expect(translated?.status).toBe(400);
    expect(translated?.message).toBe('Cannot use a regular expression: missing ) at "a(b"');
    expect(translateRegexError(new Error('Conversion Error: x'))).toBeNull();
  });

  it('runs random compiled queries without SQL errors', async () => {
    const rand = prng(99);
    let ran = 0;
    let regexErrors = 0;
    for (let i = 0; i < 300; i++) {
      let compiled: { sql: string; params: unknown[] };
      try {
        const query = randomQuery(rand);
        if (!parseQuery(query)) continue;
        compiled = compile(query);
      } catch {
        continue;
      }
      try {
        await db.runAndReadAll(
          `SELECT count(*) FROM events AS e WHERE ${compiled.sql}`,
          compiled.params as (string | number | boolean)[],
        );
        ran++;
      } catch (err) {
        // A user regex RE2 rejects is the only acceptable failure, and it translates to a 400.
        expect(translateRegexError(err), `${compiled.sql}: ${err}`).toBeInstanceOf(CairnError);
        regexErrors++;
      }
    }
    expect(ran).toBeGreaterThan(60);
    expect(regexErrors).toBeGreaterThan(0);
  });

  it('matches regexes of token characters exactly as splitting the value into tokens does', async () => {
    const rand = prng(7);
    const pick = <T>(items: ArrayLike<T>): T => items[rand(items.length)]!;
    const values = Array.from({ length: 400 }, () =>
      Array.from({ length: rand(24) }, () => pick('abAB12_ -.:/xé')).join(''),
    );
    await db.run('CREATE TABLE regex_values (id INTEGER, message VARCHAR)');
    await db.run(
      `INSERT INTO regex_values VALUES ${values.map((v, i) => `(${i}, '${v.replace(/'/g, "''")}')`).join(', ')}, (400, NULL)`,
    );
    const atoms = ['a', 'b', 'ab', 'ba', '12', '_', '[ab]', '[0-9]', '\\d', '\\w', 'B1'];
    let patterns = 0; // compiled to one regex between separators
    let matched = 0;
    for (let i = 0; i < 300; i++) {
      let pattern = '';
      for (let n = 1 + rand(4); n > 0; n--)
        pattern += atoms[rand(atoms.length)]! + pick(['', '', '', '+', '?', '*', '{1,2}']);
      if (rand(5) === 0) pattern = `(${pattern}|ab)`;
      const { sql, params } = compile(`message:/${pattern}/`);
      if (!sql.includes('regexp_extract_all')) patterns++;
      const p = `(?is)${pattern}`;
      const bySplitting = `regexp_full_match(e.message, $1) OR len(list_filter(regexp_extract_all(e.message, '${WORD}+'), lambda t: regexp_full_match(t, $1))) > 0`;
      const ids = async (where: string, args: unknown[]) =>
        (
          await db.runAndReadAll(
            `SELECT id FROM regex_values AS e WHERE ${where} ORDER BY id`,
            args as string[],
          )
        )
          .getRows()
          .map((r) => Number(r[0]));
      const expected = await ids(bySplitting, [p]);
      expect(await ids(sql, params), pattern).toStrictEqual(expected);
      if (expected.length > 0) matched++;
    }
    expect(patterns).toBeGreaterThan(40);
    expect(matched).toBeGreaterThan(20);
  });

  it('matches IPv4 CIDR blocks as comparing the addresses as integers does', async () => {
    const rand = prng(7);
    // Addresses sharing leading octets, with octets of one, two and three digits.
    const octets = [0, 1, 9, 10, 12, 99, 100, 128, 200, 218, 255];
    const addresses = Array.from({ length: 400 }, () =>
      Array.from({ length: 4 }, () => (rand(3) === 0 ? rand(256) : octets[rand(octets.length)]!)),
    );
    const values = addresses.map(([a, b, c, d]) => ((a! * 256 + b!) * 256 + c!) * 256 + d!);
    await db.run('CREATE TABLE ipv4_values (id INTEGER, clientip VARCHAR)');
    await db.run(
      `INSERT INTO ipv4_values VALUES ${addresses.map((a, i) => `(${i}, '${a.join('.')}')`).join(', ')}, (900, '::ffff:10.0.0.1'), (901, NULL)`,
    );
    const ids = (query: string) => select(query, 'ipv4_values');
    let nonEmpty = 0;
    for (let i = 0; i < 80; i++) {
      const a = rand(values.length);
      const prefix = i < 33 ? i : rand(33);
      const size = 2 ** (32 - prefix);
      const first = Math.floor(values[a]! / size) * size;
      const expected = values.flatMap((v, j) => (v >= first && v < first + size ? [j] : []));
      const block = `${addresses[a]!.join('.')}/${prefix}`;
      expect(await ids(`clientip:${block.replaceAll('/', '\\/')}`), block).toStrictEqual(expected);
      if (expected.length > 1 && expected.length < values.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(30);
  });

  it('matches IPv6 CIDR blocks and ranges as comparing the addresses as 128-bit integers does', async () => {
    const rand = prng(11);
    // Addresses that share prefixes and zero runs, so blocks and ranges cut between neighbours.
    const groupChoices = [0, 0, 0, 1, 0xdb8, 0x2001, 0xffff, 0xfe80, 0x8000, 0x7fff];
    const addresses = Array.from({ length: 300 }, () =>
      Array.from({ length: 8 }, () =>
        rand(4) === 0 ? rand(0x10000) : groupChoices[rand(groupChoices.length)]!,
      ),
    );
    for (let i = 0; i < 20; i++) addresses.push([0, 0, 0, 0, 0, 0xffff, rand(0x10000), rand(0x10000)]);
    // Neighbours that differ in the last bits only (where 64-bit floating point would see one value).
    for (let i = 0; i < 60; i++) {
      const near = [...addresses[rand(addresses.length)]!];
      near[7] = (near[7]! + 1 + rand(3)) % 0x10000;
      addresses.push(near);
    }
    const texts = addresses.map(formatIpv6);
    await db.run('CREATE TABLE ipv6_values (id INTEGER, clientip VARCHAR)');
    await db.run(
      `INSERT INTO ipv6_values VALUES ${texts.map((t, i) => `(${i}, '${t}')`).join(', ')}, (900, '10.0.0.1'), (901, NULL)`,
    );
    const values = addresses.map(ipv6ToBigInt);
    const ids = (query: string) => select(query, 'ipv6_values');
    const where = (test: (v: bigint) => boolean) => values.flatMap((v, i) => (test(v) ? [i] : []));
    let nonEmpty = 0;
    for (let i = 0; i < 60; i++) {
      const a = values[rand(values.length)]!;
      const b = values[rand(values.length)]!;
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const prefix = [0, 1, 16, 32, 48, 64, 80, 96, 112, 120, 127][rand(11)]!;
      const block = `${texts[values.indexOf(a)]}/${prefix}`;
      const shift = BigInt(128 - prefix);
      const cidrExpected = where((v) => v >> shift === a >> shift);
      expect(await ids(`clientip:"${block}"`), block).toStrictEqual(cidrExpected);
      const [loText, hiText] = [texts[values.indexOf(lo)]!, texts[values.indexOf(hi)]!];
      expect(await ids(`clientip:["${loText}" TO "${hiText}"]`)).toStrictEqual(
        where((v) => v >= lo && v <= hi),
      );
      expect(await ids(`clientip:{"${loText}" TO "${hiText}"}`)).toStrictEqual(
        where((v) => v > lo && v < hi),
      );
      expect(await ids(`clientip:>="${loText}"`)).toStrictEqual(where((v) => v >= lo));
      if (cidrExpected.length > 1) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(10);
  });
});

describe('wordOnlyRegex', () => {
  it.each([
    ['pi_[0-9]{8}', true],
    ['(foo|bar)_\\d+', true],
    ['[A-Za-z0-9_]{2,}x?', true],
    ['\\w+id', true],
    ['err.*', false],
    ['a b', false],
    ['[^a]b', false],
    ['[a-]b', false],
    ['[0-z]b', false],
    ['(?i)ab', false],
    ['ab\\.c', false],
    ['a\\sb', false],
    ['ab{2', false],
    ['[ab', false],
  ])('/%s/ → %s', (pattern, expected) => {
    expect(wordOnlyRegex(pattern)).toBe(expected);
  });

  it.each([
    ['[a-z]+_[0-9]+', true],
    ['a?b*c{0,2}d', true],
    ['(ab)+c?', false],
    ['a|bc', false],
    ['(a|b)c', true],
    ['a?b*', false],
    ['[0-9]{0,3}', false],
    ['\\d{10}', true],
    ['x{00,1}', false],
  ])('/%s/ never matches nothing → %s', (pattern, expected) => {
    expect(neverEmptyRegex(pattern)).toBe(expected);
  });
});

describe('requiredLiterals', () => {
  const cases: [string, string[]][] = [
    ['pi_[0-9]{8}', ['pi_']],
    ['abc', ['abc']],
    ['ab+c', ['ab']],
    ['abc?de', ['ab', 'de']],
    ['a{2,3}bc', ['bc']],
    ['x{10}yz', ['yz']],
    ['foo|bar', []],
    ['(foo|bar)baz', ['baz']],
    ['(?i)foo', []],
    ['error\\.log', ['error.log']],
    ['[a-z]+_id\\d+', ['_id']],
    ['.*timeout.*', ['timeout']],
    ['ab*', []],
    ['[]x]yz', ['yz']],
  ];
  for (const [pattern, expected] of cases) {
    it(`finds ${JSON.stringify(expected)} in /${pattern}/`, () => {
      expect(requiredLiterals(pattern)).toStrictEqual(expected);
    });
  }
});
