import { CairnError } from './errors.js';
import type { FieldValue, Scalar } from './event.js';
import { quoteForMessage } from './json-type.js';

/*
 * Elasticsearch-style flattening of a JSON value into dotted field paths:
 *
 *   {http:{request:{method:"GET"}}}   → http.request.method: "GET"
 *   {"http.method": "GET"}            → http.method: "GET" (dotted keys are kept as sent)
 *   {tags:["a","b"]}                  → tags: ["a","b"]
 *   {x:[{a:1},{a:2,b:3}]}             → x.a: [1,2], x.b: [3]   (a leaf under an array is an array)
 *   {x:[[1,2],[3]]}                   → x: [1,2,3]
 *   {x:[1,"a",true]}                  → x: ["1","a","true"]   (a column holds one type)
 *   null, [], {}                      → nothing
 *
 * Two sources of the same path (`{"a.b":1, a:{b:2}}`) merge into one array, as Elasticsearch
 * treats them as one multi-valued field.
 */

export interface FlattenLimits {
  /** Distinct field paths one call may add. */
  maxFields: number;
  /** Length of a dotted path, in UTF-16 code units. */
  maxFieldNameLength: number;
  /** Length of one string value, in UTF-16 code units (≈ bytes for ASCII). */
  maxValueLength: number;
  /** JSON nesting: a top-level scalar is at depth 1, `{a:{b:1}}`'s `a.b` at depth 2; an array inside an array adds a level too. */
  maxDepth: number;
}

export type FlattenErrorKind = keyof FlattenLimits | 'emptyFieldName';

export interface FlattenError {
  kind: FlattenErrorKind;
  /** The field path that broke the rule (cut to 256 characters). */
  field: string;
  /** A message a person can act on. */
  reason: string;
}

export type FieldMap = Record<string, FieldValue>;

export interface FlattenOptions {
  limits: FlattenLimits;
  /** Path the value sits at; '' (the default) for a whole event. */
  prefix?: string;
  /** Top-level keys to leave out (only when `prefix` is ''). */
  skipKeys?: readonly string[];
}

/**
 * The prototype of every field map: an empty object with no prototype of its own, so keys such as
 * `constructor` or `__proto__` sent by a client are plain fields, never inherited members, and a
 * missing key reads as undefined.
 */
const FIELD_MAP_PROTOTYPE: object = Object.freeze(Object.create(null));

/*
 * Field maps are made by `new` on a plain function rather than by Object.create: V8 gives such
 * objects in-object property slots, so an event of up to ~20 fields stays a fast-mode object sharing
 * hidden classes with events of the same shape. `Object.create(null)` objects are slow dictionaries
 * from the start, and Object.create(proto) ones turn into dictionaries past 12 fields; either halves
 * the normalize rate.
 */
function FieldMapObject(): void {}
FieldMapObject.prototype = FIELD_MAP_PROTOTYPE;
const FieldMapConstructor = FieldMapObject as unknown as new () => FieldMap;

/** An empty field map for flattenInto. */
export function createFieldMap(): FieldMap {
  return new FieldMapConstructor();
}

/*
 * Writing a field into a field map. `map[name] = value` with a computed name is a keyed store, and
 * V8 turns an object that gains more than 12 properties past its in-object slots through keyed
 * stores into a slow dictionary: a field map of more than about 22 fields (a parsed access-log line
 * with user-agent and GeoIP fields, a Filebeat event) then costs two to three times as much to
 * read, walk with for-in and JSON.stringify, on every step to the store. A store whose key is
 * written in the source (`map["client.ip"] = value`) is a named store, which may add up to 128 such
 * properties and keep the object fast. So a name seen twice gets a one-line function compiled with
 * the name as a literal, and later writes of that name go through it. The cache is bounded (cleared
 * when full) and names seen once are only remembered, so names that never repeat cost a set
 * insertion, not a compilation. It changes no result, only speed.
 */
/** Fields an empty map takes through keyed stores and stays a fast object (with room to spare). */
const KEYED_STORE_FIELDS = 16;

type FieldSetter = (map: FieldMap, value: FieldValue) => void;
const SETTER_LIMIT = 4096;
const setters = new Map<string, FieldSetter>();
const seenOnce = new Set<string>();
let codeGeneration = true;

/** Sets `name` in a field map (from createFieldMap), keeping the map a fast object. */
export function putField(map: FieldMap, name: string, value: FieldValue): void {
  const setter = setters.get(name);
  if (setter !== undefined) {
    setter(map, value);
    return;
  }
  if (codeGeneration && !seenOnce.has(name)) {
    if (seenOnce.size >= SETTER_LIMIT) seenOnce.clear();
    seenOnce.add(name);
  } else if (codeGeneration) {
    seenOnce.delete(name);
    if (setters.size >= SETTER_LIMIT) setters.clear();
    try {
      // JSON.stringify gives a valid JavaScript string literal for any name.
      setters.set(name, new Function('map', 'value', `map[${JSON.stringify(name)}] = value;`) as FieldSetter);
    } catch {
      // Code generation is off (node --disallow-code-generation-from-strings): keyed stores only.
      codeGeneration = false;
    }
  }
  map[name] = value;
}

/*
 * A memo of `parent + '.' + key` for keys without a dot. Events of one source repeat the same paths,
 * and a concatenated string used as a property key must be flattened, hashed and looked up in V8's
 * string table on every use; the memo hands back one string per path, which V8 internalises once.
 * A hit also tells that the key has no dot, so the collision check below is skipped. The memo is
 * bounded by the characters it holds (cleared when full, about 2 MB), so keys that never repeat cost
 * a miss each and cannot grow it without limit. It changes no result, only speed.
 */
const PATH_MEMO_LIMIT = 1_000_000;
const pathMemo = new Map<string, Map<string, string>>();
/** Characters held by pathMemo's keys and paths, roughly. */
let pathMemoSize = 0;

function memoChildren(parent: string): Map<string, string> {
  let children = pathMemo.get(parent);
  if (children === undefined) {
    if (pathMemoSize >= PATH_MEMO_LIMIT) {
      pathMemo.clear();
      pathMemoSize = 0;
    }
    children = new Map();
    pathMemo.set(parent, children);
    pathMemoSize += parent.length;
  }
  return children;
}

interface FlattenState {
  out: FieldMap;
  limits: FlattenLimits;
  added: number;
  error: FlattenError | null;
  /**
   * Whether two sources can write the same path. Distinct keys of JSON objects give distinct paths,
   * so outside arrays a path can only repeat once a key with a dot in it (`"a.b"`) has been seen,
   * or when `out` was not empty to begin with. Until then put() skips the lookup of an existing
   * value, which is the most expensive step of flattening.
   */
  mayCollide: boolean;
}

const MAX_REPORTED_FIELD_LENGTH = 256;

function reportedField(path: string): string {
  return path.length > MAX_REPORTED_FIELD_LENGTH ? path.slice(0, MAX_REPORTED_FIELD_LENGTH) + '…' : path;
}

function violate(st: FlattenState, kind: FlattenErrorKind, path: string, reason: string): false {
  st.error = { kind, field: reportedField(path), reason };
  return false;
}

function violateLimit(st: FlattenState, kind: keyof FlattenLimits, path: string, current: number): false {
  const name = quoteForMessage(path);
  const max = st.limits[kind];
  switch (kind) {
    case 'maxFields':
      return violate(
        st,
        kind,
        path,
        `Cannot add field ${name}: the event already has the maximum of ${max} fields`,
      );
    case 'maxFieldNameLength':
      return violate(
        st,
        kind,
        path,
        `Cannot add field ${name}: the name is ${current} characters long, the maximum is ${max}`,
      );
    case 'maxValueLength':
      return violate(
        st,
        kind,
        path,
        `Cannot add field ${name}: the value is ${current} characters long, the maximum is ${max}`,
      );
    case 'maxDepth':
      return violate(
        st,
        kind,
        path,
        `Cannot add field ${name}: it is nested ${current} levels deep, the maximum is ${max}`,
      );
  }
}

/** Adds one leaf value at `path`; `asArray` when it came from inside an array. */
function put(st: FlattenState, path: string, value: Scalar, asArray: boolean): boolean {
  const out = st.out;
  const existing = asArray || st.mayCollide ? out[path] : undefined;
  if (existing === undefined) {
    if (path.length > st.limits.maxFieldNameLength)
      return violateLimit(st, 'maxFieldNameLength', path, path.length);
    if (st.added >= st.limits.maxFields) return violateLimit(st, 'maxFields', path, st.added);
    // Keyed stores are cheaper while the map is small; past that putField keeps it a fast object.
    if (st.added < KEYED_STORE_FIELDS) out[path] = asArray ? [value] : value;
    else putField(out, path, asArray ? [value] : value);
    st.added++;
    return true;
  }
  // Every array in `out` was built here, so it is ours to grow, and it holds one type.
  if (Array.isArray(existing)) {
    const first = existing[0];
    if (typeof first === typeof value || existing.length === 0) {
      existing.push(value);
    } else {
      if (typeof first !== 'string') {
        for (let k = 0; k < existing.length; k++) existing[k] = String(existing[k]);
      }
      existing.push(String(value));
    }
    return true;
  }
  out[path] = typeof existing === typeof value ? [existing, value] : [String(existing), String(value)];
  return true;
}

function flattenValue(
  st: FlattenState,
  value: unknown,
  path: string,
  depth: number,
  inArray: boolean,
): boolean {
  switch (typeof value) {
    case 'string':
      if (value.length > st.limits.maxValueLength)
        return violateLimit(st, 'maxValueLength', path, value.length);
      return put(st, path, value, inArray);
    case 'number':
    case 'boolean':
      return put(st, path, value, inArray);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return flattenArray(st, value, path, depth);
      if (depth >= st.limits.maxDepth) return violateLimit(st, 'maxDepth', path, depth + 1);
      return flattenObject(st, value as Record<string, unknown>, path, depth + 1, inArray);
    case 'bigint':
      // Not JSON, but a decoder may produce it for huge integers; text keeps every digit.
      return put(st, path, String(value), inArray);
    default:
      // undefined, functions and symbols are not data.
      return true;
  }
}

function flattenArray(st: FlattenState, array: readonly unknown[], path: string, depth: number): boolean {
  for (let k = 0; k < array.length; k++) {
    const item = array[k];
    if (Array.isArray(item)) {
      if (depth >= st.limits.maxDepth) return violateLimit(st, 'maxDepth', path, depth + 1);
      if (!flattenArray(st, item, path, depth + 1)) return false;
    } else if (!flattenValue(st, item, path, depth, true)) {
      return false;
    }
  }
  return true;
}

/** `depth` is the depth of obj's own keys. */
function flattenObject(
  st: FlattenState,
  obj: Record<string, unknown>,
  prefix: string,
  depth: number,
  inArray: boolean,
): boolean {
  const children = memoChildren(prefix);
  for (const key in obj) {
    const value = obj[key];
    if (value === null || value === undefined) continue;
    let path = children.get(key);
    if (path === undefined) {
      if (key.length === 0) return violateEmptyName(st, prefix);
      path = prefix + '.' + key;
      if (hasDot(key)) {
        st.mayCollide = true;
      } else if (pathMemoSize < PATH_MEMO_LIMIT) {
        children.set(key, path);
        pathMemoSize += path.length;
      } else {
        pathMemo.clear();
        pathMemoSize = 0;
      }
    }
    if (!flattenValue(st, value, path, depth, inArray)) return false;
  }
  return true;
}

function violateEmptyName(st: FlattenState, prefix: string): false {
  const where = prefix.length === 0 ? '' : ` under ${quoteForMessage(prefix)}`;
  return violate(st, 'emptyFieldName', prefix, `Cannot add a field with an empty name${where}`);
}

function hasDot(key: string): boolean {
  return key.includes('.');
}

function isEmpty(out: FieldMap): boolean {
  for (const _ in out) return false;
  return true;
}

function isSkipped(key: string, skipKeys: readonly string[]): boolean {
  for (let k = 0; k < skipKeys.length; k++) if (skipKeys[k] === key) return true;
  return false;
}

function flattenRoot(st: FlattenState, obj: Record<string, unknown>, skipKeys: readonly string[]): boolean {
  for (const key in obj) {
    const value = obj[key];
    if (value === null || value === undefined) continue;
    if (key.length === 0) return violateEmptyName(st, '');
    if (skipKeys.length > 0 && isSkipped(key, skipKeys)) continue;
    if (!st.mayCollide && hasDot(key)) st.mayCollide = true;
    if (!flattenValue(st, value, key, 1, false)) return false;
  }
  return true;
}

const NO_KEYS: readonly string[] = [];

/**
 * Flattens `value` into `out` (from createFieldMap) under dotted paths. Returns null when every field
 * fit the limits, else the first violation; `out` then holds the fields added before it.
 */
export function flattenInto(value: unknown, out: FieldMap, options: FlattenOptions): FlattenError | null {
  if (Object.getPrototypeOf(out) !== FIELD_MAP_PROTOTYPE) {
    throw new CairnError(
      'internal',
      'Cannot flatten into this object: create the field map with createFieldMap()',
    );
  }
  const prefix = options.prefix ?? '';
  const mayCollide = !isEmpty(out);
  const st: FlattenState = { out, limits: options.limits, added: 0, error: null, mayCollide };
  if (prefix.length === 0) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      flattenRoot(st, value as Record<string, unknown>, options.skipKeys ?? NO_KEYS);
    } else if (value !== null && value !== undefined) {
      violateEmptyName(st, '');
    }
  } else {
    flattenValue(st, value, prefix, 1, false);
  }
  return st.error;
}
