import { describe, expect, it } from 'vitest';
import { TEST_NOW_US } from '../test-support.js';
import { compileDateFormat, formatJoda } from './joda.js';

const parse = (format: string, text: string, timezone?: string) => {
  const us = compileDateFormat(format, timezone).parse(text, TEST_NOW_US);
  return us === null
    ? null
    : new Date(Math.floor(us / 1000)).toISOString() + (us % 1000 !== 0 ? `+${us % 1000}us` : '');
};

describe('Joda patterns', () => {
  it.each([
    ['dd/MMM/yyyy:HH:mm:ss Z', '17/May/2015:10:05:03 +0000', '2015-05-17T10:05:03.000Z'],
    ['dd/MMM/yyyy:HH:mm:ss Z', '07/Dec/2016:11:05:07 +0100', '2016-12-07T10:05:07.000Z'],
    ['yyyy-MM-dd HH:mm:ss,SSS', '2015-10-18 18:01:47,978', '2015-10-18T18:01:47.978Z'],
    ['yyyy-MM-dd HH:mm:ss.SSSSSS', '2017-05-16 00:00:00.008123', '2017-05-16T00:00:00.008Z+123us'],
    ['yyyy-MM-dd-HH.mm.ss.SSSSSS', '2005-06-03-15.42.50.675872', '2005-06-03T15:42:50.675Z+872us'],
    ['yyMMdd HHmmss', '081109 203615', '2008-11-09T20:36:15.000Z'],
    ['yy/MM/dd HH:mm:ss', '17/06/09 20:10:40', '2017-06-09T20:10:40.000Z'],
    ['yyyyMMdd-HH:mm:ss:SSS', '20171223-22:15:29:606', '2017-12-23T22:15:29.606Z'],
    ['EEE MMM dd HH:mm:ss yyyy', 'Sun Dec 04 04:47:44 2005', '2005-12-04T04:47:44.000Z'],
    ['EEEE, MMMM d, yyyy h:mm a', 'Monday, January 15, 2024 1:05 PM', '2024-01-15T13:05:00.000Z'],
    ['dd MMM yyyy HH:mm:ss.SSS', '15 Jan 2024 10:00:00.123', '2024-01-15T10:00:00.123Z'],
    ['yyyy-MM-dd HH:mm:ss.SSS z', '2024-01-15 10:00:00.123 CET', '2024-01-15T09:00:00.123Z'],
    ['yyyy-MM-dd HH:mm:ss ZZZ', '2024-07-15 10:00:00 Europe/Paris', '2024-07-15T08:00:00.000Z'],
    ['yyyy-MM-dd HH:mm:ssZZ', '2024-01-15 10:00:00-05:00', '2024-01-15T15:00:00.000Z'],
    ["yyyy-MM-dd'T'HH:mm:ssX", '2024-01-15T10:00:00Z', '2024-01-15T10:00:00.000Z'],
    ['ISO8601', '2024-01-15T10:00:00.123456+01:00', '2024-01-15T09:00:00.123Z+456us'],
    ['UNIX', '1077804742', '2004-02-26T14:12:22.000Z'],
    ['UNIX', '1705312800.5', '2024-01-15T10:00:00.500Z'],
    ['UNIX_MS', '1705312800123', '2024-01-15T10:00:00.123Z'],
    ['TAI64N', '@4000000065a5022a00000000', '2024-01-15T10:00:00.000Z'],
  ])('%s reads %s', (format, text, want) => {
    expect(parse(format, text)).toBe(want);
  });

  it('guesses a missing year from the clock, last year when this year would be in the future', () => {
    // The clock is 2026-11-21T12:00Z.
    expect(parse('MMM d HH:mm:ss', 'Jun 14 15:16:01')).toBe('2026-06-14T15:16:01.000Z');
    expect(parse('MMM  d HH:mm:ss', 'Dec  4 04:47:44')).toBe('2025-12-04T04:47:44.000Z');
    expect(parse('MM-dd HH:mm:ss.SSS', '11-22 10:00:00.000')).toBe('2026-11-22T10:00:00.000Z');
  });

  it('takes today for a time without a date, and applies the time zone', () => {
    expect(parse('HH:mm:ss.SSS', '10:11:12.131')).toBe('2026-11-21T10:11:12.131Z');
    expect(parse('yyyy-MM-dd HH:mm:ss', '2024-07-01 12:00:00', 'America/New_York')).toBe(
      '2024-07-01T16:00:00.000Z',
    );
    expect(parse('yyyy-MM-dd HH:mm:ss', '2024-01-01 12:00:00', 'America/New_York')).toBe(
      '2024-01-01T17:00:00.000Z',
    );
    expect(parse('ISO8601', '2024-01-01 12:00:00', '+05:30')).toBe('2024-01-01T06:30:00.000Z');
  });

  it('rejects text that does not have the format, and impossible dates', () => {
    expect(parse('dd/MMM/yyyy:HH:mm:ss Z', '17/Mai/2015:10:05:03 +0000')).toBeNull();
    expect(parse('yyyy-MM-dd', '2024-02-30')).toBeNull();
    expect(parse('HH:mm:ss', '24:00:00')).toBeNull();
    expect(parse('yyyy-MM-dd HH:mm:ss', '2024-01-15 10:00:00 trailing')).toBeNull();
  });

  it('formats the event time for %{+…} references', () => {
    const us = Date.UTC(2024, 0, 5, 7, 8, 9, 123) * 1000;
    expect(formatJoda(us, 'YYYY.MM.dd')).toBe('2024.01.05');
    expect(formatJoda(us, "yyyy-MM-dd'T'HH:mm:ss.SSS")).toBe('2024-01-05T07:08:09.123');
  });
});
