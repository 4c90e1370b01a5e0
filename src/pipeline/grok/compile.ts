import { normalizeFieldName } from '../doc.js';

/**
 * Grok: regular expressions with named, reusable parts. `%{NAME}` inserts a library pattern,
 * `%{NAME:field}` captures what it matched into `field`, `%{NAME:field:int}` (or `:float`,
 * `:boolean`) converts the capture, and Oniguruma-style `(?<field>…)` captures too.
 *
 * A grok expression compiles to one JavaScript RegExp. Captures become plain numbered groups (JS
 * group names cannot hold the dots of field names, and numbered groups spare V8 the `groups`
 * object), and the group numbers are found by scanning the final expression.
 *
 * Oniguruma syntax JavaScript lacks is translated: a leading `(?m)` (Ruby's "dot matches newline")
 * or `(?s)` becomes the `s` flag, `(?i)` the `i` flag, atomic groups `(?>…)` become plain groups,
 * possessive quantifiers lose their `+`, `\A` and `\Z` become `^` and `$`.
 */
export type CaptureType = 'string' | 'int' | 'float' | 'boolean';

export interface GrokCapture {
  field: string;
  type: CaptureType;
  /** Group number in the compiled RegExp. */
  group: number;
}

export interface CompiledGrok {
  source: string;
  regex: RegExp;
  captures: GrokCapture[];
}

/** Pattern definitions by name: the library overlaid with a processor's `pattern_definitions`. */
export type PatternLookup = (name: string) => string | undefined;

const TYPES: Readonly<Record<string, CaptureType>> = {
  int: 'int',
  integer: 'int',
  long: 'int',
  float: 'float',
  double: 'float',
  number: 'float',
  boolean: 'boolean',
  bool: 'boolean',
  string: 'string',
  keyword: 'string',
};

const MAX_DEPTH = 40;
const MARK = '__cairn_g';
/** `%{NAME}`, `%{NAME:field}`, `%{NAME:field:type}`; field names may hold dots, brackets and @. */
const REFERENCE = /%\{([A-Za-z0-9_.-]+)(?::([^:}]+))?(?::([A-Za-z]+))?\}/g;
/** An Oniguruma / JS named group (not a lookbehind). */
const NAMED_GROUP = /\(\?<([^>=!][^>]*)>/g;

/** Compiles a grok expression; throws an Error whose message names the problem. */
export function compileGrok(source: string, lookup: PatternLookup): CompiledGrok {
  const fields: { field: string; type: CaptureType }[] = [];
  let flags = '';
  let body = source;
  for (;;) {
    const m = /^\(\?([imsx]+)\)/.exec(body);
    if (m === null) break;
    for (const f of m[1]!) {
      if ((f === 'm' || f === 's') && !flags.includes('s')) flags += 's';
      if (f === 'i' && !flags.includes('i')) flags += 'i';
    }
    body = body.slice(m[0].length);
  }
  const expanded = expand(body, lookup, fields, 0, []);
  const translated = translateOniguruma(expanded);
  const groupNumbers = numberGroups(translated);
  const captures: GrokCapture[] = fields.map((f, i) => ({ ...f, group: groupNumbers.get(i)! }));
  const plain = translated.replace(/\(\?<__cairn_g\d+>/g, '(');
  let regex: RegExp;
  try {
    regex = new RegExp(plain, flags);
  } catch (err) {
    throw new Error(
      `invalid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`,
    );
  }
  return { source, regex, captures };
}

function expand(
  text: string,
  lookup: PatternLookup,
  fields: { field: string; type: CaptureType }[],
  depth: number,
  stack: string[],
): string {
  if (depth > MAX_DEPTH)
    throw new Error(`patterns nest more than ${MAX_DEPTH} levels deep: ${stack.join(' → ')}`);
  const named = text.replace(NAMED_GROUP, (_all, name: string) => {
    fields.push({ field: normalizeFieldName(name), type: 'string' });
    return `(?<${MARK}${fields.length - 1}>`;
  });
  return named.replace(
    REFERENCE,
    (_all, name: string, field: string | undefined, type: string | undefined) => {
      const definition = lookup(name);
      if (definition === undefined) throw new Error(`unknown pattern %{${name}}`);
      if (stack.includes(name))
        throw new Error(`pattern %{${name}} refers to itself: ${[...stack, name].join(' → ')}`);
      let captureType: CaptureType = 'string';
      if (type !== undefined) {
        const t = TYPES[type.toLowerCase()];
        if (t === undefined)
          throw new Error(
            `unknown conversion ":${type}" in %{${name}:${field}:${type}} (use int, float or boolean)`,
          );
        captureType = t;
      }
      if (field === undefined)
        return `(?:${expand(definition, lookup, fields, depth + 1, [...stack, name])})`;
      fields.push({ field: normalizeFieldName(field), type: captureType });
      const index = fields.length - 1;
      return `(?<${MARK}${index}>${expand(definition, lookup, fields, depth + 1, [...stack, name])})`;
    },
  );
}

/** Oniguruma constructs without a JavaScript equivalent, rewritten outside character classes. */
function translateOniguruma(re: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      const next = re[i + 1];
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && (next === 'Z' || next === 'z')) out += '$';
      else if (!inClass && next === 'h') out += '[0-9a-fA-F]';
      else out += c + (next ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (re[i + 1] === '^') out += re[++i];
      if (re[i + 1] === ']') out += re[++i];
      continue;
    }
    if (c === '(' && re[i + 1] === '?' && re[i + 2] === '>') {
      out += '(?:';
      i += 2;
      continue;
    }
    // A possessive quantifier (`a++`): JavaScript has none; the greedy one matches the same strings.
    if (c === '+' && i > 0 && /[*+?}]/.test(re[i - 1]!) && re[i - 2] !== '\\') continue;
    out += c;
  }
  return out;
}

/** Group numbers of the `__cairn_gN` marker groups, counting every capturing group in order. */
function numberGroups(re: string): Map<number, number> {
  const numbers = new Map<number, number>();
  let group = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
      continue;
    }
    if (c !== '(') continue;
    if (re[i + 1] !== '?') {
      group++;
      continue;
    }
    if (re[i + 2] === '<' && re[i + 3] !== '=' && re[i + 3] !== '!') {
      group++;
      if (re.startsWith(MARK, i + 3)) {
        const end = re.indexOf('>', i + 3);
        numbers.set(Number(re.slice(i + 3 + MARK.length, end)), group);
      }
    }
  }
  return numbers;
}

/**
 * Converts a capture: `int` and `float` give numbers (the text stays when it is not one), `boolean`
 * gives true for true/yes/on/1 and false for false/no/off/0.
 */
export function convertCapture(text: string, type: CaptureType): string | number | boolean {
  switch (type) {
    case 'string':
      return text;
    case 'int': {
      const n = Number.parseInt(text, 10);
      return Number.isNaN(n) || !/^\s*[+-]?\d/.test(text) ? text : n;
    }
    case 'float': {
      const n = Number(text);
      return text.trim() === '' || !Number.isFinite(n) ? text : n;
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 'yes' || lower === 'on' || lower === '1') return true;
      if (lower === 'false' || lower === 'no' || lower === 'off' || lower === '0') return false;
      return text;
    }
  }
}
