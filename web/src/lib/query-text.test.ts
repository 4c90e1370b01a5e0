import { describe, expect, it } from 'vitest';
import { addFilter, completionAt, fieldClause, literal, pipeStart, tokenize } from './query-text.js';

const kinds = (q: string) =>
  tokenize(q)
    .filter((t) => t.kind !== 'ws')
    .map((t) => [t.kind, q.slice(t.start, t.end)]);

describe('tokenize', () => {
  it('tells fields, values, operators, phrases, ranges and regexes apart', () => {
    expect(kinds('level:ERROR AND NOT "card declined" status:[500 TO 599] /err.*/')).toEqual([
      ['field', 'level:'],
      ['value', 'ERROR'],
      ['operator', 'AND'],
      ['operator', 'NOT'],
      ['phrase', '"card declined"'],
      ['field', 'status:'],
      ['range', '[500 TO 599]'],
      ['regex', '/err.*/'],
    ]);
  });

  it('starts the pipes at a single | and reads their commands, functions and keywords', () => {
    expect(kinds('a || b | stats count() by service')).toEqual([
      ['term', 'a'],
      ['operator', '||'],
      ['term', 'b'],
      ['pipe', '|'],
      ['command', 'stats'],
      ['function', 'count'],
      ['paren', '('],
      ['paren', ')'],
      ['keyword', 'by'],
      ['field', 'service'],
    ]);
  });

  it('keeps escaped characters and quoted pipes inside their token', () => {
    expect(pipeStart('path:"a|b" a\\|b')).toBe(-1);
    expect(pipeStart('level:ERROR | head 5')).toBe(12);
  });

  it('covers every character of the text, so the highlight lines up with the input', () => {
    const q = 'service:pay* AND -host:web-0? | where x >= 5 and y like "a%" | sort -x';
    expect(
      tokenize(q)
        .map((t) => q.slice(t.start, t.end))
        .join(''),
    ).toBe(q);
  });
});

describe('completionAt', () => {
  it('completes field names, values after field:, and pipe commands', () => {
    expect(completionAt('lev', 3)).toEqual({ kind: 'field', start: 0, end: 3, prefix: 'lev', pipes: false });
    expect(completionAt('level:ER', 8)).toEqual({
      kind: 'value',
      start: 6,
      end: 8,
      prefix: 'ER',
      field: 'level',
    });
    expect(completionAt('level:', 6)).toEqual({
      kind: 'value',
      start: 6,
      end: 6,
      prefix: '',
      field: 'level',
    });
    expect(completionAt('a | st', 6)).toEqual({ kind: 'command', start: 4, end: 6, prefix: 'st' });
    expect(completionAt('a | stats count() by se', 23)).toMatchObject({
      kind: 'field',
      prefix: 'se',
      pipes: true,
    });
    expect(completionAt('"inside a phr', 13)).toBeNull();
  });
});

describe('literal and fieldClause', () => {
  it('writes values readably while keeping their meaning', () => {
    expect(literal('payment-service')).toBe('payment-service');
    expect(literal('-starts-with-dash')).toBe('\\-starts-with-dash');
    expect(literal('2001:db8::1')).toBe('2001:db8::1');
    expect(literal('a*b(c)')).toBe('a\\*b\\(c\\)');
    expect(literal('card declined')).toBe('"card declined"');
    expect(literal('say "hi"')).toBe('"say \\"hi\\""');
    expect(literal('AND')).toBe('"AND"');
    expect(literal('')).toBe('""');
    expect(literal(503)).toBe('503');
    expect(literal(true)).toBe('true');
    expect(fieldClause('http.response.status_code', 404, true)).toBe('NOT http.response.status_code:404');
    expect(fieldClause('odd:name', 'x')).toBe('odd\\:name:x');
  });
});

describe('addFilter', () => {
  it('adds a required clause before the pipes', () => {
    expect(addFilter('', { field: 'level', value: 'ERROR' })).toBe('level:ERROR');
    expect(addFilter('*', { field: 'level', value: 'ERROR' })).toBe('level:ERROR');
    expect(addFilter('timeout', { field: 'service', value: 'api' })).toBe('timeout AND service:api');
    expect(addFilter('level:ERROR | stats count() by host', { field: 'service', value: 'api' })).toBe(
      'level:ERROR AND service:api | stats count() by host',
    );
    expect(addFilter('| stats count()', { field: 'service', value: 'api', negate: true })).toBe(
      'NOT service:api | stats count()',
    );
  });

  it('wraps a top-level OR so the new clause applies to all of it', () => {
    expect(addFilter('a OR b', { field: 'service', value: 'api' })).toBe('(a OR b) AND service:api');
    expect(addFilter('(a OR b) AND c', { field: 'service', value: 'api' })).toBe(
      '(a OR b) AND c AND service:api',
    );
  });

  it('does not repeat a clause, and flips one of the other sign', () => {
    expect(addFilter('level:ERROR', { field: 'level', value: 'ERROR' })).toBe('level:ERROR');
    expect(addFilter('x AND NOT service:api', { field: 'service', value: 'api' })).toBe('x AND service:api');
    expect(addFilter('x AND service:api', { field: 'service', value: 'api', negate: true })).toBe(
      'x AND NOT service:api',
    );
  });
});
