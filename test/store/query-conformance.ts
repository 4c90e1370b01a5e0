/**
 * Store.query conformance: black-box cases for searches with pipe commands that every backend runs
 * unchanged (beside store-conformance.ts). A backend's test file calls
 * `describeQueryConformance(name, open)`; `open` gives a fresh, empty store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, FieldValue, TimeRange } from '../../src/model/event.js';
import { parseQueryWithPipes } from '../../src/query/index.js';
import type { QueryResult, Store } from '../../src/store/store.js';

const MIN = 60_000_000;
const DAY1 = Date.UTC(2024, 2, 5, 10) * 1000; // 2024-03-05T10:00:00Z
const HOUR1: TimeRange = { fromUs: DAY1, toUs: DAY1 + 60 * MIN };
const SERVICES = ['api', 'web', 'auth'];

/** 60 events, one a minute from 10:00, alternating between the streams `app` and `web`. */
function dataSet(): Event[] {
  return Array.from({ length: 60 }, (_, i) => {
    const fields: Record<string, FieldValue> = {
      message: i === 17 ? 'Payment FAILED for order 77: card declined' : `request ${i} done`,
      level: i % 10 === 0 ? 'ERROR' : i % 5 === 0 ? 'WARN' : 'INFO',
      service: SERVICES[i % 3]!,
      duration_ms: i,
      'client.ip': `10.0.${i % 2}.${i}`,
    };
    if (i % 10 !== 5) fields['status'] = i % 10 === 0 ? 503 : 200;
    if (i % 6 === 0) fields['tags'] = ['a', 'b'];
    return { timestampUs: DAY1 + i * MIN, stream: i % 2 === 0 ? 'app' : 'web', fields };
  });
}

export interface OpenedQueryStore {
  store: Store;
  cleanup: () => Promise<void>;
}

export function describeQueryConformance(name: string, open: () => Promise<OpenedQueryStore>): void {
  describe(`Store.query conformance: ${name}`, () => {
    let opened: OpenedQueryStore;
    let store: Store;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await store.append(dataSet());
      await store.refresh();
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    const run = (text: string, extra: { range?: TimeRange; streams?: string[]; limit?: number } = {}) => {
      const { search, pipes } = parseQueryWithPipes(text);
      return store.query({ query: search, pipes, range: extra.range ?? HOUR1, ...extra });
    };
    const rows = async (text: string) => (await run(text)).rows;

    it('counts per group, groups sorted, with typed columns', async () => {
      const res: QueryResult = await run('| stats count(), max(duration_ms) as max by service');
      expect(res).toStrictEqual({
        columns: [
          { name: 'service', type: 'string' },
          { name: 'count', type: 'number' },
          { name: 'max', type: 'number' },
        ],
        rows: [
          ['api', 20, 57],
          ['auth', 20, 59],
          ['web', 20, 58],
        ],
        truncated: false,
      });
    });

    it('runs the search before the pipes and keeps to the streams asked for', async () => {
      expect(await rows('level:ERROR | stats count()')).toStrictEqual([[6]]);
      const web = await run('| stats count()', { streams: ['web'] });
      expect(web.rows).toStrictEqual([[30]]);
    });

    it('filters with where: arithmetic, in, like and missing fields', async () => {
      expect(await rows('| where duration_ms * 2 >= 100 | stats count()')).toStrictEqual([[10]]);
      expect(await rows('| where status in (503) or message like "Payment%" | stats count()')).toStrictEqual([
        [7],
      ]);
      // Six events lack a status: `!=` needs it, `not … =` does not.
      expect(await rows('| where status != 200 | stats count()')).toStrictEqual([[6]]);
      expect(await rows('| where not status = 200 | stats count()')).toStrictEqual([[12]]);
    });

    it('charts counts per bucket, every bucket present', async () => {
      expect(await rows('| timechart span=20m count()')).toStrictEqual([
        ['2024-03-05T10:00:00.000Z', 20],
        ['2024-03-05T10:20:00.000Z', 20],
        ['2024-03-05T10:40:00.000Z', 20],
      ]);
      expect(await rows('level:ERROR | timechart span=30m count() by stream')).toStrictEqual([
        ['2024-03-05T10:00:00.000Z', 'app', 3],
        ['2024-03-05T10:30:00.000Z', 'app', 3],
      ]);
    });

    it('ranks values with top and rare, list fields by element', async () => {
      expect(await rows('| top 1 level')).toStrictEqual([['INFO', 48, 80]]);
      expect(await rows('| rare 1 level')).toStrictEqual([['ERROR', 6, 10]]);
      expect(await rows('| top tags')).toStrictEqual([
        ['a', 10, 50],
        ['b', 10, 50],
      ]);
    });

    it('sorts, cuts, projects, renames and deduplicates', async () => {
      expect(await rows('| sort -duration_ms | head 2 | fields duration_ms, service')).toStrictEqual([
        [59, 'auth'],
        [58, 'web'],
      ]);
      expect(await rows('| dedup service | rename service as svc | fields svc, @timestamp')).toStrictEqual([
        ['auth', '2024-03-05T10:59:00.000Z'],
        ['web', '2024-03-05T10:58:00.000Z'],
        ['api', '2024-03-05T10:57:00.000Z'],
      ]);
    });

    it('computes columns with eval', async () => {
      expect(
        await rows(
          '| eval slow = if(duration_ms >= 30, "slow", "fast"), d = duration_ms / 10 | stats count(), max(d) by slow',
        ),
      ).toStrictEqual([
        ['fast', 30, 2.9],
        ['slow', 30, 5.9],
      ]);
    });

    it('returns events with the fields they have when no command aggregates', async () => {
      // Events 15 and 45 match; 45 is the newest and has neither a status nor tags.
      const res = await run('service:api AND level:WARN | head 1');
      const names = res.columns.map((c) => c.name);
      expect(names.slice(0, 5)).toStrictEqual(['@timestamp', 'stream', 'level', 'service', 'message']);
      expect(names).toContain('client.ip');
      expect(names).not.toContain('status');
      expect(names).not.toContain('tags');
      expect(res.rows).toHaveLength(1);
      expect(res.rows[0]!.slice(0, 5)).toStrictEqual([
        '2024-03-05T10:45:00.000Z',
        'web',
        'WARN',
        'api',
        'request 45 done',
      ]);
    });

    it('cuts at the limit and says so', async () => {
      const res = await run('| head 10', { limit: 3 });
      expect(res.rows).toHaveLength(3);
      expect(res.truncated).toBe(true);
    });

    it('reads unknown fields as null and rejects type clashes with a 400', async () => {
      expect(await rows('| where nosuch = 1 | stats count()')).toStrictEqual([[0]]);
      expect(await rows('| stats count() by nosuch')).toStrictEqual([]);
      await expect(run('| where status > "high"')).rejects.toMatchObject({
        status: 400,
        code: 'invalid_query',
      });
      await expect(run('| stats avg(service)')).rejects.toMatchObject({ status: 400, code: 'invalid_query' });
    });

    it('answers a range with no events', async () => {
      const empty = { fromUs: DAY1 - 120 * MIN, toUs: DAY1 - 60 * MIN };
      expect((await run('| stats count()', { range: empty })).rows).toStrictEqual([[0]]);
      expect((await run('| stats count() by service', { range: empty })).rows).toStrictEqual([]);
    });
  });
}
