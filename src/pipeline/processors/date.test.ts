import { describe, expect, it } from 'vitest';
import { runPipelineOn } from '../test-support.js';

const date = (options: Record<string, unknown>, value: string | number) =>
  runPipelineOn({ processors: [{ date: options }] }, { message: 'm', when: value });

describe('date', () => {
  it("reads the seeds' nginx time into @timestamp", () => {
    const r = date({ match: ['when', 'dd/MMM/yyyy:HH:mm:ss Z'] }, '07/Dec/2016:11:05:07 +0100');
    expect(r.timestamp).toBe('2016-12-07T10:05:07.000Z');
    expect(r.fields['tags']).toBeUndefined();
  });

  it('tries formats in order and applies the time zone to times without one', () => {
    const options = {
      field: 'when',
      formats: ['ISO8601', 'yyyy-MM-dd HH:mm:ss,SSS'],
      timezone: 'Europe/Berlin',
    };
    expect(date(options, '2015-10-18 18:01:47,978').timestamp).toBe('2015-10-18T16:01:47.978Z');
    expect(date(options, '2024-07-01T12:00:00Z').timestamp).toBe('2024-07-01T12:00:00.000Z');
    expect(date(options, '2024-01-15 12:00:00,000').timestamp).toBe('2024-01-15T11:00:00.000Z');
  });

  it('reads UNIX and UNIX_MS, from text or numbers', () => {
    expect(date({ field: 'when', formats: ['UNIX'] }, '1131566461').timestamp).toBe(
      '2005-11-09T20:01:01.000Z',
    );
    expect(date({ field: 'when', formats: ['UNIX_MS'] }, 1700000000123).timestamp).toBe(
      '2023-11-14T22:13:20.123Z',
    );
  });

  it('writes another target as ISO 8601 text', () => {
    const r = date(
      { field: 'when', formats: ['dd/MMM/yyyy:HH:mm:ss Z'], target: 'event.created' },
      '17/May/2015:10:05:03 +0000',
    );
    expect(r.fields['event.created']).toBe('2015-05-17T10:05:03.000Z');
  });

  it('tags _dateparsefailure and keeps the receive time when no format matches', () => {
    const r = date({ field: 'when', formats: ['yyyy-MM-dd'] }, 'yesterday');
    expect(r.fields['tags']).toEqual(['_dateparsefailure']);
    expect(r.timestamp).toBe('2026-11-21T12:00:00.000Z');
  });

  it('rejects an unknown time zone and an unsupported pattern letter at definition time', () => {
    expect(() => date({ field: 'when', formats: ['ISO8601'], timezone: 'Mars/Olympus' }, 'x')).toThrow(
      /formats\[0\] "ISO8601": unknown time zone "Mars\/Olympus"/,
    );
    expect(() => date({ field: 'when', formats: ['yyyy-ww'] }, 'x')).toThrow(
      /the letter "w" is not supported/,
    );
  });
});
