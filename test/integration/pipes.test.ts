import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, post, postJson, startTestServer, type TestServer } from '../support/server.js';

// Pipe queries through the real server, checked against results computed here from the same corpus.

interface Doc {
  '@timestamp': string;
  message: string;
  level: string;
  service: string;
  status?: number;
  response_time: number;
  bytes: number;
  url: { path: string };
  client: { ip: string };
  user?: { id: string };
  tags?: string[];
}

const BASE = Date.parse('2024-03-05T10:00:00Z');
const SERVICES = ['api', 'web', 'auth', 'db'];
const PATHS = ['/api/orders', '/api/cart', '/health', '/login', '/static/app.js'];
const TAG_SETS = [['prod'], ['prod', 'eu'], ['canary', 'us'], ['prod', 'us', 'canary']];

/** 360 events, one every 10 s from 10:00:00 to 10:59:50 UTC, from a fixed-seed generator. */
function corpus(): Doc[] {
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((seed / 2_147_483_648) * n);
  };
  const docs: Doc[] = [];
  for (let i = 0; i < 360; i++) {
    const service = SERVICES[next(4)]!;
    const roll = next(20);
    const level = roll < 12 ? 'INFO' : roll < 16 ? 'WARN' : roll < 19 ? 'ERROR' : 'FATAL';
    const statusRoll = next(10);
    const status = statusRoll < 7 ? 200 : statusRoll < 8 ? 404 : statusRoll < 9 ? 500 : 503;
    const path = PATHS[next(PATHS.length)]!;
    const doc: Doc = {
      '@timestamp': new Date(BASE + i * 10_000).toISOString(),
      message: `${path} answered in ${i % 97} ms`,
      level,
      service,
      response_time: 5 + next(1996),
      bytes: 100 + next(49_901),
      url: { path },
      client: { ip: `10.0.${next(3)}.${next(5)}` },
    };
    if (service !== 'db') doc.status = status;
    if (next(10) < 6) doc.user = { id: `u${next(17)}` };
    const tags = next(5);
    if (tags < 4) doc.tags = TAG_SETS[tags]!;
    docs.push(doc);
  }
  return docs;
}

const DOCS = corpus();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const res = await post(
    `${server.url}/api/v1/ingest?stream=app`,
    `${DOCS.map((d) => JSON.stringify(d)).join('\n')}\n`,
  );
  expect(res.status).toBe(200);
  expect(res.body.accepted).toBe(360);
});
afterAll(() => server.close());

const RANGE = { from: '2024-03-05T10:00:00Z', to: '2024-03-05T11:00:00Z' };

async function query(q: string, extra: Record<string, string> = {}) {
  return getJson(`${server.url}/api/v1/search?${new URLSearchParams({ ...RANGE, ...extra, q })}`);
}

async function rows(q: string): Promise<unknown[][]> {
  const res = await query(q);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.truncated).toBe(false);
  return res.body.rows;
}

/** Rows equal; fractions compared to 9 decimals (SQL and JS add floats in different orders). */
function expectRows(actual: unknown[][], expected: unknown[][]): void {
  expect(actual.length, JSON.stringify(actual)).toBe(expected.length);
  actual.forEach((row, i) => {
    const want = expected[i]!;
    expect(row.length).toBe(want.length);
    row.forEach((v, j) => {
      const w = want[j];
      if (typeof w === 'number' && !Number.isInteger(w)) expect(v).toBeCloseTo(w, 9);
      else expect(v, `row ${i} col ${j}`).toEqual(w);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The oracle: plain JS over DOCS.

const cmp = (a: unknown, b: unknown) => (a === b ? 0 : (a as string) < (b as string) ? -1 : 1);

function groupBy<K>(docs: Doc[], key: (d: Doc) => K | undefined): Map<K, Doc[]> {
  const m = new Map<K, Doc[]>();
  for (const d of docs) {
    const k = key(d);
    if (k === undefined) continue;
    m.set(k, [...(m.get(k) ?? []), d]);
  }
  return new Map([...m].sort((a, b) => cmp(a[0], b[0])));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const avg = (xs: number[]) => sum(xs) / xs.length;

/** DuckDB's quantile_cont: linear interpolation between the closest ranks. */
function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
}

/** `top`/`rare`: counts per value, most (or least) frequent first, ties by value; percent of the total. */
function topOf(values: (string | number | undefined)[], n: number, rare = false): unknown[][] {
  const counts = new Map<string | number, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  const total = sum([...counts.values()]);
  return [...counts]
    .sort((a, b) => (rare ? a[1] - b[1] : b[1] - a[1]) || cmp(a[0], b[0]))
    .slice(0, n)
    .map(([v, c]) => [v, c, (100 * c) / total]);
}

const newestFirst = [...DOCS].reverse();
const ms = (d: Doc) => Date.parse(d['@timestamp']);

describe('pipes over HTTP', () => {
  it('stats count() with and without by', async () => {
    expectRows(await rows('| stats count()'), [[360]]);
    expectRows(
      await rows('| stats count() by service'),
      [...groupBy(DOCS, (d) => d.service)].map(([k, ds]) => [k, ds.length]),
    );
  });

  it('stats by two fields after a search', async () => {
    const errors = DOCS.filter((d) => d.level === 'ERROR');
    const expected: unknown[][] = [];
    for (const [service, ds] of groupBy(errors, (d) => d.service)) {
      for (const [status, dss] of groupBy(ds, (d) => d.status)) expected.push([service, status, dss.length]);
    }
    expectRows(await rows('level:ERROR | stats count() by service, status'), expected);
  });

  it('stats sum, avg, min, max per group', async () => {
    expectRows(
      await rows(
        '| stats avg(response_time) as avg, max(response_time) as max, min(response_time) as min, sum(bytes) as bytes by service',
      ),
      [...groupBy(DOCS, (d) => d.service)].map(([k, ds]) => {
        const rt = ds.map((d) => d.response_time);
        return [k, avg(rt), Math.max(...rt), Math.min(...rt), sum(ds.map((d) => d.bytes))];
      }),
    );
  });

  it('stats percentiles, distinct counts and values', async () => {
    const rt = DOCS.map((d) => d.response_time);
    expectRows(await rows('| stats p50(response_time), p95(response_time), median(response_time)'), [
      [quantile(rt, 0.5), quantile(rt, 0.95), quantile(rt, 0.5)],
    ]);
    const users = DOCS.filter((d) => d.user).map((d) => d.user!.id);
    expectRows(await rows('| stats dc(user.id) as users, count(user.id) as with_user'), [
      [new Set(users).size, users.length],
    ]);
    expectRows(
      await rows('| stats values(level) as levels by service'),
      [...groupBy(DOCS, (d) => d.service)].map(([k, ds]) => [k, [...new Set(ds.map((d) => d.level))].sort()]),
    );
    const tags = DOCS.flatMap((d) => d.tags ?? []);
    expectRows(await rows('| stats values(tags) as tags, dc(tags) as n'), [
      [[...new Set(tags)].sort(), new Set(tags).size],
    ]);
  });

  it('timechart with a span fills every bucket', async () => {
    const expected = Array.from({ length: 6 }, (_, i) => [
      new Date(BASE + i * 600_000).toISOString(),
      DOCS.filter((d) => Math.floor((ms(d) - BASE) / 600_000) === i).length,
    ]);
    expectRows(await rows('| timechart span=10m count()'), expected);
    const avgRows = await rows('| timechart span=30m avg(response_time) as avg');
    expectRows(
      avgRows,
      [0, 1].map((i) => [
        new Date(BASE + i * 1_800_000).toISOString(),
        avg(DOCS.filter((d) => Math.floor((ms(d) - BASE) / 1_800_000) === i).map((d) => d.response_time)),
      ]),
    );
  });

  it('timechart by a field and with an automatic span', async () => {
    const expected: unknown[][] = [];
    for (let b = 0; b < 4; b++) {
      const inBucket = DOCS.filter((d) => Math.floor((ms(d) - BASE) / 900_000) === b);
      for (const [level, ds] of groupBy(inBucket, (d) => d.level)) {
        expected.push([new Date(BASE + b * 900_000).toISOString(), level, ds.length]);
      }
    }
    expectRows(await rows('| timechart span=15m count() by level'), expected);
    const auto = await rows('| timechart count()');
    // One hour split into at most 100 buckets: one per minute, six events each.
    expect(auto).toHaveLength(60);
    expect(auto[1]).toEqual(['2024-03-05T10:01:00.000Z', 6]);
  });

  it('top and rare with count and percent', async () => {
    expectRows(
      await rows('| top 3 url.path'),
      topOf(
        DOCS.map((d) => d.url.path),
        3,
      ),
    );
    expectRows(
      await rows('| rare 2 service'),
      topOf(
        DOCS.map((d) => d.service),
        2,
        true,
      ),
    );
    expectRows(
      await rows('| top tags'),
      topOf(
        DOCS.flatMap((d) => d.tags ?? []),
        10,
      ),
    );
    const byService: unknown[][] = [];
    for (const [service, ds] of groupBy(DOCS, (d) => d.service)) {
      for (const row of topOf(
        ds.map((d) => d.status),
        1,
      ))
        byService.push([service, ...row]);
    }
    // db events have no status: the group has no values and no row.
    expect(byService).toHaveLength(3);
    expectRows(await rows('| top 1 status by service'), byService);
  });

  it('where with arithmetic, in, like, not and null checks', async () => {
    const count = (pred: (d: Doc) => boolean) => [[DOCS.filter(pred).length]];
    expectRows(
      await rows('| where response_time * 2 + 10 > 1510 | stats count()'),
      count((d) => d.response_time * 2 + 10 > 1510),
    );
    expectRows(
      await rows('| where response_time % 100 < 10 and bytes / 1000 >= 25 | stats count()'),
      count((d) => d.response_time % 100 < 10 && d.bytes / 1000 >= 25),
    );
    expectRows(
      await rows('| where status >= 500 and service != "db" | stats count() by service'),
      [
        ...groupBy(
          DOCS.filter((d) => (d.status ?? 0) >= 500),
          (d) => d.service,
        ),
      ].map(([k, ds]) => [k, ds.length]),
    );
    expectRows(
      await rows('| where status in (404, 503) or level = "FATAL" | stats count()'),
      count((d) => d.status === 404 || d.status === 503 || d.level === 'FATAL'),
    );
    expectRows(
      await rows('| where url.path like "/api/%" | stats count()'),
      count((d) => d.url.path.startsWith('/api/')),
    );
    // NOT keeps events without a status (db); != needs one.
    expectRows(
      await rows('| where not status = 200 | stats count()'),
      count((d) => d.status !== 200),
    );
    expectRows(
      await rows('| where status != 200 | stats count()'),
      count((d) => d.status !== undefined && d.status !== 200),
    );
    expectRows(
      await rows('| where isnull(user.id) | stats count()'),
      count((d) => !d.user),
    );
    expectRows(
      await rows('| where tags = "canary" and client.ip = "10.0.1.3" | stats count()'),
      count((d) => (d.tags ?? []).includes('canary') && d.client.ip === '10.0.1.3'),
    );
    expectRows(
      await rows(
        '| where @timestamp >= "2024-03-05T10:30:00Z" and @timestamp < "2024-03-05T10:30:00Z||+5m" | stats count()',
      ),
      [[30]],
    );
  });

  it('eval defines columns later commands read', async () => {
    const slow = groupBy(DOCS, (d) => (d.response_time > 500 ? 'slow' : 'fast'));
    expectRows(
      await rows('| eval speed = if(response_time > 500, "slow", "fast") | stats count() by speed'),
      [...slow].map(([k, ds]) => [k, ds.length]),
    );
    const kb = DOCS.map((d) => Math.round((d.bytes / 1024) * 10) / 10).filter((x) => x > 40);
    expectRows(await rows('| eval kb = round(bytes / 1024, 1) | where kb > 40 | stats count(), max(kb)'), [
      [kb.length, Math.max(...kb)],
    ]);
    expectRows(
      await rows('| eval svc = upper(service), who = coalesce(user.id, "anonymous") | top 1 svc, who'),
      topOf(
        DOCS.map((d) => `${d.service.toUpperCase()}\u0000${d.user?.id ?? 'anonymous'}`),
        1,
      ).map(([k, c, p]) => [...String(k).split('\u0000'), c, p]),
    );
  });

  it('sort, head, dedup, fields and rename', async () => {
    const top3 = [...newestFirst].sort((a, b) => b.response_time - a.response_time).slice(0, 3);
    expectRows(
      await rows('| sort -response_time | head 3 | fields @timestamp, service, response_time'),
      top3.map((d) => [d['@timestamp'], d.service, d.response_time]),
    );
    const firstPerService = [...groupBy(newestFirst, (d) => d.service)].map(([, ds]) => ds[0]!);
    expectRows(
      await rows('| dedup service | fields service, @timestamp'),
      firstPerService.sort((a, b) => ms(b) - ms(a)).map((d) => [d.service, d['@timestamp']]),
    );
    expectRows(
      await rows('| sort service, -response_time | dedup service | fields service, response_time'),
      [...groupBy(DOCS, (d) => d.service)].map(([k, ds]) => [k, Math.max(...ds.map((d) => d.response_time))]),
    );
    expectRows(
      await rows('| fields service, status | head 2'),
      newestFirst.slice(0, 2).map((d) => [d.service, d.status ?? null]),
    );
    expectRows(
      await rows('| rename service as svc | stats count() by svc'),
      [...groupBy(DOCS, (d) => d.service)].map(([k, ds]) => [k, ds.length]),
    );
    const counts = [...groupBy(DOCS, (d) => d.service)]
      .map(([k, ds]) => [k, ds.length] as [string, number])
      .filter(([, n]) => n > 80)
      .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
    const res = await query('| stats count() as n by service | where n > 80 | sort -n | rename n as events');
    expect(res.body.columns).toEqual([
      { name: 'service', type: 'string' },
      { name: 'events', type: 'number' },
    ]);
    expectRows(res.body.rows, counts);
  });

  it('returns events as rows with the fields they have', async () => {
    const res = await query('service:db | fields - message | head 2');
    expect(res.status).toBe(200);
    const names = res.body.columns.map((c: { name: string }) => c.name);
    expect(names.slice(0, 4)).toEqual(['@timestamp', 'stream', 'level', 'service']);
    expect(names).not.toContain('message');
    // db events have no status, so no column for it.
    expect(names).not.toContain('status');
    expect(res.body.columns.find((c: { name: string }) => c.name === 'client.ip').type).toBe('ip');
    const dbNewest = newestFirst.filter((d) => d.service === 'db').slice(0, 2);
    expect(res.body.rows.map((r: unknown[]) => r[0])).toEqual(dbNewest.map((d) => d['@timestamp']));
  });

  it('cuts the table at limit and says so', async () => {
    const res = await query('| head 20', { limit: '5' });
    expect(res.body.rows).toHaveLength(5);
    expect(res.body.truncated).toBe(true);
    expect(typeof res.body.took_ms).toBe('number');
    const post_ = await postJson(`${server.url}/api/v1/search`, { ...RANGE, q: '| stats count()' });
    expect(post_.body).toMatchObject({ columns: [{ name: 'count', type: 'number' }], rows: [[360]] });
  });

  it('answers an empty time range with empty groups and zero counts', async () => {
    const empty = { from: '2024-01-01T00:00:00Z', to: '2024-01-01T01:00:00Z' };
    const res = await getJson(
      `${server.url}/api/v1/search?${new URLSearchParams({ ...empty, q: '| stats count(), avg(response_time)' })}`,
    );
    expect(res.body.rows).toEqual([[0, null]]);
    const chart = await getJson(
      `${server.url}/api/v1/search?${new URLSearchParams({ ...empty, q: '| timechart span=20m count()' })}`,
    );
    expect(chart.body.rows.map((r: unknown[]) => r[1])).toEqual([0, 0, 0]);
  });

  it('answers errors with 400 and a message a person can act on', async () => {
    const syntax = await query('level:ERROR | stats avg(bytes) by');
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.code).toBe('invalid_query');
    expect(syntax.body.error.message).toBe(
      `line 1, col 34: expected a field name after 'by'\n  level:ERROR | stats avg(bytes) by\n  ${' '.repeat(33)}^`,
    );
    const unknown = await query('| statz count()');
    expect(unknown.body.error.message).toMatch(/^line 1, col 3: unknown command 'statz'/);
    const clash = await query('| where status > "high"');
    expect(clash.status).toBe(400);
    expect(clash.body.error.message).toBe(
      'Cannot compare field "status" (number) with "high": expected a number',
    );
    const regex = await query('| where match(message, "(unclosed")');
    expect(regex.status).toBe(400);
    expect(regex.body.error.message).toBe('Cannot use a regular expression: missing ) at "(unclosed"');
    const cursor = await query('| head 1', { cursor: 'abc' });
    expect(cursor.status).toBe(400);
    const aggregate = await postJson(`${server.url}/api/v1/aggregate`, {
      ...RANGE,
      q: 'x | stats count()',
      aggs: { n: { cardinality: { field: 'service' } } },
    });
    expect(aggregate.status).toBe(400);
    expect(aggregate.body.error.message).toBe(
      'Cannot use pipe commands with /api/v1/aggregate: send the query to /api/v1/search, which answers with a table',
    );
  });

  it('treats unknown fields as empty, not as errors', async () => {
    expectRows(await rows('| where nosuch > 1 | stats count()'), [[0]]);
    expectRows(await rows('| stats count() by nosuch'), []);
    expectRows(await rows('| stats count(nosuch), max(nosuch)'), [[0, null]]);
    const res = await query('| fields service, nosuch | head 1');
    expect(res.body.columns).toEqual([
      { name: 'service', type: 'string' },
      { name: 'nosuch', type: 'null' },
    ]);
  });
});
