import { describe, expect, it } from 'vitest';
import { parseBoolean, parseNumber } from './values.js';

describe('parseNumber', () => {
  it.each([
    ['200', 200],
    ['-1', -1],
    ['+5', 5],
    ['3.14', 3.14],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-2', 0.01],
    ['007', 7],
  ])('%s = %d', (text, n) => {
    expect(parseNumber(text)).toBe(n);
  });

  it.each([
    '',
    'abc',
    '0x10',
    'Infinity',
    'NaN',
    '1e999',
    '1 2',
    ' 1',
    '1,5',
    '--1',
    '.',
    'e5',
    '1e',
    `${'1'.repeat(500)}x`,
  ])('rejects %j', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});

describe('parseBoolean', () => {
  it('reads true and false in any case', () => {
    expect(parseBoolean('true')).toBe(true);
    expect(parseBoolean('FALSE')).toBe(false);
    expect(parseBoolean('yes')).toBeNull();
    expect(parseBoolean('1')).toBeNull();
  });
});
