import { describe, expect, it } from 'vitest';
import type { Event } from '../model/event.js';
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
    const decoded = decodeBulkForStore(
      body,
      opts,
      { process, requested: true, explicit: true, forIndex: () => null },
      view,
    );
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

  it("runs an index's default pipeline unless the document or request names one, then its final pipeline", () => {
    const calls: { named: (string | undefined)[] | null; onlyNamed: boolean }[] = [];
    // Each event records the pipelines it went through; `drop` drops it.
    const processFor =
      (requested: boolean) =>
      (
        events: Event[],
        named: readonly (string | undefined)[] | null,
        onlyNamed?: boolean,
      ): PipelineOutcome[] => {
        calls.push({ named: named === null ? null : [...named], onlyNamed: onlyNamed === true });
        return events.map((event, i) => {
          const name = named?.[i] ?? (onlyNamed || !requested ? undefined : 'request');
          if (name === 'drop') return { kind: 'dropped' };
          if (name !== undefined) {
            const ran = (event.fields['ran'] as string[] | undefined) ?? [];
            event.fields['ran'] = [...ran, name];
          }
          return { kind: 'kept', event };
        });
      };
    const forIndex = (index: string) =>
      index.startsWith('logs')
        ? { defaultPipeline: 'default', finalPipeline: index === 'logs-nofinal' ? '_none' : 'final' }
        : { defaultPipeline: null, finalPipeline: null };
    const text = [
      { create: { _index: 'logs-a' } },
      { message: 'index default, then final' },
      { create: { _index: 'logs-a', pipeline: 'own' } },
      { message: 'action line, then final' },
      { create: { _index: 'logs-a', pipeline: 'drop' } },
      { message: 'dropped: no final' },
      { create: { _index: 'logs-nofinal' } },
      { message: 'final turned off' },
      { create: { _index: 'other' } },
      { message: 'no index pipelines' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const withRan = {
      ...view,
      fields: new Map([...view.fields, ['ran', { name: 'ran', type: 'string' as const, list: true }]]),
    };
    const ran = (explicit: boolean, requested: boolean) => {
      const decoded = decodeBulkForStore(
        text,
        opts,
        { process: processFor(requested), requested, explicit, forIndex },
        withRan,
      );
      expect(decoded.droppedItems).toStrictEqual([2]);
      const rows = Buffer.from(decoded.rows.groups.flatMap((g) => [...g.rows]))
        .toString('utf8')
        .trim()
        .split('\n')
        .map(
          // sequence numbers are filled in when rows are written
          (l) =>
            JSON.parse(l.replace(/"_seq": +,/, '"_seq":0,')) as {
              message: string;
              ran?: string[];
            },
        );
      return Object.fromEntries(rows.map((r) => [r.message, r.ran ?? []]));
    };
    expect(ran(false, false)).toStrictEqual({
      'index default, then final': ['default', 'final'],
      'action line, then final': ['own', 'final'],
      'final turned off': ['default'],
      'no index pipelines': [],
    });
    // ?pipeline=x: the request's pipeline replaces index defaults; final pipelines still run.
    expect(ran(true, true)).toStrictEqual({
      'index default, then final': ['request', 'final'],
      'action line, then final': ['own', 'final'],
      'final turned off': ['request'],
      'no index pipelines': ['request'],
    });
    // The final pass runs only on kept events that have a final pipeline, and only that one.
    expect(calls.at(-1)).toStrictEqual({ named: ['final', 'final'], onlyNamed: true });
  });
});
