import { describe, expect, it } from 'vitest';
import { formatSeconds, TimeFormatter } from './time-format.js';

describe('TimeFormatter', () => {
  it('formats ISO 8601 exactly like Date#toISOString, reusing the cached second', () => {
    const f = new TimeFormatter();
    const start = Date.UTC(2024, 1, 28, 23, 59, 58);
    for (let ms = start; ms < start + 5000; ms += 7) {
      expect(f.iso(ms * 1000 + 999)).toBe(new Date(ms).toISOString());
    }
  });

  it("formats nginx's $time_local for a UTC server", () => {
    const f = new TimeFormatter();
    expect(f.nginx(Date.UTC(2023, 9, 10, 13, 55, 36, 250) * 1000)).toBe('10/Oct/2023:13:55:36 +0000');
    expect(f.nginx(Date.UTC(2024, 0, 1, 0, 0, 0) * 1000)).toBe('01/Jan/2024:00:00:00 +0000');
  });
});

describe('formatSeconds', () => {
  it.each([
    [0, '0.000'],
    [42, '0.042'],
    [1500, '1.500'],
    [60_003, '60.003'],
  ])('%d ms is %s s', (ms, text) => {
    expect(formatSeconds(ms)).toBe(text);
  });
});
