import { describe, expect, it } from 'vitest';
import { escapeTerm, quotePhrase } from './escape.js';
import { parseQuery } from './index.js';

function randomString(next: () => number, length: number): string {
  const pool = [
    'a',
    'Z',
    '0',
    ' ',
    '\t',
    '\n',
    '"',
    "'",
    '\\',
    '/',
    ':',
    '*',
    '?',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '+',
    '-',
    '!',
    '&',
    '|',
    '<',
    '>',
    '=',
    '^',
    '~',
    'é',
    '日',
    '😀',
    ';',
    '%',
    '_',
    'AND',
    'OR',
    'NOT',
    'TO',
  ];
  let s = '';
  for (let i = 0; i < length; i++) s += pool[next() % pool.length];
  return s;
}

describe('escapeTerm and quotePhrase', () => {
  it('escape reserved characters and words', () => {
    expect(escapeTerm('a b')).toBe('a\\ b');
    expect(escapeTerm('10.0.0.0/8')).toBe('10.0.0.0\\/8');
    expect(escapeTerm('AND')).toBe('\\AND');
    expect(escapeTerm('')).toBe('""');
    expect(quotePhrase('say "hi" \\o/')).toBe('"say \\"hi\\" \\\\o/"');
  });

  it('round-trip any value through the parser', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const value = randomString(next, next() % 12);
      const term = parseQuery(`f:${escapeTerm(value)}`);
      if (value === '') expect(term).toMatchObject({ kind: 'phrase', value: '' });
      else expect(term).toMatchObject({ kind: 'term', field: 'f', value, wildcard: false });
      expect(parseQuery(`f:${quotePhrase(value)}`)).toMatchObject({ kind: 'phrase', field: 'f', value });
      if (value !== '')
        expect(parseQuery(escapeTerm(value))).toMatchObject({ kind: 'term', field: null, value });
    }
  });
});
