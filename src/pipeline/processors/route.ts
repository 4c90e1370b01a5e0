import { setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import { compileTemplate } from '../template.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface RouteConfig extends ProcessorConfigBase {
  kind: 'route';
  /** The target stream, with %{field} references (`errors`, `%{service}-errors`). */
  stream: string;
}

const STREAM_NAME = /^[a-z0-9][a-z0-9._+-]{0,254}$/;

/** Sends the event to another stream (Logstash's `index => "…"` per event, Elasticsearch's reroute). */
export const routeProcessor: ProcessorComponent<RouteConfig> = {
  kind: 'route',
  summary: 'Sends the event to another stream, named literally or from fields',
  defaultFailureTags: ['_routefailure'],
  parse(r: OptionReader) {
    return { stream: r.requiredString('stream') };
  },
  build(config) {
    const template = compileTemplate(config.stream);
    if (template.constant && !STREAM_NAME.test(config.stream))
      return {
        errors: [
          `stream: "${config.stream}" is not a stream name: use lower-case letters, digits, and . _ + -`,
        ],
      };
    return (doc) => {
      if (template.missing(doc))
        return `cannot name the stream "${config.stream}": a referenced field is missing`;
      const name = template.render(doc).toLowerCase();
      if (!STREAM_NAME.test(name))
        return `"${name}" is not a stream name: use lower-case letters, digits, and . _ + -`;
      return setField(doc, 'stream', name);
    };
  },
};
