import { parseTimestamp } from '../../model/timestamp.js';
import { getField, setJson } from '../doc.js';
import { isPlainObject, type OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface JsonConfig extends ProcessorConfigBase {
  kind: 'json';
  field: string;
  /** Where the parsed value goes; absent: the top level of the event (an object is required then). */
  target: string | undefined;
  /** Leave the event alone when the text is not JSON, without failing. */
  skip_on_invalid_json: boolean;
  ignore_missing: boolean;
}

const TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts'];

/**
 * Parses JSON text. Into the top level (Logstash's default), the object's keys replace fields of the
 * same name, and its `@timestamp` (else `timestamp`, `time` or `ts`) becomes the event time when it
 * is a timestamp Cairn reads on ingest, as if the object had been sent as JSON in the first place.
 */
export const jsonProcessor: ProcessorComponent<JsonConfig> = {
  kind: 'json',
  summary: 'Parses a JSON string into the event (top level) or into a target field',
  defaultFailureTags: ['_jsonparsefailure'],
  parse(r: OptionReader) {
    const source = r.field('source');
    const field = r.field('field', source ?? 'message');
    return {
      field,
      target: r.field('target') ?? r.field('target_field'),
      skip_on_invalid_json: r.boolean('skip_on_invalid_json', false),
      ignore_missing: r.boolean('ignore_missing', false),
    };
  },
  build(config) {
    return (doc) => {
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const text = String(value);
      // Most lines given to `auto` are not JSON: say so without the cost of a parse error.
      if (config.target === undefined && text.trimStart()[0] !== '{') {
        return config.skip_on_invalid_json ? null : `the value of "${config.field}" is not a JSON object`;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        if (config.skip_on_invalid_json) return null;
        return `the value of "${config.field}" is not JSON: ${(err as Error).message}`;
      }
      if (config.target !== undefined) return setJson(doc, config.target, parsed);
      if (!isPlainObject(parsed)) {
        if (config.skip_on_invalid_json) return null;
        return `the value of "${config.field}" is JSON but not an object; set "target" to keep it`;
      }
      const failure = setJson(doc, '', parsed);
      if (failure !== null) return failure;
      for (const key of TIME_KEYS) {
        const time = parsed[key];
        if (time === undefined || time === null) continue;
        const us = parseTimestamp(time);
        if (us !== null) doc.event.timestampUs = us;
        break;
      }
      return null;
    };
  },
};
