import { describe, expect, it } from 'vitest';
import { tokenize, tokenPatterns } from './analyze.js';
import { globMatch, parseWildcard } from './wildcard.js';

describe('parseWildcard', () => {
  it('splits literals and wildcards, honouring escapes and merging repeated stars', () => {
    expect(parseWildcard('ab*c?d')).toEqual([
      { kind: 'literal', text: 'ab' },
      { kind: 'any' },
      { kind: 'literal', text: 'c' },
      { kind: 'one' },
      { kind: 'literal', text: 'd' },
    ]);
    expect(parseWildcard('a\\*b\\?\\\\*')).toEqual([{ kind: 'literal', text: 'a*b?\\' }, { kind: 'any' }]);
    expect(parseWildcard('***')).toEqual([{ kind: 'any' }]);
    expect(parseWildcard('??')).toEqual([{ kind: 'one' }, { kind: 'one' }]);
  });
});

describe('globMatch', () => {
  it.each([
    ['http.*', 'http.request.method', true],
    ['http.*', 'http', false],
    ['*.method', 'http.request.method', true],
    ['h?st', 'host', true],
    ['h?st', 'hoost', false],
    ['*', 'anything', true],
    ['*', '', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
  ])('%s ~ %s = %s', (glob, text, expected) => {
    expect(globMatch(glob, text)).toBe(expected);
  });

  it('stays fast on pathological globs', () => {
    expect(globMatch(`${'*a'.repeat(50)}b`, 'a'.repeat(2000))).toBe(false);
  });
});

describe('text analysis', () => {
  it('tokenizes on runs of Unicode letters, digits and underscores', () => {
    expect(tokenize('Connection-refused: 10.0.0.1 user_id=Jörg 日本語 😀 x')).toEqual([
      'Connection',
      'refused',
      '10',
      '0',
      '0',
      '1',
      'user_id',
      'Jörg',
      '日本語',
      'x',
    ]);
    expect(tokenize('--- !!')).toEqual([]);
  });

  it('turns values into token patterns, wildcards staying in their token', () => {
    const lit = (text: string) => ({ kind: 'literal' as const, text });
    expect(tokenPatterns([lit('connection-refused')])).toEqual([[lit('connection')], [lit('refused')]]);
    expect(tokenPatterns(parseWildcard('conn*-ref?sed'))).toEqual([
      [lit('conn'), { kind: 'any' }],
      [lit('ref'), { kind: 'one' }, lit('sed')],
    ]);
    expect(tokenPatterns(parseWildcard('*error*'))).toEqual([
      [{ kind: 'any' }, lit('error'), { kind: 'any' }],
    ]);
    expect(tokenPatterns([lit(' -- ')])).toEqual([]);
  });
});
