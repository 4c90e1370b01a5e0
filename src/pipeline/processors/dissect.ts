import { getField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface DissectConfig extends ProcessorConfigBase {
  kind: 'dissect';
  field: string;
  pattern: string;
  append_separator: string;
  ignore_missing: boolean;
}

/*
 * Elasticsearch's dissect: split text on the literal delimiters between `%{key}`s, no regexes.
 * `%{}` and `%{?name}` skip a part, `%{+name}` appends to an earlier key (joined with
 * append_separator), `%{*name}`/`%{&name}` use one part as the name and another as the value,
 * `%{name->}` skips repeated delimiters after the part (padding).
 */
interface Key {
  name: string;
  kind: 'normal' | 'skip' | 'append' | 'refKey' | 'refValue';
  padded: boolean;
}

interface Parsed {
  prefix: string;
  keys: { key: Key; delimiter: string }[];
}

export function parseDissectPattern(pattern: string): Parsed {
  const re = /%\{([^}]*)\}/g;
  const keys: { key: Key; delimiter: string }[] = [];
  let prefix = '';
  let last = 0;
  let m: RegExpExecArray | null = re.exec(pattern);
  if (m === null) throw new Error('the pattern has no %{key}');
  prefix = pattern.slice(0, m.index);
  while (m !== null) {
    let spec = m[1]!;
    const padded = spec.endsWith('->');
    if (padded) spec = spec.slice(0, -2);
    let kind: Key['kind'] = 'normal';
    if (spec === '' || spec.startsWith('?')) kind = 'skip';
    else if (spec.startsWith('+')) kind = 'append';
    else if (spec.startsWith('*')) kind = 'refKey';
    else if (spec.startsWith('&')) kind = 'refValue';
    let name = kind === 'normal' || spec === '' ? spec : spec.slice(1);
    if (kind === 'append') name = name.replace(/\/\d+$/, '');
    last = m.index + m[0].length;
    m = re.exec(pattern);
    const delimiter = pattern.slice(last, m === null ? pattern.length : m.index);
    if (delimiter === '' && m !== null)
      throw new Error(`two keys follow each other without a delimiter at "${spec}"`);
    keys.push({ key: { name, kind, padded }, delimiter });
  }
  return { prefix, keys };
}

export const dissectProcessor: ProcessorComponent<DissectConfig> = {
  kind: 'dissect',
  summary: 'Splits text on the literal delimiters of a %{a} %{b} pattern (no regular expressions)',
  defaultFailureTags: ['_dissectfailure'],
  parse(r: OptionReader) {
    return {
      field: r.field('field', 'message'),
      pattern: r.requiredString('pattern'),
      append_separator: r.string('append_separator', ''),
      ignore_missing: r.boolean('ignore_missing', false),
    };
  },
  build(config) {
    let parsed: Parsed;
    try {
      parsed = parseDissectPattern(config.pattern);
    } catch (err) {
      return { errors: [`pattern: ${(err as Error).message}`] };
    }
    const { prefix, keys } = parsed;
    return (doc) => {
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const text = Array.isArray(value) ? value.join(',') : String(value);
      if (!text.startsWith(prefix)) return `the value of "${config.field}" does not start with "${prefix}"`;
      let at = prefix.length;
      const values: string[] = [];
      for (const { key, delimiter } of keys) {
        let end: number;
        if (delimiter === '') end = text.length;
        else {
          end = text.indexOf(delimiter, at);
          if (end === -1)
            return `the value of "${config.field}" has no "${delimiter}" where the pattern expects it`;
        }
        values.push(text.slice(at, end));
        at = end + delimiter.length;
        if (key.padded && delimiter !== '') while (text.startsWith(delimiter, at)) at += delimiter.length;
      }
      const out = new Map<string, string>();
      const refKeys = new Map<string, string>();
      const refValues = new Map<string, string>();
      keys.forEach(({ key }, i) => {
        const v = values[i]!;
        switch (key.kind) {
          case 'skip':
            return;
          case 'normal':
            out.set(key.name, v);
            return;
          case 'append': {
            const before = out.get(key.name);
            out.set(key.name, before === undefined ? v : before + config.append_separator + v);
            return;
          }
          case 'refKey':
            refKeys.set(key.name, v);
            return;
          case 'refValue':
            refValues.set(key.name, v);
            return;
        }
      });
      for (const [ref, name] of refKeys) {
        const v = refValues.get(ref);
        if (v !== undefined) out.set(name, v);
      }
      for (const [name, v] of out) setField(doc, name, v);
      return null;
    };
  },
};
