import { describe, expect, it } from 'vitest';
import { Lexer, type LexMode } from './lexer.js';

function tokens(text: string, mode: LexMode): string[] {
  const lexer = new Lexer(text);
  const out: string[] = [];
  for (;;) {
    const t = lexer.next(mode);
    if (t.kind === 'eof') return out;
    out.push(
      t.kind === 'term' || t.kind === 'phrase' || t.kind === 'regex' ? `${t.kind}(${t.pattern})` : t.kind,
    );
  }
}

describe('Lexer', () => {
  it('reads operators, prefixes and terms in clause mode', () => {
    expect(tokens('a AND b && !c || -d +e OR NOT f', 'clause')).toEqual([
      'term(a)',
      'and',
      'term(b)',
      'and',
      'not',
      'term(c)',
      'or',
      'minus',
      'term(d)',
      'plus',
      'term(e)',
      'or',
      'not',
      'term(f)',
    ]);
  });

  it('ends terms at a colon in clause mode but not in value or group mode', () => {
    expect(tokens('a:b', 'clause')).toEqual(['term(a)', 'colon', 'term(b)']);
    expect(tokens('10:30:00', 'value')).toEqual(['term(10:30:00)']);
    expect(tokens('(a:b OR c)', 'group')).toEqual(['lparen', 'term(a:b)', 'or', 'term(c)', 'rparen']);
  });

  it('reads + - ! as part of a value after a field', () => {
    expect(tokens('-5 +5 !x', 'value')).toEqual(['term(-5)', 'term(+5)', 'term(!x)']);
  });

  it('keeps escaped wildcards literal in the pattern', () => {
    const t = new Lexer('a\\*b*').next('clause');
    expect(t).toMatchObject({ kind: 'term', value: 'a*b*', pattern: 'a\\*b*', wildcard: true, star: false });
    expect(new Lexer('*').next('clause')).toMatchObject({ star: true, wildcard: true });
    expect(new Lexer('\\*').next('clause')).toMatchObject({ star: false, wildcard: false, value: '*' });
  });

  it('reads ranges with TO only in range mode', () => {
    expect(tokens('[1 TO 5}', 'clause').slice(0, 1)).toEqual(['lbracket']);
    expect(tokens('1 TO "x y" ]', 'range')).toEqual(['term(1)', 'to', 'phrase(x y)', 'rbracket']);
    expect(tokens('TO', 'clause')).toEqual(['term(TO)']);
  });

  it('reads comparison operators', () => {
    expect(tokens('>= > <= <', 'value')).toEqual(['gte', 'gt', 'lte', 'lt']);
  });

  it('unescapes \\/ in regexes and keeps other escapes', () => {
    expect(tokens('/a\\/b\\.c/', 'clause')).toEqual(['regex(a/b\\.c)']);
  });

  it('consumes glued boost and fuzziness suffixes', () => {
    const lexer = new Lexer('a~2^3 b');
    lexer.next('clause');
    expect(lexer.readModifiers()).toBe(5);
    expect(lexer.next('clause')).toMatchObject({ kind: 'term', value: 'b' });
  });
});
