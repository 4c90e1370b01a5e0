import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface DropConfig extends ProcessorConfigBase {
  kind: 'drop';
}

/** Drops the event (use it with `if:`): it is not stored and no later processor runs. */
export const dropProcessor: ProcessorComponent<DropConfig> = {
  kind: 'drop',
  summary: 'Drops the event (with if: to drop only some)',
  defaultFailureTags: [],
  parse(_r: OptionReader) {
    return {};
  },
  build() {
    return (doc) => {
      doc.dropped = true;
      return null;
    };
  },
};
