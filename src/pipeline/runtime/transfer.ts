import type { Event, FieldValue } from '../../model/event.js';
import { createFieldMap } from '../../model/flatten.js';
import type { PipelineOutcome } from '../catalog.js';

/*
 * Events cross between threads in a compact form. Structured cloning an event writes every field
 * name again for every event and rebuilds each field map as a slow object; here names go once per
 * batch (each distinct set of names is a "shape"), and the values travel in one flat array of
 * primitives, which postMessage copies quickly. The receiver builds proper field maps (not
 * Object.prototype-based plain objects, whose inherited members would read as fields).
 *
 * Layout of `data`, per item: kind (0 kept, 1 dropped, 2 rejected), then for a kept event
 * timestampUs, stream, id (or null), shape index and the values in the shape's order; for a
 * rejected one the reason and the field (or null).
 */
export interface EncodedBatch {
  keys: string[];
  shapes: number[][];
  data: unknown[];
}

class Encoder {
  readonly keys: string[] = [];
  readonly shapes: number[][] = [];
  readonly data: unknown[] = [];
  private readonly keyIds = new Map<string, number>();
  private readonly shapeIds = new Map<string, number>();

  /** The names of the last shape, to recognise the common case (the same fields again) cheaply. */
  private lastNames: string[] = [];
  private lastShape = -1;

  event(event: Event): void {
    const fields = event.fields;
    const data = this.data;
    data.push(event.timestampUs, event.stream, event.id ?? null, 0);
    const shapeAt = data.length - 1;
    const last = this.lastNames;
    let same = this.lastShape >= 0;
    let n = 0;
    for (const key in fields) {
      if (same && last[n] !== key) same = false;
      n++;
      data.push(fields[key]);
    }
    if (same && n === last.length) {
      data[shapeAt] = this.lastShape;
      return;
    }
    const names = Object.keys(fields);
    const ids = names.map((key) => {
      let id = this.keyIds.get(key);
      if (id === undefined) {
        id = this.keys.length;
        this.keys.push(key);
        this.keyIds.set(key, id);
      }
      return id;
    });
    const signature = ids.join(',');
    let shape = this.shapeIds.get(signature);
    if (shape === undefined) {
      shape = this.shapes.length;
      this.shapes.push(ids);
      this.shapeIds.set(signature, shape);
    }
    data[shapeAt] = shape;
    this.lastNames = names;
    this.lastShape = shape;
  }

  batch(): EncodedBatch {
    return { keys: this.keys, shapes: this.shapes, data: this.data };
  }
}

class Decoder {
  private at = 0;
  private readonly shapeKeys: string[][];

  constructor(private readonly batch: EncodedBatch) {
    this.shapeKeys = batch.shapes.map((ids) => ids.map((id) => batch.keys[id]!));
  }

  get done(): boolean {
    return this.at >= this.batch.data.length;
  }

  next(): unknown {
    return this.batch.data[this.at++];
  }

  event(): Event {
    const timestampUs = this.next() as number;
    const stream = this.next() as string;
    const id = this.next() as string | null;
    const keys = this.shapeKeys[this.next() as number]!;
    const fields = createFieldMap();
    for (let k = 0; k < keys.length; k++) fields[keys[k]!] = this.next() as FieldValue;
    return id === null ? { timestampUs, stream, fields } : { timestampUs, stream, id, fields };
  }
}

export function encodeEvents(events: readonly Event[]): EncodedBatch {
  const encoder = new Encoder();
  for (const e of events) encoder.event(e);
  return encoder.batch();
}

export function decodeEvents(batch: EncodedBatch): Event[] {
  const decoder = new Decoder(batch);
  const events: Event[] = [];
  while (!decoder.done) events.push(decoder.event());
  return events;
}

export function encodeOutcomes(outcomes: readonly PipelineOutcome[]): EncodedBatch {
  const encoder = new Encoder();
  for (const o of outcomes) {
    switch (o.kind) {
      case 'kept':
        encoder.data.push(0);
        encoder.event(o.event);
        break;
      case 'dropped':
        encoder.data.push(1);
        break;
      case 'rejected':
        encoder.data.push(2, o.reason, o.field ?? null);
        break;
    }
  }
  return encoder.batch();
}

export function decodeOutcomes(batch: EncodedBatch): PipelineOutcome[] {
  const decoder = new Decoder(batch);
  const outcomes: PipelineOutcome[] = [];
  while (!decoder.done) {
    const kind = decoder.next();
    if (kind === 0) outcomes.push({ kind: 'kept', event: decoder.event() });
    else if (kind === 1) outcomes.push({ kind: 'dropped' });
    else {
      const reason = decoder.next() as string;
      const field = decoder.next() as string | null;
      outcomes.push(field === null ? { kind: 'rejected', reason } : { kind: 'rejected', reason, field });
    }
  }
  return outcomes;
}
