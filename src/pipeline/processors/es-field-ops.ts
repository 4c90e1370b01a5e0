import type { FieldValue, Scalar } from '../../model/event.js';
import { canonicalIp } from '../../model/ip.js';
import { formatTimestamp } from '../../model/timestamp.js';
import { getField, getString, hasField, type PipelineDoc, removeField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { BuildContext, ProcessorComponent, ProcessorConfigBase, ProcessorFn } from '../types.js';
import { convertValue, moveTree, sameType } from './mutate.js';

/*
 * Elasticsearch's single-purpose field processors (set, rename, remove, convert, lowercase,
 * uppercase, trim, append, gsub, split, join, urldecode, fail), with Elasticsearch's options,
 * defaults and failures, so that pipelines written for Elasticsearch (and installed by shippers
 * through PUT _ingest/pipeline) run unchanged. Values may be Mustache templates (`{{field}}`,
 * `{{{field}}}`, `{{_source.field}}`, `{{_ingest.timestamp}}`); an absent field renders empty, as
 * in Elasticsearch. Cairn's own `mutate` does the same jobs the Logstash way.
 */

/** A Mustache template as Elasticsearch's ingest processors use them. */
interface Mustache {
  constant: boolean;
  render(doc: PipelineDoc): string;
}

const MUSTACHE = /\{\{\{?\s*([^{}]+?)\s*\}?\}\}/g;

function compileMustache(source: string, nowUs: () => number): Mustache {
  const parts: ({ text: string } | { field: string })[] = [];
  let last = 0;
  for (const m of source.matchAll(MUSTACHE)) {
    if (m.index > last) parts.push({ text: source.slice(last, m.index) });
    const name = m[1]!;
    parts.push({ field: name.startsWith('_source.') ? name.slice('_source.'.length) : name });
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push({ text: source.slice(last) });
  const constant = parts.every((p) => 'text' in p);
  return {
    constant,
    render(doc) {
      if (constant) return source;
      let out = '';
      for (const p of parts) {
        if ('text' in p) out += p.text;
        else if (p.field === '_ingest.timestamp') out += formatTimestamp(nowUs());
        else out += getString(doc, p.field) ?? '';
      }
      return out;
    },
  };
}

/** A processor's `value`: JSON scalars and lists of them as they are, strings as templates. */
type ValueTemplate = (doc: PipelineDoc) => FieldValue;

function readValue(r: OptionReader, key: string): FieldValue | undefined {
  const v = r.value(key);
  if (v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (
    Array.isArray(v) &&
    v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')
  )
    return v as Scalar[];
  r.error(key, 'expected a string, number, boolean or a list of them');
  return undefined;
}

function valueTemplate(value: FieldValue, nowUs: () => number): ValueTemplate {
  if (typeof value === 'string') {
    const t = compileMustache(value, nowUs);
    return t.constant ? () => value : (doc) => t.render(doc);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => (typeof v === 'string' ? compileMustache(v, nowUs) : v));
    return (doc) => items.map((t) => (typeof t === 'object' ? t.render(doc) : t));
  }
  return () => value;
}

/** The options of processors that change one field in place or into `target_field`. */
interface FieldOpConfig extends ProcessorConfigBase {
  field: string;
  target_field: string;
  ignore_missing: boolean;
}

/** The `field` every one of these processors needs. */
function requiredField(r: OptionReader): string {
  const field = r.field('field');
  if (field === undefined) r.error('field', 'is required');
  return field ?? '';
}

function readFieldOp(r: OptionReader): Omit<FieldOpConfig, keyof ProcessorConfigBase> {
  const field = requiredField(r);
  return {
    field,
    target_field: r.field('target_field') ?? field,
    ignore_missing: r.boolean('ignore_missing', false),
  };
}

/** What an absent field means: nothing to do with `ignore_missing`, else Elasticsearch's failure. */
function missing(config: FieldOpConfig): string | null {
  return config.ignore_missing
    ? null
    : `field [${config.field}] not present as part of path [${config.field}]`;
}

/**
 * A processor that maps each string of a field (every item of a list) to a new value, or fails
 * with a message. Elasticsearch's string processors fail on anything but strings.
 */
function stringOp<K extends string>(
  kind: K,
  summary: string,
  map: (s: string) => Scalar | Scalar[] | { error: string },
  extra?: {
    parse(r: OptionReader): Record<string, unknown>;
    build(
      config: FieldOpConfig & Record<string, unknown>,
      ctx: BuildContext,
    ): ((s: string) => Scalar | Scalar[] | { error: string }) | { errors: string[] };
  },
): ProcessorComponent<FieldOpConfig & { kind: K }> {
  return {
    kind,
    summary,
    defaultFailureTags: [`_${kind}_error`],
    parse: (r) => ({ ...readFieldOp(r), ...(extra?.parse(r) ?? {}) }),
    build(config, ctx) {
      const built = extra
        ? extra.build(config as unknown as FieldOpConfig & Record<string, unknown>, ctx)
        : map;
      if (typeof built !== 'function') return built;
      const fn = built;
      return (doc) => {
        const v = getField(doc, config.field);
        if (v === undefined) return missing(config);
        const one = (s: Scalar): Scalar | Scalar[] | { error: string } =>
          typeof s === 'string'
            ? fn(s)
            : { error: `field [${config.field}] of type [${typeof s}] cannot be cast to [java.lang.String]` };
        let out: FieldValue;
        if (Array.isArray(v)) {
          const items: Scalar[] = [];
          for (const s of v) {
            const r = one(s);
            if (typeof r === 'object' && !Array.isArray(r)) return r.error;
            if (Array.isArray(r)) items.push(...r);
            else items.push(r);
          }
          out = items;
        } else {
          const r = one(v);
          if (typeof r === 'object' && !Array.isArray(r)) return r.error;
          out = r;
        }
        return setField(doc, config.target_field, out);
      };
    },
  };
}

export const lowercaseProcessor = stringOp('lowercase', 'Lowercases a string field (Elasticsearch)', (s) =>
  s.toLowerCase(),
);
export const uppercaseProcessor = stringOp('uppercase', 'Uppercases a string field (Elasticsearch)', (s) =>
  s.toUpperCase(),
);
export const trimProcessor = stringOp('trim', 'Trims whitespace from a string field (Elasticsearch)', (s) =>
  s.trim(),
);
export const urldecodeProcessor = stringOp('urldecode', 'URL-decodes a string field (Elasticsearch)', (s) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return { error: `unable to URL-decode [${s}]` };
  }
});

/** Java's `$1` replacement syntax is JavaScript's too; a `\$` is a literal dollar. */
function javaReplacement(replacement: string): string {
  return replacement.replace(/\\\$/g, '$$$$');
}

export const gsubProcessor = stringOp(
  'gsub',
  'Replaces regex matches in a string field (Elasticsearch)',
  (s) => s,
  {
    parse: (r) => ({ pattern: r.string('pattern', ''), replacement: r.string('replacement', '') }),
    build(config) {
      try {
        const regex = new RegExp(String(config['pattern']), 'g');
        const replacement = javaReplacement(String(config['replacement']));
        return (s) => s.replace(regex, replacement);
      } catch (err) {
        return { errors: [`pattern: ${(err as Error).message}`] };
      }
    },
  },
);

export const splitProcessor = stringOp(
  'split',
  'Splits a string field into a list on a regex (Elasticsearch)',
  (s) => s,
  {
    parse: (r) => ({
      separator: r.string('separator', ''),
      preserve_trailing: r.boolean('preserve_trailing', false),
    }),
    build(config) {
      try {
        const separator = new RegExp(String(config['separator']));
        const keepTrailing = config['preserve_trailing'] === true;
        return (s) => {
          const parts = s.split(separator);
          // Java's String.split drops trailing empty strings unless told to keep them.
          if (!keepTrailing) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
          return parts;
        };
      } catch (err) {
        return { errors: [`separator: ${(err as Error).message}`] };
      }
    },
  },
);

interface SetConfig extends ProcessorConfigBase {
  kind: 'set';
  field: string;
  value?: FieldValue;
  copy_from?: string;
  override: boolean;
  ignore_empty_value: boolean;
}

export const setProcessor: ProcessorComponent<SetConfig> = {
  kind: 'set',
  summary: 'Sets a field to a value or template, or copies another field (Elasticsearch)',
  defaultFailureTags: ['_set_error'],
  parse(r) {
    const field = requiredField(r);
    const value = readValue(r, 'value');
    const copyFrom = r.field('copy_from');
    if ((value === undefined) === (copyFrom === undefined))
      r.error('value', 'give either value or copy_from');
    r.value('media_type');
    return {
      field,
      ...(value !== undefined ? { value } : {}),
      ...(copyFrom !== undefined ? { copy_from: copyFrom } : {}),
      override: r.boolean('override', true),
      ignore_empty_value: r.boolean('ignore_empty_value', false),
    };
  },
  build(config, ctx) {
    const value = valueTemplate(config.value ?? '', ctx.nowUs);
    return (doc) => {
      if (!config.override && getField(doc, config.field) !== undefined) return null;
      if (config.copy_from !== undefined) {
        if (!hasField(doc, config.copy_from))
          return config.ignore_empty_value ? null : `field [${config.copy_from}] not present`;
        moveTree(doc, config.copy_from, config.field, false);
        return null;
      }
      const v = value(doc);
      if (config.ignore_empty_value && (v === '' || (Array.isArray(v) && v.length === 0))) return null;
      return setField(doc, config.field, v);
    };
  },
};

interface RenameConfig extends FieldOpConfig {
  kind: 'rename';
  override: boolean;
}

export const renameProcessor: ProcessorComponent<RenameConfig> = {
  kind: 'rename',
  summary: 'Renames a field and the fields below it (Elasticsearch)',
  defaultFailureTags: ['_rename_error'],
  parse(r) {
    const op = readFieldOp(r);
    if (!r.has('target_field')) r.error('target_field', 'is required');
    return { ...op, override: r.boolean('override', false) };
  },
  build(config) {
    return (doc) => {
      if (!hasField(doc, config.field)) return missing(config);
      if (config.target_field === config.field) return null;
      if (!config.override && hasField(doc, config.target_field))
        return `field [${config.target_field}] already exists`;
      moveTree(doc, config.field, config.target_field, true);
      return null;
    };
  },
};

interface RemoveConfig extends ProcessorConfigBase {
  kind: 'remove';
  field: string[];
  keep: string[];
  ignore_missing: boolean;
}

export const removeProcessor: ProcessorComponent<RemoveConfig> = {
  kind: 'remove',
  summary: 'Removes fields, or every field but those to keep (Elasticsearch)',
  defaultFailureTags: ['_remove_error'],
  parse(r) {
    const field = r.fields('field');
    const keep = r.fields('keep');
    if ((field.length === 0) === (keep.length === 0)) r.error('field', 'give either field or keep');
    return { field, keep, ignore_missing: r.boolean('ignore_missing', false) };
  },
  build(config) {
    return (doc) => {
      if (config.keep.length > 0) {
        const kept = (name: string) => config.keep.some((k) => name === k || name.startsWith(`${k}.`));
        for (const name of Object.keys(doc.event.fields))
          if (doc.event.fields[name] !== undefined && !kept(name)) removeField(doc, name);
        return null;
      }
      for (const name of config.field) {
        if (!removeField(doc, name) && !config.ignore_missing)
          return `field [${name}] not present as part of path [${name}]`;
      }
      return null;
    };
  },
};

type EsConvertType = 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'string' | 'ip' | 'auto';
const ES_CONVERT_TYPES: readonly EsConvertType[] = [
  'integer',
  'long',
  'float',
  'double',
  'boolean',
  'string',
  'ip',
  'auto',
];

interface ConvertConfig extends FieldOpConfig {
  kind: 'convert';
  type: EsConvertType;
}

/** One value converted as Elasticsearch's convert processor does, or the reason it cannot be. */
function esConvert(v: Scalar, type: EsConvertType): Scalar | { error: string } {
  const fail = { error: `unable to convert [${String(v)}] to ${type}` };
  switch (type) {
    case 'integer':
    case 'long': {
      if (typeof v === 'boolean') return fail;
      const text = String(v).trim();
      if (!/^[+-]?(\d+|0x[0-9a-f]+)$/i.test(text)) return fail;
      const n = Number(text.replace(/^([+-]?)0x/i, '$10x'));
      return Number.isFinite(n) ? n : fail;
    }
    case 'float':
    case 'double': {
      if (typeof v === 'boolean') return fail;
      const converted = convertValue(v, 'float');
      return typeof converted === 'number' ? converted : fail;
    }
    case 'boolean': {
      const lower = String(v).trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      return fail;
    }
    case 'string':
      return String(v);
    case 'ip': {
      const text = String(v).trim();
      return canonicalIp(text) !== null ? text : fail;
    }
    case 'auto': {
      if (typeof v !== 'string') return v;
      const text = v.trim();
      if (text === 'true') return true;
      if (text === 'false') return false;
      const n = Number(text);
      return text !== '' && Number.isFinite(n) ? n : v;
    }
  }
}

export const convertProcessor: ProcessorComponent<ConvertConfig> = {
  kind: 'convert',
  summary: 'Converts a field to integer, long, float, double, boolean, string, ip or auto (Elasticsearch)',
  defaultFailureTags: ['_convert_error'],
  parse(r) {
    const op = readFieldOp(r);
    if (!r.has('type')) r.error('type', `is required: one of ${ES_CONVERT_TYPES.join(', ')}`);
    return { ...op, type: r.oneOf('type', ES_CONVERT_TYPES, 'auto') };
  },
  build(config) {
    return (doc) => {
      const v = getField(doc, config.field);
      if (v === undefined) return missing(config);
      const values = Array.isArray(v) ? v : [v];
      const out: Scalar[] = [];
      for (const item of values) {
        const c = esConvert(item, config.type);
        if (typeof c === 'object') return c.error;
        out.push(c);
      }
      return setField(doc, config.target_field, Array.isArray(v) ? out : out[0]!);
    };
  },
};

interface AppendConfig extends ProcessorConfigBase {
  kind: 'append';
  field: string;
  value: FieldValue;
  allow_duplicates: boolean;
}

export const appendProcessor: ProcessorComponent<AppendConfig> = {
  kind: 'append',
  summary: 'Appends values (or templates) to a field, making it a list (Elasticsearch)',
  defaultFailureTags: ['_append_error'],
  parse(r) {
    const field = requiredField(r);
    const value = readValue(r, 'value');
    if (value === undefined) r.error('value', 'is required');
    r.value('media_type');
    return { field, value: value ?? [], allow_duplicates: r.boolean('allow_duplicates', true) };
  },
  build(config, ctx) {
    const value = valueTemplate(config.value, ctx.nowUs);
    return (doc) => {
      const current = getField(doc, config.field);
      const list: Scalar[] = current === undefined ? [] : Array.isArray(current) ? [...current] : [current];
      const added = value(doc);
      for (const v of Array.isArray(added) ? added : [added])
        if (config.allow_duplicates || !list.includes(v)) list.push(v);
      return setField(doc, config.field, sameType(list));
    };
  },
};

interface JoinConfig extends FieldOpConfig {
  kind: 'join';
  separator: string;
}

export const joinProcessor: ProcessorComponent<JoinConfig> = {
  kind: 'join',
  summary: 'Joins a list field into one string (Elasticsearch)',
  defaultFailureTags: ['_join_error'],
  parse(r) {
    const op = readFieldOp(r);
    if (!r.has('separator')) r.error('separator', 'is required');
    return { ...op, separator: r.string('separator', '') };
  },
  build(config) {
    return (doc) => {
      const v = getField(doc, config.field);
      if (v === undefined) return missing(config);
      if (!Array.isArray(v))
        return `field [${config.field}] of type [${typeof v}] cannot be cast to [java.util.List]`;
      return setField(doc, config.target_field, v.join(config.separator));
    };
  },
};

interface FailConfig extends ProcessorConfigBase {
  kind: 'fail';
  message: string;
}

export const failProcessor: ProcessorComponent<FailConfig> = {
  kind: 'fail',
  summary: 'Fails with a message (use it with if: and on_failure) (Elasticsearch)',
  defaultFailureTags: ['_fail'],
  parse(r) {
    const message = r.string('message');
    if (message === undefined) r.error('message', 'is required');
    return { message: message ?? '' };
  },
  build(config, ctx): ProcessorFn {
    const message = compileMustache(config.message, ctx.nowUs);
    return (doc) => message.render(doc) || 'fail processor';
  },
};
