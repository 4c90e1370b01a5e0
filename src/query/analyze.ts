import type { WildcardPart } from './wildcard.js';

/**
 * How terms meet an analysed text field (like Elasticsearch's standard analyzer, simplified): text is
 * a sequence of tokens, each a maximal run of Unicode letters, digits and underscores; matching
 * ignores case. A query value becomes a sequence of token patterns that must occur in order,
 * separated only by non-word characters.
 */
export type TokenPattern = WildcardPart[];

const WORD = /[\p{L}\p{N}_]/u;

export function isWordChar(ch: string): boolean {
  return WORD.test(ch);
}

/** The tokens of `text` (`"Connection-refused: 10.0.0.1"` → Connection, refused, 10, 0, 0, 1). */
export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/**
 * Token patterns of a (possibly wildcard) value: literal non-word characters separate tokens, and
 * wildcards stay inside the token they touch (`conn*-ref?sed` → [conn*] [ref?sed]).
 */
export function tokenPatterns(parts: readonly WildcardPart[]): TokenPattern[] {
  const tokens: TokenPattern[] = [];
  let current: TokenPattern = [];
  const flush = () => {
    if (current.length > 0) tokens.push(current);
    current = [];
  };
  for (const part of parts) {
    if (part.kind !== 'literal') {
      current.push(part);
      continue;
    }
    let word = '';
    for (const ch of part.text) {
      if (isWordChar(ch)) {
        word += ch;
      } else {
        if (word) current.push({ kind: 'literal', text: word });
        word = '';
        flush();
      }
    }
    if (word) current.push({ kind: 'literal', text: word });
  }
  flush();
  return tokens;
}
