import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../demo/rng.js';
import type { Event, FieldValue } from '../../model/event.js';
import { parseQuery } from '../../query/index.js';
import type { AggregateRequest, AggregationResult } from '../store.js';
import { DuckDBStore } from './duckdb-store.js';

const MIN = 60_000_000;
const DAY = 1_440 * MIN;
const DAY0 = Date.UTC(2025, 3, 1) * 1000;
const INTERVALS: Record<string, number> = { '15m': 15 * MIN, '1h': 60 * MIN, '1d': DAY };

/**
 * Skewed keys over two days and two streams: `path` (string, missing in a tenth of the events, many
 * ties), `code` (number), `service` (a rollup field, absent from `web`: flushed data answers from
 * the rollups).
 */
function events(rng: Rng, n: number): Event[] {
  return Array.from({ length: n }, (_, i) => {
    const stream = rng.chance(0.4) ? 'web' : 'app';
    const fields: Record<string, FieldValue> = { message: `event ${i}` };
    if (rng.chance(0.9)) fields['path'] = `/p${Math.floor(rng.int(30) ** 2 / 30)}`;
    fields['code'] = rng.pick([200, 200, 200, 404, 500, 503]);
    if (stream === 'app') fields['service'] = rng.pick(['api', 'api', 'web', 'auth', 'billing']);
    return { timestampUs: DAY0 + rng.int(2 * DAY) + rng.int(1000) * 1000, stream, fields };
  });
}

/** The queries the test uses, evaluated in JS. */
const QUERIES: Record<string, (f: Record<string, FieldValue>) => boolean> = {
  '': () => true,
  'code:>=500': (f) => (f['code'] as number) >= 500,
  'service:auth': (f) => f['service'] === 'auth',
  'NOT service:api': (f) => f['service'] !== 'api',
  'absent_field:x': () => false,
};

type Order = 'count_desc' | 'count_asc' | 'key_asc' | 'key_desc';

/** The terms result computed from the events, as Elasticsearch defines it. */
function expectedTerms(matched: Event[], field: string, size: number, order: Order) {
  const counts = new Map<string | number, number>();
  for (const e of matched) {
    const v = e.fields[field];
    if (typeof v === 'string' || typeof v === 'number') counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const byKey = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  type Entry = [string | number, number];
  const compare: Record<Order, (a: Entry, b: Entry) => number> = {
    count_desc: ([ka, na], [kb, nb]) => nb - na || byKey(ka, kb),
    count_asc: ([ka, na], [kb, nb]) => na - nb || byKey(ka, kb),
    key_asc: ([ka], [kb]) => byKey(ka, kb),
    key_desc: ([ka], [kb]) => byKey(kb, ka),
  };
  const ranked = [...counts].sort(compare[order]);
  const top = ranked.slice(0, size);
  const values = ranked.reduce((n, [, c]) => n + c, 0);
  return { top, otherCount: values - top.reduce((n, [, c]) => n + c, 0) };
}

describe('top-level terms', () => {
  let dataDir: string;
  let store: DuckDBStore;
  let all: Event[];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-terms-'));
    store = await DuckDBStore.open({ dataDir, rollupBatchRows: 1 });
    all = events(new Rng(11), 6_000);
    for (let i = 0; i < all.length; i += 1_000) await store.append(all.slice(i, i + 1_000));
    await store.refresh();
  });
  afterAll(async () => {
    await store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('count the top N, the rest and the total exactly, with per-key histograms, for every order', async () => {
    const rng = new Rng(5);
    let withRest = 0;
    for (let i = 0; i < 80; i++) {
      const field = rng.pick(['path', 'code', 'service']);
      const q = rng.pick(Object.keys(QUERIES));
      const size = rng.pick([1, 3, 10, 50]);
      const order = rng.pick<Order>(['count_desc', 'count_asc', 'key_asc', 'key_desc']);
      const interval = rng.pick(Object.keys(INTERVALS));
      const fromUs = DAY0 + rng.int(DAY) + (rng.chance(0.5) ? rng.int(MIN) : 0);
      const range = { fromUs, toUs: fromUs + rng.pick([90 * MIN, DAY, DAY + 7 * MIN]) };
      const nested = rng.chance(0.5);
      const req: AggregateRequest = {
        query: q ? parseQuery(q) : null,
        range,
        aggs: {
          t: {
            kind: 'terms',
            field,
            size,
            order,
            ...(nested ? { aggs: { h: { kind: 'date_histogram', interval } } } : {}),
          },
        },
      };
      const matched = all.filter(
        (e) => e.timestampUs >= range.fromUs && e.timestampUs < range.toUs && QUERIES[q]!(e.fields),
      );
      const want = expectedTerms(matched, field, size, order);
      const got = (await store.aggregate(req)) as { total: number; aggs: Record<string, AggregationResult> };
      const label = JSON.stringify({ field, q, size, order, range, nested });
      expect(got.total, label).toBe(matched.length);
      const terms = got.aggs['t'];
      if (terms?.kind !== 'terms') throw new Error(`${label}: no terms result`);
      expect(
        terms.buckets.map((b) => [b.key, b.count]),
        label,
      ).toEqual(want.top);
      expect(terms.otherCount, label).toBe(want.otherCount);
      if (want.otherCount > 0) withRest++;
      if (!nested) continue;
      const step = INTERVALS[interval]!;
      for (const b of terms.buckets) {
        const h = b.aggs?.['h'];
        if (h?.kind !== 'date_histogram') throw new Error(`${label}: no histogram under ${b.key}`);
        const perBucket = new Map<number, number>();
        for (const e of matched) {
          if (e.fields[field] !== b.key) continue;
          const start = Math.floor(e.timestampUs / step) * step;
          perBucket.set(start, (perBucket.get(start) ?? 0) + 1);
        }
        const nonEmpty = h.buckets.filter((x) => x.count > 0).map((x) => [x.keyUs, x.count]);
        expect(nonEmpty, `${label} ${b.key}`).toEqual([...perBucket].sort((x, y) => x[0] - y[0]));
      }
    }
    expect(withRest).toBeGreaterThan(20);
  });
});
