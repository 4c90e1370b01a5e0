import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../demo/rng.js';
import type { Event, FieldValue, TimeRange } from '../../model/event.js';
import { parseQuery } from '../../query/index.js';
import type { AggregateRequest, Aggregation, NamedAggregations } from '../store.js';
import { DuckDBStore, type DuckDBStoreOptions } from './duckdb-store.js';

const MIN = 60_000_000;
const DAY = 1_440 * MIN;
const DAY0 = Date.UTC(2025, 0, 30) * 1000;
const SERVICES = ['api', 'web', 'auth', 'billing'];
const LEVELS = ['ERROR', 'WARN', 'INFO', 'DEBUG'];
const REGIONS = ['eu', 'us', 'ap'];
/** `region` is no base column: partitions gain it when an event first has it. */
const FIELDS = ['level', 'service', 'region'];

/**
 * Events over three days in two streams: `web` never has `service`, `region` appears only in the
 * second half (a column partitions gain after they have been rolled up), and some events lack a
 * level. Timestamps carry milliseconds, so ranges cut minutes.
 */
function events(rng: Rng, n: number): Event[][] {
  const batches: Event[][] = [];
  for (let i = 0; i < n; i += 25) {
    const batch: Event[] = [];
    for (let j = i; j < Math.min(n, i + 25); j++) {
      const stream = rng.chance(0.3) ? 'web' : 'app';
      const fields: Record<string, FieldValue> = { message: `event ${j}` };
      if (rng.chance(0.9)) fields['level'] = rng.pick(LEVELS);
      if (stream === 'app') fields['service'] = rng.pick(SERVICES);
      if (j >= n / 2 && rng.chance(0.8)) fields['region'] = rng.pick(REGIONS);
      batch.push({ timestampUs: DAY0 + rng.int(3 * DAY) + rng.int(1000) * 1000, stream, fields });
    }
    batches.push(batch);
  }
  return batches;
}

async function openStore(dataDir: string, extra: Partial<DuckDBStoreOptions>): Promise<DuckDBStore> {
  return DuckDBStore.open({ dataDir, refreshIntervalMs: 60_000, ...extra });
}

const INTERVALS = ['1m', '5m', '1h', '1d', '1w', '1M'];

function randomAggs(rng: Rng, field: string): NamedAggregations {
  const histogram = (): Aggregation =>
    rng.chance(0.2)
      ? { kind: 'date_histogram', buckets: 1 + rng.int(40) }
      : { kind: 'date_histogram', interval: rng.pick(INTERVALS) };
  const terms = (): Aggregation => ({
    kind: 'terms',
    field,
    size: 1 + rng.int(5),
    order: rng.pick(['count_desc', 'count_asc', 'key_asc', 'key_desc'] as const),
  });
  switch (rng.int(4)) {
    case 0:
      return { t: terms() };
    case 1:
      return { h: histogram() };
    case 2:
      return { t: { ...terms(), aggs: { h: histogram() } } as Aggregation };
    default:
      return { h: { ...histogram(), aggs: { t: terms() } } as Aggregation };
  }
}

function randomQuery(rng: Rng, field: string, values: readonly string[]): string {
  const v = () => rng.pick(values);
  return rng.pick([
    '',
    `${field}:${v()}`,
    `NOT ${field}:${v()}`,
    `${field}:(${v()} OR ${v()})`,
    `_exists_:${field}`,
    `NOT _exists_:${field}`,
    `${field}:[a TO m]`,
    `${field}:>=${v()}`,
  ]);
}

function randomRange(rng: Rng): TimeRange {
  // Whole days, whole minutes, or any µs: ranges that the rollups cover whole, in part, or not at all.
  const span = rng.pick([3 * DAY, DAY, 3 * 60 * MIN, 7 * MIN, 90 * 1_000_000]);
  const aligned = rng.chance(0.3);
  const from = DAY0 - DAY / 2 + rng.int(3 * DAY);
  const fromUs = aligned ? Math.floor(from / MIN) * MIN : from;
  return { fromUs, toUs: fromUs + span + (aligned ? 0 : rng.int(MIN)) };
}

// The counts in memory (the default); DuckDB's copy of them when memory holds none; and both, when
// memory holds some partitions' counts only.
const COPIES = [
  ['in memory', {}],
  ['in DuckDB', { rollupMemoryRows: 0 }],
  ['partly in memory', { rollupMemoryRows: 3_000 }],
] as const;

describe.each(COPIES)('minute rollups, counted %s', (_, copy: Partial<DuckDBStoreOptions>) => {
  let dir: string;
  let rolled: DuckDBStore;
  let rows: DuckDBStore;
  const rng = new Rng('rollups');
  const batches = events(rng, 1_500);

  async function ingest(from: number, to: number) {
    for (const batch of batches.slice(from, to)) {
      for (const s of [rolled, rows]) {
        await s.append(batch);
        await s.refresh();
      }
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-rollup-'));
    // Rolls up a partition once 20 rows have gathered (so some rows are always still raw)…
    rolled = await openStore(join(dir, 'rolled'), { rollupBatchRows: 20, rollupFields: FIELDS, ...copy });
    // …and the same events with no rollups at all: the rows say what the answers are.
    rows = await openStore(join(dir, 'rows'), { rollupBatchRows: Number.MAX_SAFE_INTEGER, rollupFields: [] });
  });

  afterAll(async () => {
    await rolled.close();
    await rows.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cases: AggregateRequest[] = [];
  const caseRng = new Rng('rollup cases');
  for (let i = 0; i < 150; i++) {
    const field = caseRng.pick(FIELDS);
    const values = field === 'level' ? LEVELS : field === 'service' ? SERVICES : REGIONS;
    const q = randomQuery(caseRng, field, values);
    cases.push({
      query: q ? parseQuery(q) : null,
      range: randomRange(caseRng),
      aggs: randomAggs(caseRng, field),
    });
  }
  // Ranges whose partial minutes hold a partition's first or last event (and no other event of it).
  const spans = new Map<string, { lo: number; hi: number }>();
  for (const e of batches.flat()) {
    const key = `${e.stream} ${Math.floor(e.timestampUs / DAY)}`;
    const span = spans.get(key) ?? { lo: e.timestampUs, hi: e.timestampUs };
    span.lo = Math.min(span.lo, e.timestampUs);
    span.hi = Math.max(span.hi, e.timestampUs);
    spans.set(key, span);
  }
  for (const { lo, hi } of spans.values()) {
    for (const range of [
      { fromUs: lo - 7_000_000, toUs: lo + 3 * MIN },
      { fromUs: hi - 3 * MIN, toUs: hi + 1 },
    ]) {
      cases.push({ query: null, range, aggs: { l: { kind: 'terms', field: 'level', size: 5 } } });
    }
  }

  it('answers counting aggregations as the rows do, whatever the range cuts', async () => {
    // Before `region` exists, just after some partitions gained it (not rolled up yet), and at the end.
    for (const [from, to] of [
      [0, 27],
      [27, 33],
      [33, batches.length],
    ] as const) {
      await ingest(from, to);
      for (const req of cases) {
        expect(await rolled.aggregate(req), JSON.stringify(req)).toEqual(await rows.aggregate(req));
      }
    }
  }, 60_000);

  it('answers alike after a restart and after a flush rolls up every row', async () => {
    const sample = cases.slice(0, 40);
    const before = await Promise.all(sample.map((req) => rows.aggregate(req)));
    await rolled.close();
    rolled = await openStore(join(dir, 'rolled'), { rollupBatchRows: 20, rollupFields: FIELDS, ...copy });
    for (const [i, req] of sample.entries()) expect(await rolled.aggregate(req)).toEqual(before[i]);
    await rolled.flush();
    for (const [i, req] of sample.entries()) expect(await rolled.aggregate(req)).toEqual(before[i]);
  });

  it('reads the minute counts, not the rows, for whole minutes', async () => {
    const req: AggregateRequest = {
      query: null,
      range: { fromUs: DAY0, toUs: DAY0 + 3 * DAY },
      aggs: { t: { kind: 'terms', field: 'level', size: 10 } },
    };
    const truth = await rows.aggregate(req);
    await rolled.flush();
    await rolled.close();
    // Counts that disagree with the rows on purpose: every ERROR minute gains 1,000 events.
    const db = await DuckDBInstance.create(join(dir, 'rolled', 'cairn.duckdb'));
    const conn = await db.connect();
    const changed = await conn.run(
      `UPDATE _cairn_rollup SET n = n + 1000 WHERE field = 'level' AND v = 'ERROR' AND minute_us >= ${DAY0} AND minute_us < ${DAY0 + 3 * DAY} RETURNING minute_us`,
    );
    const minutes = (await changed.getRows()).length;
    conn.closeSync();
    db.closeSync();
    rolled = await openStore(join(dir, 'rolled'), { rollupBatchRows: 20, rollupFields: FIELDS, ...copy });
    const result = await rolled.aggregate(req);
    const errors = (r: typeof result) =>
      r.aggs['t']?.kind === 'terms' ? r.aggs['t'].buckets.find((b) => b.key === 'ERROR')?.count : undefined;
    expect(minutes).toBeGreaterThan(100);
    expect(errors(result)).toBe(errors(truth)! + 1000 * minutes);
    // A query on another field cannot use the level counts: it reads rows and is unaffected.
    const other = { ...req, query: parseQuery('message:event') };
    expect(await rolled.aggregate(other)).toEqual(await rows.aggregate(other));
  });
});

describe.each(COPIES)('minute rollups across configuration changes, counted %s', (_, copy) => {
  it('rebuilds the counts of a field configured again, and answers from rows until then', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-rollup-config-'));
    const batches = events(new Rng('rollup config'), 600);
    const rows = await openStore(join(dir, 'rows'), { rollupFields: [] });
    const path = join(dir, 'rolled');
    let rolled = await openStore(path, { rollupBatchRows: 20, rollupFields: FIELDS, ...copy });
    const ingest = async (part: Event[][]) => {
      for (const batch of part) {
        for (const s of [rolled, rows]) {
          await s.append(batch);
          await s.refresh();
        }
      }
    };
    const cases: AggregateRequest[] = ['', 'region:eu', 'NOT region:us'].map((q) => ({
      query: q ? parseQuery(q) : null,
      range: { fromUs: DAY0 + 17_000_000, toUs: DAY0 + 2 * DAY + 5_000_000 },
      aggs: {
        r: {
          kind: 'terms',
          field: 'region',
          size: 2,
          aggs: { h: { kind: 'date_histogram', interval: '1h' } },
        },
      },
    }));
    const agree = async () => {
      for (const req of cases)
        expect(await rolled.aggregate(req), JSON.stringify(req)).toEqual(await rows.aggregate(req));
    };
    try {
      await ingest(batches.slice(0, 16)); // `region` appears from batch 12 on
      await agree();
      await rolled.close();
      // `region` no longer configured: these roll-ups leave it out.
      rolled = await openStore(path, { rollupBatchRows: 20, rollupFields: ['level'], ...copy });
      await ingest(batches.slice(16, 20));
      await agree();
      await rolled.close();
      // Configured again: stale counts must not answer, and the next roll-up rebuilds them.
      rolled = await openStore(path, { rollupBatchRows: 20, rollupFields: FIELDS, ...copy });
      await agree();
      await ingest(batches.slice(20));
      await agree();
      await rolled.flush();
      await agree();
    } finally {
      await rolled.close();
      await rows.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
