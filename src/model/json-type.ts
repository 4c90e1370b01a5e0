/**
 * The JSON type of a value with its article, for messages such as
 * `expected a JSON object, got an array`.
 */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return 'a bigint';
    case 'symbol':
      return 'a symbol';
    default:
      return 'a function';
  }
}

/** `"text"` as JSON, cut to `max` characters with `…` so a huge value cannot flood a message. */
export function quoteForMessage(text: string, max = 64): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text);
}
