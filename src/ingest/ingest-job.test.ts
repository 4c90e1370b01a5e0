import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_LIMITS } from '../model/normalize.js';
import type { PipelineOutcome } from '../pipeline/catalog.js';
import { BASE_COLUMNS } from '../store/duckdb/catalog.js';
import { bulkItemIds, decodeBulkForStore } from './ingest-job.js';

const view = {
  fields: new Map(BASE_COLUMNS.map((c) => [c.name, c])),
  overflow: new Set<string>(),
  maxColumns: 1000,
};
const opts = { receivedUs: Date.UTC(2024, 0, 15) * 1000, limits: DEFAULT_EVENT_LIMITS };
const body = [
  { create: { _index: 'app' } },
  { message: 'keep me' },
  { create: { _index: 'app' } },
  '{"message": broken',
  { index: { _index: 'app', _id: 'mine' } },
  { message: 'drop me' },
  { delete: { _index: 'app', _id: 'x' } },
  { create: { _index: 'app' } },
  { message: 'reject me' },
  { create: { _index: 'app' } },
  { message: 'keep me too' },
]
  .map((l) => (typeof l === 'string' ? l : JSON.stringify(l)))
  .join('\n');

describe('decodeBulkForStore', () => {
  it('keeps items in order without their events and encodes only the stored ones', () => {
    const decoded = decodeBulkForStore(body, opts, null, view);
    expect(decoded.items.map((i) => [i.op, i.error?.status ?? 'ok'])).toStrictEqual([
      ['create', 'ok'],
      ['create', 400],
      ['index', 'ok'],
      ['delete', 405],
      ['create', 'ok'],
      ['create', 'ok'],
    ]);
    expect(decoded.items.some((i) => 'event' in i)).toBe(false);
    expect(decoded.rows.count).toBe(4);
    expect(decoded.droppedItems).toStrictEqual([]);
  });

  it('applies pipeline outcomes: dropped items are listed, rejected ones get an error', () => {
    const process = (events: { fields: Record<string, unknown> }[]): PipelineOutcome[] =>
      events.map((e) =>
        e.fields['message'] === 'drop me'
          ? { kind: 'dropped' }
          : e.fields['message'] === 'reject me'
            ? { kind: 'rejected', reason: 'no good' }
            : { kind: 'kept', event: e as never },
      );
    const decoded = decodeBulkForStore(body, opts, { process, requested: true }, view);
    expect(decoded.droppedItems).toStrictEqual([2]);
    expect(decoded.items[4]!.error).toMatchObject({ status: 400, reason: 'after the pipeline: no good' });
    expect(decoded.rows.count).toBe(2);
    expect(Array.from(bulkItemIds(decoded, ['a', 'b']))).toStrictEqual([
      'a',
      undefined,
      undefined,
      undefined,
      undefined,
      'b',
    ]);
  });
});
