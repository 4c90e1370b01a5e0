import { getField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface TranslateConfig extends ProcessorConfigBase {
  kind: 'translate';
  field: string;
  /** Where the translation goes (default: replaces the field). */
  target: string;
  dictionary: [string, string][];
  /** Value when the dictionary has no entry; absent: the processor fails (tag `_translatefailure`). */
  fallback: string | undefined;
  /** Look keys up ignoring case. */
  ignore_case: boolean;
  ignore_missing: boolean;
}

/** Maps values through a dictionary (Logstash's translate filter): `D` → `DEBUG`, `404` → `Not Found`. */
export const translateProcessor: ProcessorComponent<TranslateConfig> = {
  kind: 'translate',
  summary: 'Maps a value through a dictionary (codes to names, short levels to level names)',
  defaultFailureTags: ['_translatefailure'],
  parse(r: OptionReader) {
    const field = r.field('field') ?? r.field('source', '');
    if (field === '') r.error('field', 'is required');
    const dictionary = r.stringMap('dictionary');
    if (dictionary.length === 0) r.error('dictionary', 'is required: give at least one entry');
    return {
      field,
      target: r.field('target') ?? field,
      dictionary,
      fallback: r.string('fallback'),
      ignore_case: r.boolean('ignore_case', false),
      ignore_missing: r.boolean('ignore_missing', true),
    };
  },
  build(config) {
    const key = (s: string) => (config.ignore_case ? s.toLowerCase() : s);
    const map = new Map(config.dictionary.map(([k, v]) => [key(k), v]));
    return (doc) => {
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const hit = map.get(key(String(Array.isArray(value) ? value[0] : value))) ?? config.fallback;
      if (hit === undefined) return `the dictionary has no entry for ${JSON.stringify(value)}`;
      return setField(doc, config.target, hit);
    };
  },
};
