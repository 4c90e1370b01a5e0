/**
 * The Store conformance suite (DESIGN.md "The Store interface"): one set of black-box cases that
 * every backend runs unchanged, as Hono's router tests do. A backend's test file calls
 * `describeStoreConformance(name, open)`; `open` gives a fresh, empty store each time.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Event, FieldValue, TimeRange } from '../../src/model/event.js';
import { parseQuery } from '../../src/query/index.js';
import type { Aggregation, AggregationResult, Hit, SearchRequest, Store } from '../../src/store/store.js';

export interface OpenedStore {
  store: Store;
  /** Closes whatever store is open now (the original or the last reopened one) and deletes its data. */
  cleanup: () => Promise<void>;
  /**
   * Opens a new Store over the same data, after the suite has closed the previous one. Needed by the
   * durability cases; a backend that cannot offer it fails them.
   */
  reopen?: () => Promise<Store>;
}

const MIN = 60_000_000;
const HOUR = 60 * MIN;
const DAY1 = Date.UTC(2024, 2, 5, 10) * 1000; // 2024-03-05T10:00:00Z
const DAY2 = Date.UTC(2024, 2, 6, 0, 30) * 1000; // 2024-03-06T00:30:00Z
/** The hour of day 1 that holds its 60 events. */
const HOUR1: TimeRange = { fromUs: DAY1, toUs: DAY1 + HOUR };
/** Both days. */
const ALL: TimeRange = { fromUs: Date.UTC(2024, 2, 5) * 1000, toUs: Date.UTC(2024, 2, 7) * 1000 };
const SERVICES = ['api', 'web', 'auth'];

/**
 * The shared data set: 60 events on day 1, one a minute from 10:00 (event i at minute i), alternating
 * between the streams `app` and `web`, and 4 events on day 2 in `app` with client ids.
 */
function dataSet(): Event[] {
  const events: Event[] = [];
  for (let i = 0; i < 60; i++) {
    const fields: Record<string, FieldValue> = {
      message: i === 17 ? 'Payment FAILED for order 77 (Pi_20240305): card declined' : `request ${i} done`,
      level: i % 10 === 0 ? 'ERROR' : i % 5 === 0 ? 'WARN' : 'INFO',
      service: SERVICES[i % 3]!,
      status: i % 10 === 0 ? 503 : 200,
      duration_ms: i,
      'client.ip': `10.0.${i % 2}.${i}`,
      ok: i % 2 === 0,
    };
    if (i % 4 === 0) fields['user.id'] = `u${i % 3}`;
    if (i % 6 === 0) fields['tags'] = ['a', 'b'];
    events.push({ timestampUs: DAY1 + i * MIN, stream: i % 2 === 0 ? 'app' : 'web', fields });
  }
  for (let j = 0; j < 4; j++) {
    events.push({
      timestampUs: DAY2 + j * MIN,
      stream: 'app',
      id: `d2-${j}`,
      fields: { message: `late ${j}`, level: 'INFO', service: 'api', duration_ms: 100 + j, batch: 'late' },
    });
  }
  return events;
}

function search(store: Store, req: Partial<SearchRequest> & { q?: string }) {
  const { q, ...rest } = req;
  return store.search({ query: q ? parseQuery(q) : null, range: ALL, limit: 100, ...rest });
}

async function total(store: Store, q: string, req: Partial<SearchRequest> = {}): Promise<number> {
  return (await search(store, { q, limit: 0, ...req })).total.value;
}

/** Every hit of a search, page by page. */
async function allPages(store: Store, req: Partial<SearchRequest> & { q?: string }, limit: number) {
  const pages: Hit[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const res = await search(store, { ...req, limit, ...(cursor ? { cursor } : {}) });
    pages.push(res.hits);
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return pages;
}

function as<K extends AggregationResult['kind']>(r: AggregationResult | undefined, kind: K) {
  expect(r?.kind).toBe(kind);
  return r as Extract<AggregationResult, { kind: K }>;
}

async function rejection(p: Promise<unknown>): Promise<{ status?: number; code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { status?: number; code?: string };
  }
  throw new Error('expected the call to fail');
}

export function describeStoreConformance(name: string, open: () => Promise<OpenedStore>): void {
  describe(`Store conformance: ${name}`, () => {
    describe('over a shared data set', () => {
      let opened: OpenedStore;
      let store: Store;
      let ids: string[];
      const events = dataSet();

      beforeAll(async () => {
        opened = await open();
        store = opened.store;
        // Three appends across streams and days, as separate group commits would be.
        const a = await store.append(events.slice(0, 25));
        const b = await store.append(events.slice(25, 60));
        const c = await store.append(events.slice(60));
        ids = [...a.ids, ...b.ids, ...c.ids];
        await store.refresh();
      });
      afterAll(async () => {
        await opened?.cleanup();
      });

      it('append returns one unique id per event, in order, keeping client ids', () => {
        expect(ids).toHaveLength(64);
        expect(new Set(ids).size).toBe(64);
        expect(ids.slice(60)).toStrictEqual(['d2-0', 'd2-1', 'd2-2', 'd2-3']);
        expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
      });

      it('search with no query returns every event in range, newest first', async () => {
        const res = await search(store, { range: HOUR1 });
        expect(res.total).toStrictEqual({ value: 60, relation: 'eq' });
        expect(res.nextCursor).toBeNull();
        expect(res.hits.map((h) => h.timestampUs)).toStrictEqual(
          Array.from({ length: 60 }, (_, i) => DAY1 + (59 - i) * MIN),
        );
        expect(await total(store, '')).toBe(64);
      });

      it('returns each hit with its id, stream, time and fields as sent', async () => {
        const res = await search(store, { range: { fromUs: DAY1 + 17 * MIN, toUs: DAY1 + 18 * MIN } });
        expect(res.hits).toHaveLength(1);
        const hit = res.hits[0]!;
        expect(hit.id).toBe(ids[17]);
        expect(hit.stream).toBe('web');
        expect(hit.timestampUs).toBe(DAY1 + 17 * MIN);
        expect(hit.fields).toMatchObject({
          message: 'Payment FAILED for order 77 (Pi_20240305): card declined',
          level: 'INFO',
          service: 'auth',
          status: 200,
          duration_ms: 17,
          'client.ip': '10.0.1.17',
          ok: false,
        });
        // Fields the event does not have are absent, not null.
        expect(hit.fields).not.toHaveProperty('user.id');
        expect(hit.fields).not.toHaveProperty('tags');
        expect(hit.fields).not.toHaveProperty('batch');
      });

      it('returns list fields as arrays and client ids as given', async () => {
        const first = await search(store, { range: { fromUs: DAY1, toUs: DAY1 + 1 } });
        expect(first.hits[0]!.fields['tags']).toStrictEqual(['a', 'b']);
        expect(first.hits[0]!.fields['user.id']).toBe('u0');
        const late = await search(store, { q: 'batch:late', sort: [{ field: '@timestamp', order: 'asc' }] });
        expect(late.hits.map((h) => [h.id, h.stream, h.fields['message']])).toStrictEqual([
          ['d2-0', 'app', 'late 0'],
          ['d2-1', 'app', 'late 1'],
          ['d2-2', 'app', 'late 2'],
          ['d2-3', 'app', 'late 3'],
        ]);
      });

      const queries: [q: string, count: number][] = [
        ['level:ERROR', 6],
        ['level:WARN OR level:ERROR', 12],
        ['NOT level:INFO', 12],
        ['status:>=500', 6],
        ['status:503 AND service:api', 2],
        ['service:api', 24],
        ['service:(api OR web)', 44],
        ['duration_ms:[10 TO 19]', 10],
        ['duration_ms:>=100', 4],
        ['payment', 1],
        ['PAYMENT AND failed', 1],
        ['"card declined"', 1],
        // Ids match whole and in any case (the digits prefilter without lower()).
        ['pi_20240305', 1],
        ['PI_20240305', 1],
        ['pi_2024030', 0],
        ['message:request', 59],
        ['_exists_:user.id', 15],
        ['user.id:u1', 5],
        ['ok:true', 30],
        ['client.ip:10.0.1.0/24', 30],
        ['tags:a', 10],
        ['serv*:api', 24],
        ['no_such_field:x', 0],
      ];
      for (const [q, count] of queries) {
        it(`counts ${q} → ${count}`, async () => {
          expect(await total(store, q)).toBe(count);
        });
      }

      it('matches only what the query selects', async () => {
        const res = await search(store, { q: 'level:ERROR' });
        expect(res.hits.map((h) => h.fields['duration_ms'])).toStrictEqual([50, 40, 30, 20, 10, 0]);
        expect(res.hits.every((h) => h.fields['level'] === 'ERROR')).toBe(true);
      });

      it('treats the time range as [from, to)', async () => {
        expect(await total(store, '', { range: { fromUs: DAY1 + 10 * MIN, toUs: DAY1 + 20 * MIN } })).toBe(
          10,
        );
        expect(
          await total(store, '', { range: { fromUs: DAY1 + 10 * MIN, toUs: DAY1 + 10 * MIN + 1 } }),
        ).toBe(1);
        expect(
          await total(store, '', { range: { fromUs: DAY1 + 10 * MIN + 1, toUs: DAY1 + 11 * MIN } }),
        ).toBe(0);
        expect(await total(store, '', { range: { fromUs: DAY1 - HOUR, toUs: DAY1 } })).toBe(0);
        expect(await total(store, '', { range: { fromUs: DAY1 + HOUR, toUs: DAY2 + 2 * MIN } })).toBe(2);
        expect(await total(store, '', { range: { fromUs: 0, toUs: 1 } })).toBe(0);
      });

      it('restricts to the streams asked for', async () => {
        expect(await total(store, '', { streams: ['app'] })).toBe(34);
        expect(await total(store, '', { streams: ['web'] })).toBe(30);
        expect(await total(store, '', { streams: ['app', 'web'] })).toBe(64);
        expect(await total(store, '', { streams: [] })).toBe(64);
        expect(await total(store, '', { streams: ['nope'] })).toBe(0);
        expect(await total(store, 'level:ERROR', { streams: ['web'] })).toBe(0);
        const res = await search(store, { streams: ['web'], range: HOUR1 });
        expect(res.hits.every((h) => h.stream === 'web')).toBe(true);
      });

      it('sorts by time ascending and by a field', async () => {
        const asc = await search(store, {
          range: HOUR1,
          limit: 3,
          sort: [{ field: '@timestamp', order: 'asc' }],
        });
        expect(asc.hits.map((h) => h.timestampUs)).toStrictEqual([DAY1, DAY1 + MIN, DAY1 + 2 * MIN]);
        const byDuration = await search(store, { limit: 3, sort: [{ field: 'duration_ms', order: 'desc' }] });
        expect(byDuration.hits.map((h) => h.fields['duration_ms'])).toStrictEqual([103, 102, 101]);
        const byStatus = await search(store, {
          range: HOUR1,
          limit: 4,
          sort: [
            { field: 'status', order: 'desc' },
            { field: 'duration_ms', order: 'asc' },
          ],
        });
        expect(byStatus.hits.map((h) => [h.fields['status'], h.fields['duration_ms']])).toStrictEqual([
          [503, 0],
          [503, 10],
          [503, 20],
          [503, 30],
        ]);
      });

      it('refuses to sort on a field no event has, with a 400', async () => {
        const err = await rejection(search(store, { sort: [{ field: 'no_such_field', order: 'asc' }] }));
        expect(err.status).toBe(400);
      });

      it('pages with cursors through every hit exactly once, in order', async () => {
        const whole = (await search(store, { range: HOUR1, limit: 100 })).hits.map((h) => h.id);
        const pages = await allPages(store, { range: HOUR1 }, 7);
        expect(pages.map((p) => p.length)).toStrictEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
        expect(pages.flat().map((h) => h.id)).toStrictEqual(whole);
      });

      it('pages with cursors when sorted by a field', async () => {
        const sort = [{ field: 'duration_ms', order: 'asc' as const }];
        const whole = (await search(store, { sort, limit: 100 })).hits.map((h) => h.id);
        const pages = await allPages(store, { sort }, 10);
        expect(pages.map((p) => p.length)).toStrictEqual([10, 10, 10, 10, 10, 10, 4]);
        expect(pages.flat().map((h) => h.id)).toStrictEqual(whole);
      });

      it('pages alike in both time orders whether or not every match fits under totalCap', async () => {
        for (const order of ['desc', 'asc'] as const) {
          const sort = [{ field: '@timestamp', order }];
          const known = (await allPages(store, { range: HOUR1, sort }, 7)).flat();
          const capped = (await allPages(store, { range: HOUR1, sort, totalCap: 5 }, 7)).flat();
          expect(known).toHaveLength(60);
          expect(capped.map((h) => h.id)).toStrictEqual(known.map((h) => h.id));
          const times = known.map((h) => h.timestampUs);
          const sorted = [...times].sort((a, b) => (order === 'asc' ? a - b : b - a));
          expect(times).toStrictEqual(sorted);
        }
      });

      it('gives no cursor when the page holds the last hit', async () => {
        expect((await search(store, { range: HOUR1, limit: 60 })).nextCursor).toBeNull();
        expect((await search(store, { range: HOUR1, limit: 59 })).nextCursor).not.toBeNull();
      });

      it('refuses a cursor it did not issue, with a 400', async () => {
        const err = await rejection(search(store, { cursor: 'not-a-cursor' }));
        expect(err.status).toBe(400);
      });

      it('counts totals exactly up to totalCap and reports a lower bound above it', async () => {
        expect((await search(store, { range: HOUR1, limit: 0, totalCap: 10 })).total).toStrictEqual({
          value: 10,
          relation: 'gte',
        });
        expect((await search(store, { range: HOUR1, limit: 5, totalCap: 60 })).total).toStrictEqual({
          value: 60,
          relation: 'eq',
        });
        expect((await search(store, { range: HOUR1, limit: 5, totalCap: 1000 })).total).toStrictEqual({
          value: 60,
          relation: 'eq',
        });
        const capped = await search(store, { range: HOUR1, limit: 20, totalCap: 10 });
        expect(capped.hits).toHaveLength(20);
      });

      it('aggregates terms with size, order and the count of the rest', async () => {
        const res = await store.aggregate({
          query: null,
          range: ALL,
          aggs: {
            svc: { kind: 'terms', field: 'service', size: 2 },
            levels: { kind: 'terms', field: 'level' },
            byKey: { kind: 'terms', field: 'service', order: 'key_desc' },
            statuses: { kind: 'terms', field: 'status' },
          },
        });
        expect(res.total).toBe(64);
        const svc = as(res.aggs['svc'], 'terms');
        expect(svc.buckets.map((b) => [b.key, b.count])).toStrictEqual([
          ['api', 24],
          ['auth', 20],
        ]);
        expect(svc.otherCount).toBe(20);
        const levels = as(res.aggs['levels'], 'terms');
        expect(levels.buckets.map((b) => [b.key, b.count])).toStrictEqual([
          ['INFO', 52],
          ['ERROR', 6],
          ['WARN', 6],
        ]);
        expect(levels.otherCount).toBe(0);
        expect(as(res.aggs['byKey'], 'terms').buckets.map((b) => b.key)).toStrictEqual([
          'web',
          'auth',
          'api',
        ]);
        // Events without the field are in no bucket and not in the rest either.
        const statuses = as(res.aggs['statuses'], 'terms');
        expect(statuses.buckets.map((b) => [b.key, b.count])).toStrictEqual([
          [200, 54],
          [503, 6],
        ]);
        expect(statuses.otherCount).toBe(0);
      });

      it('counts the same total whichever aggregation comes alone', async () => {
        const totals = async (q: string | null, aggs: Record<string, Aggregation>) =>
          (await store.aggregate({ query: q ? parseQuery(q) : null, range: ALL, aggs })).total;
        const shapes: Record<string, Aggregation> = {
          'terms, every group back, some events without the field': { kind: 'terms', field: 'status' },
          'terms, exactly size groups and events without the field': {
            kind: 'terms',
            field: 'status',
            size: 2,
          },
          'terms, more groups than size': { kind: 'terms', field: 'service', size: 2 },
          'terms on a field most events lack': { kind: 'terms', field: 'user.id', size: 3 },
          'terms on a list field': { kind: 'terms', field: 'tags' },
          'histogram over @timestamp': { kind: 'date_histogram', interval: '1h' },
          stats: { kind: 'stats', field: 'duration_ms' },
        };
        for (const [name, agg] of Object.entries(shapes)) {
          expect([name, await totals(null, { a: agg })]).toStrictEqual([name, 64]);
          expect([name, await totals('level:ERROR OR batch:late', { a: agg })]).toStrictEqual([name, 10]);
          expect([name, await totals('level:NOPE', { a: agg })]).toStrictEqual([name, 0]);
        }
      });

      it('counts every value of a list field in terms, with the rest in the other count', async () => {
        const res = await store.aggregate({
          query: null,
          range: ALL,
          aggs: { t: { kind: 'terms', field: 'tags', size: 1, order: 'key_asc' } },
        });
        const tags = as(res.aggs['t'], 'terms');
        expect(tags.buckets.map((b) => [b.key, b.count])).toStrictEqual([['a', 10]]);
        expect(tags.otherCount).toBe(10);
      });
      it('aggregates under a query and a stream filter', async () => {
        const res = await store.aggregate({
          query: parseQuery('status:503'),
          range: ALL,
          streams: ['app'],
          aggs: { svc: { kind: 'terms', field: 'service' } },
        });
        expect(res.total).toBe(6);
        expect(as(res.aggs['svc'], 'terms').buckets.map((b) => [b.key, b.count])).toStrictEqual([
          ['api', 2],
          ['auth', 2],
          ['web', 2],
        ]);
      });

      it('nests a date_histogram under terms, with a metric under each bucket', async () => {
        const res = await store.aggregate({
          query: null,
          range: HOUR1,
          aggs: {
            svc: {
              kind: 'terms',
              field: 'service',
              order: 'key_asc',
              aggs: {
                t: {
                  kind: 'date_histogram',
                  interval: '15m',
                  aggs: { slowest: { kind: 'stats', field: 'duration_ms' } },
                },
              },
            },
          },
        });
        const svc = as(res.aggs['svc'], 'terms');
        expect(svc.buckets.map((b) => b.key)).toStrictEqual(['api', 'auth', 'web']);
        for (const bucket of svc.buckets) {
          const t = as(bucket.aggs?.['t'], 'date_histogram');
          expect(t.buckets.map((b) => [b.keyUs, b.count])).toStrictEqual([
            [DAY1, 5],
            [DAY1 + 15 * MIN, 5],
            [DAY1 + 30 * MIN, 5],
            [DAY1 + 45 * MIN, 5],
          ]);
        }
        // api holds events 0, 3, 6 … 57: its 10:30–10:45 bucket has 30, 33, 36, 39, 42.
        const api = as(svc.buckets[0]!.aggs?.['t'], 'date_histogram');
        expect(as(api.buckets[2]!.aggs?.['slowest'], 'stats')).toStrictEqual({
          kind: 'stats',
          count: 5,
          min: 30,
          max: 42,
          avg: 36,
          sum: 180,
        });
      });

      it('builds a date_histogram over the whole range, empty buckets included', async () => {
        const res = await store.aggregate({
          query: parseQuery('level:ERROR'),
          range: HOUR1,
          aggs: { t: { kind: 'date_histogram', interval: '10m' } },
        });
        const t = as(res.aggs['t'], 'date_histogram');
        expect(t.buckets.map((b) => [b.keyUs, b.count])).toStrictEqual(
          Array.from({ length: 6 }, (_, i) => [DAY1 + i * 10 * MIN, 1]),
        );
        const auto = await store.aggregate({
          query: null,
          range: HOUR1,
          aggs: { t: { kind: 'date_histogram', buckets: 60 } },
        });
        const a = as(auto.aggs['t'], 'date_histogram');
        expect(a.buckets).toHaveLength(60);
        expect(a.buckets.every((b) => b.count === 1)).toBe(true);
        expect(a.buckets.reduce((n, b) => n + b.count, 0)).toBe(auto.total);
      });

      it('computes stats, percentiles and cardinality', async () => {
        const res = await store.aggregate({
          query: null,
          range: HOUR1,
          aggs: {
            d: { kind: 'stats', field: 'duration_ms' },
            p: { kind: 'percentiles', field: 'duration_ms', percents: [50, 99] },
            services: { kind: 'cardinality', field: 'service' },
            ips: { kind: 'cardinality', field: 'client.ip' },
            users: { kind: 'cardinality', field: 'user.id' },
          },
        });
        expect(as(res.aggs['d'], 'stats')).toStrictEqual({
          kind: 'stats',
          count: 60,
          min: 0,
          max: 59,
          avg: 29.5,
          sum: 1770,
        });
        const p = as(res.aggs['p'], 'percentiles');
        expect(Object.keys(p.values).sort()).toStrictEqual(['50.0', '99.0']);
        expect(p.values['50.0']).toBeCloseTo(29.5, 0);
        expect(p.values['99.0']!).toBeGreaterThanOrEqual(57);
        expect(p.values['99.0']!).toBeLessThanOrEqual(59);
        expect(as(res.aggs['services'], 'cardinality').value).toBe(3);
        expect(as(res.aggs['ips'], 'cardinality').value).toBe(60);
        expect(as(res.aggs['users'], 'cardinality').value).toBe(3);
      });

      it('answers metrics over no matching events with empty values', async () => {
        const res = await store.aggregate({
          query: parseQuery('level:NOPE'),
          range: HOUR1,
          aggs: {
            d: { kind: 'stats', field: 'duration_ms' },
            s: { kind: 'terms', field: 'service' },
            c: { kind: 'cardinality', field: 'service' },
          },
        });
        expect(res.total).toBe(0);
        expect(as(res.aggs['d'], 'stats')).toMatchObject({
          count: 0,
          min: null,
          max: null,
          avg: null,
          sum: 0,
        });
        expect(as(res.aggs['s'], 'terms')).toMatchObject({ buckets: [], otherCount: 0 });
        expect(as(res.aggs['c'], 'cardinality').value).toBe(0);
      });

      it('refuses stats over a text field, with a 400', async () => {
        const err = await rejection(
          store.aggregate({ query: null, range: ALL, aggs: { s: { kind: 'stats', field: 'service' } } }),
        );
        expect(err.status).toBe(400);
      });

      it('lists fields with their types, exact counts and top values', async () => {
        const res = await store.fields({ range: HOUR1, topValues: 3 });
        const byName = new Map(res.fields.map((f) => [f.name, f]));
        const want: [name: string, type: string, list: boolean, count: number][] = [
          ['message', 'string', false, 60],
          ['level', 'string', false, 60],
          ['service', 'string', false, 60],
          ['status', 'number', false, 60],
          ['duration_ms', 'number', false, 60],
          ['client.ip', 'ip', false, 60],
          ['ok', 'boolean', false, 60],
          ['user.id', 'string', false, 15],
          ['tags', 'string', true, 10],
        ];
        for (const [name, type, list, count] of want) {
          expect(byName.get(name), name).toMatchObject({ name, type, list, count });
        }
        expect(byName.has('batch')).toBe(false); // only day 2 has it
        expect(byName.get('service')!.topValues).toStrictEqual([
          { value: 'api', count: 20 },
          { value: 'auth', count: 20 },
          { value: 'web', count: 20 },
        ]);
        expect(byName.get('level')!.topValues).toStrictEqual([
          { value: 'INFO', count: 48 },
          { value: 'ERROR', count: 6 },
          { value: 'WARN', count: 6 },
        ]);
        expect(byName.get('ok')!.topValues).toStrictEqual([
          { value: false, count: 30 },
          { value: true, count: 30 },
        ]);
        expect(res.sampleSize).toBeGreaterThan(0);
      });

      it('lists fields per stream and range, without top values when asked for none', async () => {
        const res = await store.fields({ range: ALL, streams: ['app'], topValues: 0 });
        const byName = new Map(res.fields.map((f) => [f.name, f]));
        expect(byName.get('batch')).toMatchObject({ type: 'string', count: 4, topValues: [] });
        expect(byName.get('message')).toMatchObject({ count: 34, topValues: [] });
        expect(byName.get('tags')).toMatchObject({ count: 10 }); // every tagged event is in app
      });

      it('reports each stream with its events, partitions and time span', async () => {
        const streams = (await store.streams()).sort((a, b) => a.name.localeCompare(b.name));
        expect(
          streams.map(({ name, events, partitions, firstUs, lastUs }) => ({
            name,
            events,
            partitions,
            firstUs,
            lastUs,
          })),
        ).toStrictEqual([
          { name: 'app', events: 34, partitions: 2, firstUs: DAY1, lastUs: DAY2 + 3 * MIN },
          { name: 'web', events: 30, partitions: 1, firstUs: DAY1 + MIN, lastUs: DAY1 + 59 * MIN },
        ]);
        expect(streams.every((s) => Number.isFinite(s.bytes) && s.bytes >= 0)).toBe(true);
      });

      it('reports store-wide stats', async () => {
        const stats = await store.stats();
        expect({ events: stats.events, partitions: stats.partitions, streams: stats.streams }).toStrictEqual({
          events: 64,
          partitions: 3,
          streams: 2,
        });
        expect(stats.bytesOnDisk).toBeGreaterThan(0);
      });
    });

    describe('on a fresh store', () => {
      let opened: OpenedStore;
      let store: Store;
      beforeEach(async () => {
        opened = await open();
        store = opened.store;
      });
      afterEach(async () => {
        await opened?.cleanup();
      });

      it('answers every read on an empty store', async () => {
        expect(await search(store, {})).toStrictEqual({
          hits: [],
          total: { value: 0, relation: 'eq' },
          nextCursor: null,
        });
        const agg = await store.aggregate({
          query: null,
          range: ALL,
          aggs: { s: { kind: 'terms', field: 'service' }, c: { kind: 'cardinality', field: 'service' } },
        });
        expect(agg.total).toBe(0);
        expect(as(agg.aggs['s'], 'terms')).toMatchObject({ buckets: [], otherCount: 0 });
        expect(as(agg.aggs['c'], 'cardinality').value).toBe(0);
        expect((await store.fields({ range: ALL })).fields).toStrictEqual([]);
        expect(await store.streams()).toStrictEqual([]);
        expect(await store.stats()).toMatchObject({ events: 0, partitions: 0, streams: 0 });
      });

      it('returns hits from partitions with different fields, each with only its own', async () => {
        const order = (i: number, t: number): Event => ({
          timestampUs: t,
          stream: 'orders',
          fields: { message: `needle order ${i}`, placed_at: '2024-03-05T09:00:00.250Z', amount: i },
        });
        const audit = (i: number, t: number): Event => ({
          timestampUs: t,
          stream: 'audit',
          fields: { message: `needle audit ${i}`, actor: `admin${i}` },
        });
        await store.append([order(0, DAY1), audit(1, DAY1 + MIN), order(2, DAY1 + 2 * MIN)]);
        await store.append([audit(3, DAY2), order(4, DAY2 + MIN), audit(5, DAY2 + 2 * MIN)]);
        await store.refresh();
        const expected = (i: number): Record<string, unknown> =>
          i % 2 === 0
            ? { message: `needle order ${i}`, placed_at: '2024-03-05T09:00:00.250Z', amount: i }
            : { message: `needle audit ${i}`, actor: `admin${i}` };
        const newestFirst = await search(store, { q: 'needle' });
        expect(newestFirst.hits.map((h) => [h.stream, h.fields])).toStrictEqual(
          [5, 4, 3, 2, 1, 0].map((i) => [i % 2 === 0 ? 'orders' : 'audit', expected(i)]),
        );
        const pages = await allPages(
          store,
          { q: 'needle', sort: [{ field: '@timestamp', order: 'asc' }] },
          4,
        );
        expect(pages.flat().map((h) => h.fields)).toStrictEqual([0, 1, 2, 3, 4, 5].map(expected));
        const byAmount = await search(store, { q: 'needle', sort: [{ field: 'amount', order: 'desc' }] });
        expect(byAmount.hits.map((h) => h.fields['amount'] ?? h.fields['actor'])).toStrictEqual([
          4,
          2,
          0,
          'admin5',
          'admin3',
          'admin1',
        ]);
      });

      it('appends an empty batch as a no-op', async () => {
        expect(await store.append([])).toStrictEqual({ appended: 0, ids: [] });
        await store.refresh();
        expect(await total(store, '')).toBe(0);
      });

      it('makes appended events searchable after refresh', async () => {
        const res = await store.append(dataSet().slice(0, 10));
        expect(res.appended).toBe(10);
        await store.refresh();
        const hits = (await search(store, {})).hits;
        expect(hits.map((h) => h.id).sort()).toStrictEqual([...res.ids].sort());
        await store.refresh(); // a refresh with nothing new changes nothing
        expect(await total(store, '')).toBe(10);
      });

      it('keeps cursor pages stable while new events arrive', async () => {
        await store.append(dataSet().slice(0, 60));
        await store.refresh();
        const first = await search(store, { range: HOUR1, limit: 20 });
        expect(first.nextCursor).not.toBeNull();
        // New events inside the range, newer and older than the page boundary, are ingested meanwhile.
        await store.append([
          { timestampUs: DAY1 + 30 * MIN + 1, stream: 'app', fields: { message: 'new in the middle' } },
          { timestampUs: DAY1 + 59 * MIN + 1, stream: 'app', fields: { message: 'new at the top' } },
          { timestampUs: DAY1 + 1, stream: 'web', fields: { message: 'new at the bottom' } },
        ]);
        await store.refresh();
        expect(await total(store, '', { range: HOUR1 })).toBe(63);

        const rest: Hit[] = [];
        let cursor = first.nextCursor;
        while (cursor) {
          const page = await search(store, { range: HOUR1, limit: 20, cursor });
          expect(page.total.value).toBe(60);
          rest.push(...page.hits);
          cursor = page.nextCursor;
        }
        const seen = [...first.hits, ...rest];
        expect(seen).toHaveLength(60);
        expect(seen.some((h) => String(h.fields['message']).startsWith('new'))).toBe(false);
        expect(seen.map((h) => h.timestampUs)).toStrictEqual(
          Array.from({ length: 60 }, (_, i) => DAY1 + (59 - i) * MIN),
        );
      });

      it('pages through events that share one timestamp without losing or repeating any', async () => {
        const same = Array.from({ length: 10 }, (_, i) => ({
          timestampUs: DAY1,
          stream: 'app',
          fields: { n: i },
        }));
        await store.append(same.slice(0, 4));
        await store.append(same.slice(4));
        await store.refresh();
        for (const order of ['asc', 'desc'] as const) {
          const pages = await allPages(store, { sort: [{ field: '@timestamp', order }] }, 3);
          expect(pages.map((p) => p.length)).toStrictEqual([3, 3, 3, 1]);
          const ns = pages.flat().map((h) => h.fields['n']);
          expect([...ns].sort()).toStrictEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        }
      });

      it('keeps acknowledged events across close and reopen, even without a refresh', async () => {
        expect(opened.reopen, 'the backend must offer reopen()').toBeDefined();
        const before = await store.append(dataSet().slice(0, 5));
        const late = await store.append(dataSet().slice(60, 62));
        await store.close();

        const again = await opened.reopen!();
        await again.refresh();
        const hits = (await again.search({ query: null, range: ALL, limit: 100 })).hits;
        expect(hits.map((h) => h.id).sort()).toStrictEqual([...before.ids, ...late.ids].sort());
        expect(hits.find((h) => h.id === 'd2-1')?.fields['message']).toBe('late 1');
        expect((await again.stats()).events).toBe(7);

        // Ids given after the restart do not collide with the ones given before.
        const after = await again.append(dataSet().slice(5, 8));
        expect(after.ids.filter((id) => before.ids.includes(id))).toStrictEqual([]);
        await again.refresh();
        expect((await again.search({ query: null, range: ALL, limit: 0 })).total.value).toBe(10);
      });

      it('keeps refreshed events, fields and streams across close and reopen', async () => {
        await store.append(dataSet());
        await store.refresh();
        await store.close();
        const again = await opened.reopen!();
        expect(await total(again, 'level:ERROR')).toBe(6);
        expect(await total(again, 'client.ip:10.0.1.0/24')).toBe(30);
        const fields = new Map((await again.fields({ range: ALL })).fields.map((f) => [f.name, f]));
        expect(fields.get('tags')).toMatchObject({ type: 'string', list: true, count: 10 });
        expect(fields.get('client.ip')).toMatchObject({ type: 'ip', count: 60 });
        expect((await again.streams()).map((s) => [s.name, s.events]).sort()).toStrictEqual([
          ['app', 34],
          ['web', 30],
        ]);
      });
    });
  });
}
