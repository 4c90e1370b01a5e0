import { describe, expect, it } from 'vitest';
import type { Event } from '../../model/event.js';
import { createFieldMap } from '../../model/flatten.js';
import type { PipelineOutcome } from '../catalog.js';
import { decodeEvents, decodeOutcomes, encodeEvents, encodeOutcomes } from './transfer.js';

function event(fields: Record<string, unknown>, extra: Partial<Event> = {}): Event {
  const map = createFieldMap();
  Object.assign(map, fields);
  return { timestampUs: 1_700_000_000_000_123, stream: 'web', fields: map, ...extra };
}

describe('events between threads', () => {
  it('survive postMessage unchanged, in order, as field maps without inherited members', () => {
    const events = [
      event({ message: 'a', 'http.response.status_code': 200, tags: ['x', 'y'] }),
      event({ message: 'b', ok: false }, { id: 'doc-1' }),
      event({ message: 'a2', 'http.response.status_code': 404, tags: [] }),
    ];
    const decoded = decodeEvents(structuredClone(encodeEvents(events)));
    expect(decoded).toEqual(events);
    expect(decoded[0]!.fields['constructor']).toBeUndefined();
    expect(Object.getPrototypeOf(decoded[1]!.fields)).toBe(Object.getPrototypeOf(createFieldMap()));
  });

  it('names each set of fields once per batch', () => {
    const batch = encodeEvents(Array.from({ length: 100 }, (_, i) => event({ message: `m${i}`, n: i })));
    expect(batch.keys).toEqual(['message', 'n']);
    expect(batch.shapes).toEqual([[0, 1]]);
  });

  it('carry kept, dropped and rejected outcomes', () => {
    const outcomes: PipelineOutcome[] = [
      { kind: 'kept', event: event({ message: 'k' }) },
      { kind: 'dropped' },
      { kind: 'rejected', reason: 'too big', field: 'f' },
      { kind: 'rejected', reason: 'no field' },
    ];
    expect(decodeOutcomes(structuredClone(encodeOutcomes(outcomes)))).toEqual(outcomes);
  });
});
