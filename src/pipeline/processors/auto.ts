import type { OptionReader } from '../options.js';
import type { CompiledStep, ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface AutoConfig extends ProcessorConfigBase {
  kind: 'auto';
  /** Built-in format pipelines to try, in order (default: every text format Cairn knows). */
  formats: string[];
}

/**
 * Recognises the format of a line among the built-in format pipelines: the first whose first
 * processor (its recognising grok or json) succeeds is the format, and the rest of that pipeline
 * runs. No match is a failure (tag `_autoparsefailure`), and the event is kept as it is.
 */
export function autoProcessor(defaultFormats: readonly string[]): ProcessorComponent<AutoConfig> {
  return {
    kind: 'auto',
    summary: 'Recognises the log format of a line among the built-in formats and parses it',
    defaultFailureTags: ['_autoparsefailure'],
    parse(r: OptionReader) {
      return { formats: r.strings('formats', defaultFormats) };
    },
    build(config, ctx) {
      const errors: string[] = [];
      const formats: { id: string; first: CompiledStep; rest: CompiledStep[] }[] = [];
      config.formats.forEach((id, i) => {
        const pipeline = ctx.builtin(id);
        if (pipeline === undefined) {
          errors.push(
            `formats[${i}]: there is no built-in format "${id}" (known: ${defaultFormats.join(', ')})`,
          );
          return;
        }
        const steps = ctx.compileSteps(pipeline.processors, `formats[${i}]`);
        const [first, ...rest] = steps;
        if (first !== undefined) formats.push({ id, first, rest });
      });
      if (errors.length > 0) return { errors };
      return (doc, exec) => {
        for (const { first, rest } of formats) {
          if (first.condition !== null && !first.condition.test(doc)) continue;
          if (first.run(doc, exec) !== null) continue;
          first.onSuccess?.(doc);
          exec.runSteps(rest, doc);
          return null;
        }
        return `the line matches none of the formats ${config.formats.join(', ')}`;
      };
    },
  };
}
