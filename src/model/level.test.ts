import { describe, expect, it } from 'vitest';
import type { Level } from './event.js';
import { normalizeLevel } from './level.js';

describe('normalizeLevel', () => {
  const cases: [unknown, Level | null][] = [
    // names, any case
    ['trace', 'TRACE'],
    ['TRC', 'TRACE'],
    ['finest', 'TRACE'],
    ['Verbose', 'TRACE'],
    ['debug', 'DEBUG'],
    ['DBG', 'DEBUG'],
    ['fine', 'DEBUG'],
    ['info', 'INFO'],
    ['INFO', 'INFO'],
    ['Info', 'INFO'],
    ['information', 'INFO'],
    ['Informational', 'INFO'],
    ['notice', 'INFO'],
    ['inf', 'INFO'],
    ['warn', 'WARN'],
    ['WARNING', 'WARN'],
    ['Warning', 'WARN'],
    ['wrn', 'WARN'],
    ['error', 'ERROR'],
    ['ERR', 'ERROR'],
    ['eror', 'ERROR'],
    ['SEVERE', 'ERROR'],
    ['fatal', 'FATAL'],
    ['CRITICAL', 'FATAL'],
    ['crit', 'FATAL'],
    ['emerg', 'FATAL'],
    ['emergency', 'FATAL'],
    ['alert', 'FATAL'],
    ['panic', 'FATAL'],
    // odd casing and padding go through the slow path
    ['wArNiNg', 'WARN'],
    ['  info ', 'INFO'],
    ['ERROR\n', 'ERROR'],
    // pino / bunyan
    [10, 'TRACE'],
    [20, 'DEBUG'],
    [30, 'INFO'],
    [35, 'INFO'],
    [40, 'WARN'],
    [50, 'ERROR'],
    [60, 'FATAL'],
    [69, 'FATAL'],
    // syslog severities
    [0, 'FATAL'],
    [1, 'FATAL'],
    [2, 'FATAL'],
    [3, 'ERROR'],
    [4, 'WARN'],
    [5, 'INFO'],
    [6, 'INFO'],
    [7, 'DEBUG'],
    // numbers sent as strings
    ['30', 'INFO'],
    ['3', 'ERROR'],
    // not levels
    [8, null],
    [9, null],
    [70, null],
    [100, null],
    [-1, null],
    [30.5, null],
    [Number.NaN, null],
    ['030x', null],
    ['1000', null],
    ['', null],
    ['information!', null],
    ['warnings', null],
    ['high', null],
    ['constructor', null],
    ['__proto__', null],
    [true, null],
    [null, null],
    [undefined, null],
    [['info'], null],
    [{ level: 'info' }, null],
  ];
  it.each(cases)('%j → %s', (input, expected) => {
    expect(normalizeLevel(input)).toBe(expected);
  });
});
