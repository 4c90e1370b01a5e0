import type { Scalar } from '../../model/event.js';
import { getField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface KvConfig extends ProcessorConfigBase {
  kind: 'kv';
  field: string;
  /** Regular expression between pairs (default one or more spaces). */
  field_split: string;
  /** Regular expression between a key and its value (default `=`). */
  value_split: string;
  /** Put the keys below this field instead of at the top level. */
  target_field: string | undefined;
  prefix: string;
  include_keys: string[];
  exclude_keys: string[];
  /** Characters trimmed from both ends of keys / values. */
  trim_key: string;
  trim_value: string;
  /** Remove one pair of brackets, parentheses or angle brackets around values. */
  strip_brackets: boolean;
  ignore_missing: boolean;
}

/**
 * Key-value pairs (`a=1 b="two words"`, logfmt). Unlike Elasticsearch's kv, a value in double or
 * single quotes may hold the field separator, as in Logstash; a key seen twice gives a list.
 */
export const kvProcessor: ProcessorComponent<KvConfig> = {
  kind: 'kv',
  summary: 'Extracts key=value pairs (logfmt, query strings, syslog structured messages)',
  defaultFailureTags: ['_kvparsefailure'],
  parse(r: OptionReader) {
    return {
      field: r.field('field', 'message'),
      field_split: r.string('field_split', ' +'),
      value_split: r.string('value_split', '='),
      target_field: r.field('target_field'),
      prefix: r.string('prefix', ''),
      include_keys: r.strings('include_keys'),
      exclude_keys: r.strings('exclude_keys'),
      trim_key: r.string('trim_key', ''),
      trim_value: r.string('trim_value', ''),
      strip_brackets: r.boolean('strip_brackets', false),
      ignore_missing: r.boolean('ignore_missing', false),
    };
  },
  build(config) {
    let fieldSplit: RegExp;
    let valueSplit: RegExp;
    const errors: string[] = [];
    try {
      fieldSplit = new RegExp(config.field_split, 'g');
    } catch (err) {
      errors.push(`field_split: ${(err as Error).message}`);
    }
    try {
      valueSplit = new RegExp(config.value_split, 'g');
    } catch (err) {
      errors.push(`value_split: ${(err as Error).message}`);
    }
    if (errors.length > 0) return { errors };
    const include = config.include_keys.length > 0 ? new Set(config.include_keys) : null;
    const exclude = new Set(config.exclude_keys);
    const trimKey = trimmer(config.trim_key);
    const trimValue = trimmer(config.trim_value);
    const base = config.target_field === undefined ? '' : `${config.target_field}.`;
    return (doc) => {
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const pairs = splitPairs(String(value), fieldSplit!, valueSplit!);
      if (pairs.length === 0) return `no key=value pair in the value of "${config.field}"`;
      const out = new Map<string, Scalar[]>();
      for (const [rawKey, rawValue] of pairs) {
        const key = trimKey(rawKey);
        if (key === '' || (include !== null && !include.has(key)) || exclude.has(key)) continue;
        let v = trimValue(rawValue);
        if (config.strip_brackets) v = stripBrackets(v);
        const list = out.get(key);
        if (list === undefined) out.set(key, [v]);
        else list.push(v);
      }
      for (const [key, list] of out)
        setField(doc, base + config.prefix + key, list.length === 1 ? list[0]! : list);
      return null;
    };
  },
};

function trimmer(chars: string): (s: string) => string {
  if (chars === '') return (s) => s;
  const set = new Set(chars);
  return (s) => {
    let start = 0;
    let end = s.length;
    while (start < end && set.has(s[start]!)) start++;
    while (end > start && set.has(s[end - 1]!)) end--;
    return s.slice(start, end);
  };
}

function stripBrackets(v: string): string {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '<': '>' };
  const close = pairs[v[0] ?? ''];
  return close !== undefined && v.endsWith(close) && v.length >= 2 ? v.slice(1, -1) : v;
}

/** [key, value] pairs; a quoted value runs to its closing quote. */
export function splitPairs(text: string, fieldSplit: RegExp, valueSplit: RegExp): [string, string][] {
  const pairs: [string, string][] = [];
  const nextMatch = (re: RegExp, from: number): { index: number; end: number } | null => {
    re.lastIndex = from;
    for (;;) {
      const m = re.exec(text);
      if (m === null) return null;
      if (m[0].length > 0) return { index: m.index, end: m.index + m[0].length };
      re.lastIndex = m.index + 1;
    }
  };
  let pos = 0;
  while (pos < text.length) {
    const fs = nextMatch(fieldSplit, pos);
    if (fs !== null && fs.index === pos) {
      pos = fs.end;
      continue;
    }
    const vs = nextMatch(valueSplit, pos);
    if (vs === null) break;
    if (fs !== null && fs.index < vs.index) {
      pos = fs.end; // a token without a value
      continue;
    }
    const key = text.slice(pos, vs.index);
    const quote = text[vs.end];
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, vs.end + 1);
      if (close !== -1) {
        pairs.push([key, text.slice(vs.end + 1, close)]);
        pos = close + 1;
        continue;
      }
    }
    const end = nextMatch(fieldSplit, vs.end);
    pairs.push([key, text.slice(vs.end, end === null ? text.length : end.index)]);
    pos = end === null ? text.length : end.end;
  }
  return pairs;
}
