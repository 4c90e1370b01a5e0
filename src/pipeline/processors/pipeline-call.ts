import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface PipelineCallConfig extends ProcessorConfigBase {
  kind: 'pipeline';
  /** The id of the pipeline to run (user-defined or built-in). */
  name: string;
}

const MAX_NESTING = 10;

/** Runs another pipeline on the event (Elasticsearch's pipeline processor). */
export const pipelineCallProcessor: ProcessorComponent<PipelineCallConfig> = {
  kind: 'pipeline',
  summary: 'Runs another pipeline (user-defined or built-in) on the event',
  defaultFailureTags: ['_pipelinefailure'],
  parse(r: OptionReader) {
    return { name: r.requiredString('name') };
  },
  build(config, ctx) {
    if (config.name !== '' && !ctx.pipelineExists(config.name))
      return { errors: [`name: there is no pipeline "${config.name}"`] };
    return (doc, exec) => {
      if (exec.depth >= MAX_NESTING)
        return `pipelines call each other more than ${MAX_NESTING} levels deep (at "${config.name}")`;
      const pipeline = exec.pipeline(config.name);
      if (pipeline === null) return `there is no pipeline "${config.name}"`;
      return exec.runPipeline(pipeline, doc);
    };
  },
};
