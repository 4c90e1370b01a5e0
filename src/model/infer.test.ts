import { describe, expect, it } from 'vitest';
import type { FieldType, Scalar } from './event.js';
import { coerce, inferType } from './infer.js';

const T = 1_705_312_800_000_000;

describe('inferType', () => {
  const cases: [Scalar, FieldType][] = [
    [true, 'boolean'],
    [false, 'boolean'],
    [0, 'number'],
    [1.5, 'number'],
    [-3, 'number'],
    ['2024-01-15T10:00:00Z', 'timestamp'],
    ['2024-01-15T10:00:00.123456+02:00', 'timestamp'],
    ['2024-01-15T10:00', 'timestamp'],
    ['2024-01-15T10:00:00', 'timestamp'],
    ['2024-01-15 10:00:00,123', 'timestamp'],
    ['2024-01-15', 'string'],
    ['2024-13-15T10:00:00Z', 'string'],
    ['2024-01-15T10:00:00Z trailing', 'string'],
    ['2024-01-15T10', 'string'],
    ['1705312800', 'string'],
    ['1705312800123', 'string'],
    ['200', 'string'],
    ['true', 'string'],
    ['1.2.3.4', 'ip'],
    ['::1', 'ip'],
    ['2001:DB8::1', 'ip'],
    ['::ffff:10.0.0.1', 'ip'],
    ['1.2.3', 'string'],
    ['01.2.3.4', 'string'],
    ['cafe', 'string'],
    ['GET', 'string'],
    ['', 'string'],
    ['hello world', 'string'],
  ];
  it.each(cases)('%j → %s', (value, type) => {
    expect(inferType(value)).toBe(type);
  });
});

describe('coerce', () => {
  const cases: [Scalar, FieldType, Scalar | undefined][] = [
    // string
    ['abc', 'string', 'abc'],
    [200, 'string', '200'],
    [1.5, 'string', '1.5'],
    [true, 'string', 'true'],
    // number
    [200, 'number', 200],
    ['200', 'number', 200],
    ['-1.5', 'number', -1.5],
    ['1e3', 'number', 1000],
    ['2.5E-1', 'number', 0.25],
    ['007', 'number', 7],
    ['abc', 'number', undefined],
    ['', 'number', undefined],
    [' 200', 'number', undefined],
    ['200 ', 'number', undefined],
    ['0x10', 'number', undefined],
    ['1.', 'number', undefined],
    ['.5', 'number', undefined],
    ['+1', 'number', undefined],
    ['1e', 'number', undefined],
    ['Infinity', 'number', undefined],
    ['NaN', 'number', undefined],
    ['1e999', 'number', undefined],
    [true, 'number', undefined],
    // boolean
    [true, 'boolean', true],
    [false, 'boolean', false],
    ['true', 'boolean', true],
    ['false', 'boolean', false],
    ['TRUE', 'boolean', undefined],
    ['yes', 'boolean', undefined],
    ['', 'boolean', undefined],
    [1, 'boolean', undefined],
    [0, 'boolean', undefined],
    // timestamp
    ['2024-01-15T10:00:00Z', 'timestamp', T],
    ['2024-01-15', 'timestamp', T - 36_000_000_000],
    [1_705_312_800, 'timestamp', T],
    [1_705_312_800_000, 'timestamp', T],
    ['1705312800000', 'timestamp', T],
    ['2024-13-01', 'timestamp', undefined],
    ['soon', 'timestamp', undefined],
    [true, 'timestamp', undefined],
    // ip
    ['1.2.3.4', 'ip', '1.2.3.4'],
    ['2001:DB8:0:0:0:0:0:1', 'ip', '2001:db8::1'],
    ['::FFFF:1.2.3.4', 'ip', '::ffff:1.2.3.4'],
    ['example.com', 'ip', undefined],
    [16_909_060, 'ip', undefined],
    [false, 'ip', undefined],
  ];
  it.each(cases)('%j as %s → %j', (value, type, expected) => {
    expect(coerce(value, type)).toBe(expected);
  });

  it('gives every inferred type back unchanged or canonical', () => {
    for (const value of ['2024-01-15T10:00:00Z', '::1', 'x', 5, true] as Scalar[]) {
      expect(coerce(value, inferType(value))).not.toBeUndefined();
    }
  });
});
