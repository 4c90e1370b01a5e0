import type { FieldValue, Scalar } from '../../model/event.js';
import { getField, normalizeFieldName, type PipelineDoc, removeField, setField, subtree } from '../doc.js';
import type { OptionReader } from '../options.js';
import { compileTemplate, type Template } from '../template.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export type ConvertType = 'integer' | 'float' | 'string' | 'boolean';

export interface GsubRule {
  field: string;
  pattern: string;
  replacement: string;
}

export interface MutateConfig extends ProcessorConfigBase {
  kind: 'mutate';
  coerce: [string, string][];
  rename: [string, string][];
  update: [string, string][];
  replace: [string, string][];
  convert: [string, ConvertType][];
  gsub: GsubRule[];
  uppercase: string[];
  capitalize: string[];
  lowercase: string[];
  strip: string[];
  split: [string, string][];
  join: [string, string][];
  merge: [string, string][];
  copy: [string, string][];
}

const CONVERT_TYPES: Readonly<Record<string, ConvertType>> = {
  integer: 'integer',
  int: 'integer',
  long: 'integer',
  float: 'float',
  double: 'float',
  number: 'float',
  string: 'string',
  boolean: 'boolean',
  bool: 'boolean',
};

function readGsub(r: OptionReader): GsubRule[] {
  const raw = r.value('gsub');
  if (raw === undefined) return [];
  const rules: GsubRule[] = [];
  if (!Array.isArray(raw)) {
    r.error(
      'gsub',
      'expected a list: [field, pattern, replacement, …] or [{field, pattern, replacement}, …]',
    );
    return rules;
  }
  if (raw.every((x) => typeof x === 'string')) {
    if (raw.length % 3 !== 0) {
      r.error('gsub', `expected field, pattern, replacement triples, got ${raw.length} strings`);
      return rules;
    }
    const strings = raw as string[];
    for (let i = 0; i < strings.length; i += 3)
      rules.push({
        field: normalizeFieldName(strings[i]!),
        pattern: strings[i + 1]!,
        replacement: strings[i + 2]!,
      });
    return rules;
  }
  raw.forEach((item: unknown, i) => {
    if (Array.isArray(item) && item.length === 3 && item.every((x) => typeof x === 'string')) {
      const [field, pattern, replacement] = item as [string, string, string];
      rules.push({ field: normalizeFieldName(field), pattern, replacement });
    } else if (
      typeof item === 'object' &&
      item !== null &&
      typeof (item as GsubRule).field === 'string' &&
      typeof (item as GsubRule).pattern === 'string' &&
      typeof (item as GsubRule).replacement === 'string'
    ) {
      const rule = item as GsubRule;
      rules.push({
        field: normalizeFieldName(rule.field),
        pattern: rule.pattern,
        replacement: rule.replacement,
      });
    } else {
      r.error(`gsub[${i}]`, 'expected [field, pattern, replacement] or {field, pattern, replacement}');
    }
  });
  return rules;
}

export const mutateProcessor: ProcessorComponent<MutateConfig> = {
  kind: 'mutate',
  summary: 'Renames, converts, rewrites, splits, merges and copies fields (Logstash mutate)',
  defaultFailureTags: ['_mutate_error'],
  parse(r: OptionReader) {
    const fieldPairs = (key: string) =>
      r.stringMap(key).map(([a, b]): [string, string] => [normalizeFieldName(a), normalizeFieldName(b)]);
    const convert: [string, ConvertType][] = [];
    for (const [field, type] of r.stringMap('convert')) {
      const t = CONVERT_TYPES[type.toLowerCase()];
      if (t === undefined)
        r.error(`convert.${field}`, `expected integer, float, string or boolean, got "${type}"`);
      else convert.push([normalizeFieldName(field), t]);
    }
    const named = (key: string) =>
      r.stringMap(key).map(([a, b]): [string, string] => [normalizeFieldName(a), b]);
    return {
      coerce: named('coerce'),
      rename: fieldPairs('rename'),
      update: named('update'),
      replace: named('replace'),
      convert,
      gsub: readGsub(r),
      uppercase: r.fields('uppercase'),
      capitalize: r.fields('capitalize'),
      lowercase: r.fields('lowercase'),
      strip: r.fields('strip'),
      split: named('split'),
      join: named('join'),
      merge: fieldPairs('merge'),
      copy: fieldPairs('copy'),
    };
  },
  build(config) {
    const errors: string[] = [];
    const gsub: { field: string; regex: RegExp; replacement: string }[] = [];
    config.gsub.forEach((rule, i) => {
      try {
        gsub.push({
          field: rule.field,
          regex: new RegExp(rule.pattern, 'g'),
          replacement: toJsReplacement(rule.replacement),
        });
      } catch (err) {
        errors.push(`gsub[${i}]: ${(err as Error).message}`);
      }
    });
    if (errors.length > 0) return { errors };
    const templates = (pairs: [string, string][]) =>
      pairs.map(([field, value]): [string, Template] => [field, compileTemplate(value)]);
    const coerce = templates(config.coerce);
    const update = templates(config.update);
    const replace = templates(config.replace);
    // Every operation skips fields that are absent, as Logstash's mutate does.
    return (doc) => {
      for (const [field, t] of coerce)
        if (getField(doc, field) === undefined) setField(doc, field, t.render(doc));
      for (const [from, to] of config.rename) moveTree(doc, from, to, true);
      for (const [field, t] of update)
        if (getField(doc, field) !== undefined) setField(doc, field, t.render(doc));
      for (const [field, t] of replace) setField(doc, field, t.render(doc));
      for (const [field, type] of config.convert) mapValues(doc, field, (v) => convertValue(v, type));
      for (const rule of gsub)
        mapValues(doc, rule.field, (v) =>
          typeof v === 'string' ? v.replace(rule.regex, rule.replacement) : v,
        );
      for (const field of config.uppercase) mapStrings(doc, field, (s) => s.toUpperCase());
      for (const field of config.capitalize)
        mapStrings(doc, field, (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());
      for (const field of config.lowercase) mapStrings(doc, field, (s) => s.toLowerCase());
      for (const field of config.strip) mapStrings(doc, field, (s) => s.trim());
      for (const [field, separator] of config.split) {
        const v = getField(doc, field);
        if (typeof v === 'string') setField(doc, field, v.split(separator));
      }
      for (const [field, separator] of config.join) {
        const v = getField(doc, field);
        if (Array.isArray(v)) setField(doc, field, v.join(separator));
      }
      for (const [dest, src] of config.merge) {
        const added = getField(doc, src);
        if (added === undefined) continue;
        const current = getField(doc, dest);
        const list: Scalar[] = current === undefined ? [] : Array.isArray(current) ? [...current] : [current];
        for (const v of Array.isArray(added) ? added : [added]) list.push(v);
        setField(doc, dest, sameType(list));
      }
      for (const [from, to] of config.copy) moveTree(doc, from, to, false);
      return null;
    };
  },
};

/** Logstash/Ruby back-references `\1` become JavaScript's `$1`. */
function toJsReplacement(replacement: string): string {
  return replacement.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
}

/** Moves or copies a field with the fields below it (`rename: {a: b}` takes `a.x` to `b.x`). */
export function moveTree(doc: PipelineDoc, from: string, to: string, remove: boolean): void {
  if (from === to) return;
  const entries = subtree(doc, from);
  if (entries.length === 0) return;
  if (remove) removeField(doc, from);
  removeField(doc, to);
  for (const [suffix, value] of entries)
    setField(doc, to + suffix, Array.isArray(value) ? value.slice() : value);
}

function mapValues(doc: PipelineDoc, field: string, fn: (v: Scalar) => Scalar): void {
  const v = getField(doc, field);
  if (v === undefined) return;
  setField(doc, field, Array.isArray(v) ? sameType(v.map(fn)) : fn(v));
}

function mapStrings(doc: PipelineDoc, field: string, fn: (s: string) => string): void {
  mapValues(doc, field, (v) => (typeof v === 'string' ? fn(v) : v));
}

/** A list holds one type (a column holds one type): mixed lists become strings. */
export function sameType(list: Scalar[]): FieldValue {
  if (list.length === 0) return list;
  const t = typeof list[0];
  return list.every((v) => typeof v === t) ? list : list.map(String);
}

export function convertValue(v: Scalar, type: ConvertType): Scalar {
  switch (type) {
    case 'string':
      return String(v);
    case 'integer': {
      if (typeof v === 'number') return Math.trunc(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      const n = Number(v.trim());
      return v.trim() !== '' && Number.isFinite(n) ? Math.trunc(n) : v;
    }
    case 'float': {
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      const n = Number(v.trim());
      return v.trim() !== '' && Number.isFinite(n) ? n : v;
    }
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      const lower = String(v).trim().toLowerCase();
      if (['true', 't', 'yes', 'y', '1', '1.0'].includes(lower)) return true;
      if (['false', 'f', 'no', 'n', '0', '0.0'].includes(lower)) return false;
      return v;
    }
  }
}
