/** A wildcard pattern (TermNode.value when `wildcard` is set) split into literal runs and wildcards. */
export type WildcardPart = { kind: 'literal'; text: string } | { kind: 'any' } | { kind: 'one' };

/** Splits a pattern: `*` = any sequence, `?` = one character, `\x` = literal x. */
export function parseWildcard(pattern: string): WildcardPart[] {
  const parts: WildcardPart[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push({ kind: 'literal', text: literal });
    literal = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      literal += pattern[++i];
    } else if (ch === '*') {
      flush();
      // Consecutive stars mean the same as one.
      if (parts.at(-1)?.kind !== 'any') parts.push({ kind: 'any' });
    } else if (ch === '?') {
      flush();
      parts.push({ kind: 'one' });
    } else {
      literal += ch;
    }
  }
  flush();
  return parts;
}

/** True when `text` holds an unescaped `*` or `?`. Field names use this (they have no escapes left). */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/**
 * Whether `text` matches a glob whose `*` and `?` are wildcards (no escapes: field names). Greedy
 * two-pointer match, O(n·m) at worst (m ≤ 2n after the length check), no backtracking blow-up.
 */
export function globMatch(glob: string, text: string): boolean {
  // Cheap reject that also bounds the work below: each non-`*` character consumes one of `text`.
  let needed = 0;
  for (let i = 0; i < glob.length; i++) if (glob[i] !== '*') needed++;
  if (needed > text.length) return false;
  let g = 0;
  let t = 0;
  let starG = -1;
  let starT = 0;
  while (t < text.length) {
    if (g < glob.length && (glob[g] === '?' || glob[g] === text[t])) {
      g++;
      t++;
    } else if (g < glob.length && glob[g] === '*') {
      starG = g++;
      starT = t;
    } else if (starG !== -1) {
      g = starG + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}
