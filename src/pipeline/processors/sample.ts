import { createHash } from 'node:crypto';
import { getString } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface SampleConfig extends ProcessorConfigBase {
  kind: 'sample';
  /** Share of events kept, 0-1. */
  rate: number;
  /**
   * Decide by a hash of this field instead of at random, so all events with the same value (a trace
   * id, a session) are kept or dropped together, and a resent event gets the same decision.
   */
  key: string | undefined;
}

export const sampleProcessor: ProcessorComponent<SampleConfig> = {
  kind: 'sample',
  summary: 'Keeps a share of events (at random, or consistently by the hash of a key field)',
  defaultFailureTags: [],
  parse(r: OptionReader) {
    return { rate: r.number('rate', 1, { min: 0, max: 1 }), key: r.field('key') };
  },
  build(config, ctx) {
    const { rate, key } = config;
    return (doc) => {
      let draw: number;
      if (key === undefined) draw = ctx.random();
      else {
        const value = getString(doc, key);
        if (value === undefined) draw = ctx.random();
        else draw = createHash('sha1').update(value).digest().readUInt32BE(0) / 0x1_0000_0000;
      }
      if (draw >= rate) doc.dropped = true;
      return null;
    };
  },
};
