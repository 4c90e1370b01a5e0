import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_LIMITS, normalizeEvent } from '../../model/normalize.js';
import { testCatalog } from '../test-support.js';
import { LazyResources } from './resources.js';
import { PipelineWorkerPool } from './worker-pool.js';

const catalog = testCatalog();
catalog.set(
  'numbered',
  {
    processors: [
      { grok: { patterns: ['^line %{INT:n:int}$'] } },
      { drop: { if: 'n:13' } },
      { mutate: { add_field: { copy: 'n=%{n}' } } },
    ],
  },
  'api',
);
const resources = new LazyResources();
const pools: PipelineWorkerPool[] = [];
function pool(options: { size: number; maxPendingEvents?: number; chunkEvents?: number }) {
  const p = new PipelineWorkerPool({
    maxPendingEvents: 1_000_000,
    ...options,
    snapshot: () => catalog.snapshot(),
    geoip: () => resources.geoipSource(),
    nowOffsetUs: () => 0,
  });
  pools.push(p);
  return p;
}
afterAll(() => Promise.all(pools.map((p) => p.close())));

const events = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const r = normalizeEvent(
      { message: `line ${i}` },
      { stream: 's', receivedUs: 1, limits: DEFAULT_EVENT_LIMITS },
    );
    if (!r.ok) throw new Error(r.reason);
    return r.event;
  });

describe('PipelineWorkerPool', () => {
  it('spreads a request over the workers and gives the outcomes back in request order', async () => {
    const p = pool({ size: 3, chunkEvents: 700 });
    const [a, b] = await Promise.all([
      p.run(events(5000), 'numbered', DEFAULT_EVENT_LIMITS),
      p.run(events(10), 'numbered', DEFAULT_EVENT_LIMITS),
    ]);
    expect(a).toHaveLength(5000);
    a.forEach((o, i) => {
      if (i === 13) expect(o).toEqual({ kind: 'dropped' });
      else expect(o.kind === 'kept' && [o.event.fields['n'], o.event.fields['copy']]).toEqual([i, `n=${i}`]);
    });
    expect(b.map((o) => (o.kind === 'kept' ? o.event.fields['n'] : o.kind))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(p.inflight).toBe(0);
  });

  it('sees pipelines changed after the workers started', async () => {
    const p = pool({ size: 1 });
    await p.run(events(1), 'numbered', DEFAULT_EVENT_LIMITS);
    catalog.set('late', { processors: [{ mutate: { add_tag: ['late'] } }] }, 'api');
    const [o] = await p.run(events(1), 'late', DEFAULT_EVENT_LIMITS);
    expect(o?.kind === 'kept' && o.event.fields['tags']).toEqual(['late']);
  });

  it('refuses work beyond maxPendingEvents with 429 and Retry-After, taking work again once drained', async () => {
    const p = pool({ size: 1, maxPendingEvents: 1000 });
    const first = p.run(events(800), 'numbered', DEFAULT_EVENT_LIMITS);
    await expect(p.run(events(800), 'numbered', DEFAULT_EVENT_LIMITS)).rejects.toMatchObject({
      code: 'too_many_requests',
      status: 429,
      details: { pending: 800, limit: 1000, retryAfterSeconds: 1 },
    });
    await first;
    await expect(p.run(events(800), 'numbered', DEFAULT_EVENT_LIMITS)).resolves.toHaveLength(800);
  });
});
