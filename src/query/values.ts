/**
 * Typed readings of query values, shared by the compilers so that every store rejects the same
 * values with the same message.
 */

/** Unambiguous, so the regex runs in linear time even on hostile input. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number (`200`, `-1.5`, `1e3`); null for anything else (hex, `Infinity`, ``). */
export function parseNumber(text: string): number | null {
  if (text.length > 400 || !NUMBER.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** `true` / `false`, any case; null for anything else. */
export function parseBoolean(text: string): boolean | null {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return null;
}
