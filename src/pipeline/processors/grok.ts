import { getField, normalizeFieldName, type PipelineDoc, setField } from '../doc.js';
import { type CompiledGrok, compileGrok, convertCapture } from '../grok/compile.js';
import { GROK_LIBRARY } from '../grok/library.js';
import { isPlainObject, type OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase, StepResult } from '../types.js';

export interface GrokConfig extends ProcessorConfigBase {
  kind: 'grok';
  /** The field to match (default `message`). */
  field: string;
  /** Tried in order; the first that matches wins (unless break_on_match is false). */
  patterns: string[];
  /** Extra named patterns for this processor, overriding library ones of the same name. */
  pattern_definitions: [string, string][];
  /**
   * Other names for fields that patterns capture (`{timestamp: '@metadata.timestamp'}`), so library
   * patterns can fill a schema of your own. A Cairn addition; Logstash and Elasticsearch have none.
   */
  rename_captures: [string, string][];
  ignore_missing: boolean;
  /** false: every pattern is tried and all matches are kept (Logstash's break_on_match). */
  break_on_match: boolean;
  /** Keep captures that matched the empty string. */
  keep_empty_captures: boolean;
  /** Write the index of the matching pattern to `@metadata._grok_match_index`. */
  trace_match: boolean;
}

export const grokProcessor: ProcessorComponent<GrokConfig> = {
  kind: 'grok',
  summary: 'Parses text with named regular-expression patterns (%{PATTERN:field:type})',
  defaultFailureTags: ['_grokparsefailure'],
  parse(r: OptionReader) {
    let field = r.field('field', 'message');
    let patterns = r.strings('patterns');
    // Logstash's form: match => { "message" => [ … ] }.
    const match = r.value('match');
    if (match !== undefined) {
      if (!isPlainObject(match) || Object.keys(match).length !== 1) {
        r.error('match', 'expected one field name with its pattern or list of patterns');
      } else {
        const [name, value] = Object.entries(match)[0]!;
        field = name;
        if (typeof value === 'string') patterns = [value];
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
          patterns = value as string[];
        else r.error(`match.${name}`, 'expected a pattern or a list of patterns');
      }
    }
    const single = r.string('pattern');
    if (single !== undefined) patterns = [single, ...patterns];
    if (patterns.length === 0) r.error('patterns', 'is required: give at least one pattern');
    return {
      field,
      patterns,
      pattern_definitions: r.stringMap('pattern_definitions'),
      rename_captures: r
        .stringMap('rename_captures')
        .map(([a, b]): [string, string] => [normalizeFieldName(a), normalizeFieldName(b)]),
      ignore_missing: r.boolean('ignore_missing', false),
      break_on_match: r.boolean('break_on_match', true),
      keep_empty_captures: r.boolean('keep_empty_captures', false),
      trace_match: r.boolean('trace_match', false),
    };
  },
  build(config) {
    const custom = new Map(config.pattern_definitions);
    const lookup = (name: string) => custom.get(name) ?? GROK_LIBRARY.get(name);
    const renames = new Map(config.rename_captures);
    const compiled: CompiledGrok[] = [];
    const errors: string[] = [];
    config.patterns.forEach((pattern, i) => {
      try {
        const grok = compileGrok(pattern, lookup);
        for (const c of grok.captures) c.field = renames.get(c.field) ?? c.field;
        compiled.push(grok);
      } catch (err) {
        errors.push(`patterns[${i}]: ${(err as Error).message}`);
      }
    });
    if (errors.length > 0) return { errors };
    const matcher = createGrokMatcher(compiled, config);
    return (doc) => matcher(doc);
  },
};

/** The matching part of a grok processor, also used by `auto` to recognise formats. */
export function createGrokMatcher(
  compiled: readonly CompiledGrok[],
  options: Pick<
    GrokConfig,
    'field' | 'ignore_missing' | 'break_on_match' | 'keep_empty_captures' | 'trace_match'
  >,
): (doc: PipelineDoc) => StepResult {
  const { field, keep_empty_captures: keepEmpty } = options;
  const repeats = compiled.map((g) => new Set(g.captures.map((c) => c.field)).size < g.captures.length);
  const apply = (doc: PipelineDoc, i: number, m: RegExpExecArray) => {
    const grok = compiled[i]!;
    // When a pattern captures one field in several places, the first that matched wins (Logstash).
    const seen = repeats[i] ? new Set<string>() : null;
    for (const c of grok.captures) {
      const text = m[c.group];
      if (text === undefined || (text === '' && !keepEmpty)) continue;
      if (seen !== null) {
        if (seen.has(c.field)) continue;
        seen.add(c.field);
      }
      setField(doc, c.field, convertCapture(text, c.type));
    }
  };
  return (doc) => {
    const value = getField(doc, field);
    if (value === undefined) return options.ignore_missing ? null : `field "${field}" is missing`;
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    let matched = false;
    for (const text of values) {
      for (let i = 0; i < compiled.length; i++) {
        const m = compiled[i]!.regex.exec(text);
        if (m === null) continue;
        apply(doc, i, m);
        if (options.trace_match) setField(doc, '@metadata._grok_match_index', i);
        matched = true;
        if (options.break_on_match) break;
      }
    }
    if (matched) return null;
    return `no pattern matched the value of "${field}"${compiled.length > 1 ? ` (tried ${compiled.length} patterns)` : ''}`;
  };
}
