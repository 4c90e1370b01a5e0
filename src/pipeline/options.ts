import { describeJsonType } from '../model/json-type.js';
import { normalizeFieldName } from './doc.js';

/**
 * Collects every problem of a pipeline definition before failing (as Vector validates its config),
 * each with the path to the offending option: `processors[2].grok.patterns[0]: unknown pattern …`.
 */
export class ConfigErrors {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(path ? `${path}: ${message}` : message);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a processor's options from the decoded YAML/JSON object with types checked. A wrong value is
 * reported and replaced by the default so that reading goes on and later options are checked too.
 * `finish()` reports options nobody read (a misspelt option would otherwise be silently ignored).
 */
export class OptionReader {
  private readonly seen = new Set<string>();
  /** Options every processor has, left out of the "known" list of its own options. */
  private common = new Set<string>();

  constructor(
    private readonly raw: Record<string, unknown>,
    readonly path: string,
    readonly errors: ConfigErrors,
  ) {}

  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  error(key: string, message: string): void {
    this.errors.add(key === '' ? this.path : this.at(key), message);
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  /** The raw value (marking the option as read), for options with their own shape. */
  value(key: string): unknown {
    this.seen.add(key);
    const v = this.raw[key];
    return v === null ? undefined : v;
  }

  private wrong(key: string, expected: string, got: unknown): void {
    this.error(key, `expected ${expected}, got ${describeJsonType(got)}`);
  }

  string(key: string): string | undefined;
  string(key: string, fallback: string): string;
  string(key: string, fallback?: string): string | undefined {
    const v = this.value(key);
    if (v === undefined) return fallback;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.wrong(key, 'a string', v);
    return fallback;
  }

  requiredString(key: string): string {
    const v = this.string(key);
    if (v === undefined || v === '') {
      if (!this.has(key)) this.error(key, 'is required');
      else if (v === '') this.error(key, 'must not be empty');
      return '';
    }
    return v;
  }

  /** A field name, dotted or as a Logstash reference (`[a][b]`). */
  field(key: string): string | undefined;
  field(key: string, fallback: string): string;
  field(key: string, fallback?: string): string | undefined {
    const v = fallback === undefined ? this.string(key) : this.string(key, fallback);
    if (v === undefined) return undefined;
    if (v === '') {
      this.error(key, 'expected a field name, got an empty string');
      return fallback;
    }
    return normalizeFieldName(v);
  }

  requiredField(key: string): string {
    const v = this.requiredString(key);
    return v === '' ? '' : normalizeFieldName(v);
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.value(key);
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    this.wrong(key, 'true or false', v);
    return fallback;
  }

  number(key: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const v = this.value(key);
    if (v === undefined) return fallback;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      this.wrong(key, 'a number', v);
      return fallback;
    }
    if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
      const bounds =
        range.max === undefined
          ? `at least ${range.min}`
          : range.min === undefined
            ? `at most ${range.max}`
            : `between ${range.min} and ${range.max}`;
      this.error(key, `expected a number ${bounds}, got ${n}`);
      return fallback;
    }
    return n;
  }

  /** A list of strings; a single string counts as a list of one (as in Logstash). */
  strings(key: string, fallback: readonly string[] = []): string[] {
    const v = this.value(key);
    if (v === undefined) return [...fallback];
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v)) {
      this.wrong(key, 'a list of strings', v);
      return [...fallback];
    }
    const out: string[] = [];
    v.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
      else this.error(`${key}[${i}]`, `expected a string, got ${describeJsonType(item)}`);
    });
    return out;
  }

  fields(key: string, fallback: readonly string[] = []): string[] {
    return this.strings(key, fallback).map(normalizeFieldName);
  }

  /** A mapping of strings to strings (`{ old: new }`); Logstash's flat list form `[k1, v1, k2, v2]` too. */
  stringMap(key: string): [string, string][] {
    const v = this.value(key);
    if (v === undefined) return [];
    if (Array.isArray(v) && v.length % 2 === 0 && v.every((x) => typeof x === 'string')) {
      const out: [string, string][] = [];
      for (let i = 0; i < v.length; i += 2) out.push([v[i] as string, v[i + 1] as string]);
      return out;
    }
    if (!isPlainObject(v)) {
      this.wrong(key, 'a mapping of names to values', v);
      return [];
    }
    const out: [string, string][] = [];
    for (const [k, value] of Object.entries(v)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        out.push([k, String(value)]);
      else this.error(`${key}.${k}`, `expected a string, got ${describeJsonType(value)}`);
    }
    return out;
  }

  /** One of a fixed set of words. */
  oneOf<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const v = this.string(key);
    if (v === undefined) return fallback;
    const hit = choices.find((c) => c === v || c === v.toLowerCase());
    if (hit !== undefined) return hit;
    this.error(key, `expected one of ${choices.join(', ')}, got "${v}"`);
    return fallback;
  }

  /** Marks the options read so far as the common ones (they are not listed in unknown-option errors). */
  markCommon(): void {
    this.common = new Set(this.seen);
  }

  /** Reports options that were given but never read. */
  finish(): void {
    for (const key of Object.keys(this.raw)) {
      if (!this.seen.has(key)) {
        const own = [...this.seen].filter((k) => !this.common.has(k)).sort();
        const known =
          own.length > 0
            ? ` (known: ${own.join(', ')}${this.common.size > 0 ? ', and the common options' : ''})`
            : '';
        this.error(key, `unknown option${known}`);
      }
    }
  }
}
