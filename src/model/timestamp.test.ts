import { describe, expect, it } from 'vitest';
import { CairnError } from './errors.js';
import {
  daysFromCivil,
  describeTimestampError,
  formatTimestamp,
  parseIsoDateTime,
  parseIsoTimestamp,
  parseTimestamp,
} from './timestamp.js';

/** 2024-01-15T10:00:00Z in µs. */
const T = 1_705_312_800_000_000;

describe('parseTimestamp', () => {
  const accepted: [unknown, number][] = [
    // ISO 8601 / RFC 3339
    ['2024-01-15T10:00:00Z', T],
    ['2024-01-15t10:00:00z', T],
    ['2024-01-15T10:00:00', T],
    ['2024-01-15T10:00', T],
    ['2024-01-15 10:00:00', T],
    ['2024-01-15T10:00:00.1Z', T + 100_000],
    ['2024-01-15T10:00:00.123Z', T + 123_000],
    ['2024-01-15T10:00:00.123456Z', T + 123_456],
    ['2024-01-15T10:00:00.123456789Z', T + 123_456],
    ['2024-01-15T10:00:00.999999999Z', T + 999_999],
    ['2024-01-15 10:00:00,123', T + 123_000],
    ['2024-01-15T10:00:00.123456+02:00', T - 7_200_000_000 + 123_456],
    ['2024-01-15T10:00:00+0200', T - 7_200_000_000],
    ['2024-01-15T10:00:00+02', T - 7_200_000_000],
    ['2024-01-15T10:00:00-05:30', T + 19_800_000_000],
    ['2024-01-15T10:00:00+00:00', T],
    ['2024-01-15T10:00:00-00:00', T],
    ['2024-01-15T10:00+01:00', T - 3_600_000_000],
    ['2024-01-15', T - 36_000_000_000],
    ['1970-01-01T00:00:00Z', 0],
    ['1969-12-31T23:59:59.999999Z', -1],
    ['2024-02-29T00:00:00Z', 1_709_164_800_000_000],
    ['2000-02-29', 951_782_400_000_000],
    ['2016-12-31T23:59:60Z', 1_483_228_800_000_000],
    ['0000-01-01T00:00:00Z', -62_167_219_200_000_000],
    ['9999-12-31T23:59:59Z', 253_402_300_799_000_000],
    // epoch numbers: the magnitude picks the unit
    [1_705_312_800, T],
    [1_705_312_800.5, T + 500_000],
    [1_705_312_800.123456, T + 123_456],
    [0, 0],
    [-1, -1_000_000],
    [99_999_999_999, 99_999_999_999_000_000],
    [100_000_000_000, 100_000_000_000_000],
    [1_705_312_800_123, T + 123_000],
    [1_705_312_800_123.456, T + 123_456],
    [1_705_312_800_123_456, T + 123_456],
    [1_705_312_800_123_456_800, T + 123_456],
    [-1_705_312_800_123, -T - 123_000],
    // numeric strings
    ['1705312800', T],
    ['1705312800.25', T + 250_000],
    ['1705312800123', T + 123_000],
    ['1705312800123456', T + 123_456],
    ['-1', -1_000_000],
  ];
  it.each(accepted)('%j → %d', (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });

  const rejected: unknown[] = [
    '',
    'yesterday',
    '2024-13-01',
    '2024-00-10',
    '2023-02-29',
    '1900-02-29',
    '2024-04-31',
    '2024-01-32',
    '2024-01-00',
    '2024-1-15',
    '2024/01/15',
    '2024-01-15T24:00:00Z',
    '2024-01-15T10:60:00Z',
    '2024-01-15T10:00:61Z',
    '2024-01-15T10:00:00.Z',
    '2024-01-15T10:00:00.1234567890Z',
    '2024-01-15T10:00:00+24:00',
    '2024-01-15T10:00:00+02:60',
    '2024-01-15T10:00:00+2',
    '2024-01-15T10:00:00Z ',
    ' 2024-01-15T10:00:00Z',
    '2024-01-15T10',
    '2024-01-15Z',
    '2024-01-15T10:00:00 UTC',
    '15/01/2024',
    '+2024-01-15',
    '1.7e9',
    '0x10',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e20 * 1e6,
    true,
    null,
    undefined,
    [],
    {},
  ];
  it.each(rejected)('%j → null', (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });
});

describe('parseIsoTimestamp and parseIsoDateTime', () => {
  const cases: [string, number | null, number | null][] = [
    ['2024-01-15T10:00:00Z', T, T],
    ['2024-01-15 10:00', T, T],
    ['2024-01-15', T - 36_000_000_000, null],
    ['1705312800', null, null],
    ['2024-02-30T00:00:00Z', null, null],
  ];
  it.each(cases)('%s', (input, iso, dateTime) => {
    expect(parseIsoTimestamp(input)).toBe(iso);
    expect(parseIsoDateTime(input)).toBe(dateTime);
  });
});

describe('describeTimestampError', () => {
  const cases: [unknown, string][] = [
    ['2024-13-01', 'Cannot parse timestamp "2024-13-01": month must be 1-12'],
    ['2024-00-01', 'Cannot parse timestamp "2024-00-01": month must be 1-12'],
    ['2023-02-29', 'Cannot parse timestamp "2023-02-29": day must be 1-28 in February 2023'],
    ['2024-02-30', 'Cannot parse timestamp "2024-02-30": day must be 1-29 in February 2024'],
    ['2024-04-31', 'Cannot parse timestamp "2024-04-31": day must be 1-30 in April'],
    ['2024-01-15T24:00:00Z', 'Cannot parse timestamp "2024-01-15T24:00:00Z": hour must be 0-23'],
    ['2024-01-15T10:60:00Z', 'Cannot parse timestamp "2024-01-15T10:60:00Z": minute must be 0-59'],
    ['2024-01-15T10:00:61Z', 'Cannot parse timestamp "2024-01-15T10:00:61Z": second must be 0-60'],
    ['', 'Cannot parse timestamp "": the value is empty'],
    [
      'yesterday',
      'Cannot parse timestamp "yesterday": expected an ISO 8601 date like 2024-01-15T10:00:00Z or an epoch number',
    ],
    ['2024-1-15', 'Cannot parse timestamp "2024-1-15": expected a 2-digit month after "2024-"'],
    ['2024/01/15', 'Cannot parse timestamp "2024/01/15": expected "-" after "2024"'],
    ['2024-01-5', 'Cannot parse timestamp "2024-01-5": expected a 2-digit day after "2024-01-"'],
    [
      '2024-01-15X10:00',
      'Cannot parse timestamp "2024-01-15X10:00": expected "T" or a space after "2024-01-15"',
    ],
    [
      '2024-01-15T1:00',
      'Cannot parse timestamp "2024-01-15T1:00": expected a 2-digit hour after "2024-01-15T"',
    ],
    ['2024-01-15T10', 'Cannot parse timestamp "2024-01-15T10": expected ":" after "2024-01-15T10"'],
    [
      '2024-01-15T10:00:00.Z',
      'Cannot parse timestamp "2024-01-15T10:00:00.Z": expected fraction digits after "2024-01-15T10:00:00."',
    ],
    [
      '2024-01-15T10:00:00.1234567890Z',
      'Cannot parse timestamp "2024-01-15T10:00:00.1234567890Z": fractional seconds must have at most 9 digits',
    ],
    [
      '2024-01-15T10:00:00+24:00',
      'Cannot parse timestamp "2024-01-15T10:00:00+24:00": time zone offset hours must be 0-23',
    ],
    [
      '2024-01-15T10:00:00+02:60',
      'Cannot parse timestamp "2024-01-15T10:00:00+02:60": time zone offset minutes must be 0-59',
    ],
    [
      '2024-01-15T10:00:00 UTC',
      'Cannot parse timestamp "2024-01-15T10:00:00 UTC": expected a time zone ("Z" or "+02:00") or the end after "2024-01-15T10:00:00"',
    ],
    [
      '2024-01-15T10:00:00Z ',
      'Cannot parse timestamp "2024-01-15T10:00:00Z ": unexpected " " after "2024-01-15T10:00:00Z"',
    ],
    [1e20 * 1e6, 'Cannot parse timestamp 1e+26: it is outside the supported range, years 0000-9999'],
    [
      '99999999999999999999999',
      'Cannot parse timestamp "99999999999999999999999": it is outside the supported range, years 0000-9999',
    ],
    [Number.NaN, 'Cannot parse timestamp NaN: expected a finite number'],
    [true, 'Cannot parse timestamp true: expected an ISO 8601 string or an epoch number, got a boolean'],
    [null, 'Cannot parse timestamp null: expected an ISO 8601 string or an epoch number, got null'],
    [[1], 'Cannot parse timestamp: expected an ISO 8601 string or an epoch number, got an array'],
    [{ a: 1 }, 'Cannot parse timestamp: expected an ISO 8601 string or an epoch number, got an object'],
    [
      'x'.repeat(100),
      `Cannot parse timestamp "${'x'.repeat(64)}…": expected an ISO 8601 date like 2024-01-15T10:00:00Z or an epoch number`,
    ],
    ['2024-01-15T10:00:00Z', 'Timestamp "2024-01-15T10:00:00Z" is valid'],
  ];
  it.each(cases)('%j', (input, message) => {
    expect(describeTimestampError(input)).toBe(message);
  });
});

describe('formatTimestamp', () => {
  const cases: [number, string][] = [
    [T, '2024-01-15T10:00:00.000Z'],
    [T + 123_000, '2024-01-15T10:00:00.123Z'],
    [T + 123_456, '2024-01-15T10:00:00.123456Z'],
    [T + 1, '2024-01-15T10:00:00.000001Z'],
    [1.9, '1970-01-01T00:00:00.000001Z'],
    [0, '1970-01-01T00:00:00.000Z'],
    [-1, '1969-12-31T23:59:59.999999Z'],
    [-1000, '1969-12-31T23:59:59.999Z'],
    [1_709_164_800_000_000, '2024-02-29T00:00:00.000Z'],
    [951_782_400_000_000, '2000-02-29T00:00:00.000Z'],
    [-62_167_219_200_000_000, '0000-01-01T00:00:00.000Z'],
    [253_402_300_799_000_000, '9999-12-31T23:59:59.000Z'],
    [253_402_300_800_000_000, '+010000-01-01T00:00:00.000Z'],
    [-62_167_219_200_000_000 - 86_400_000_000, '-000001-12-31T00:00:00.000Z'],
  ];
  it.each(cases)('%d → %s', (us, text) => {
    expect(formatTimestamp(us)).toBe(text);
  });

  it('agrees with Date.prototype.toISOString on millisecond values', () => {
    for (let ms = -5e12; ms < 5e12; ms += 7_777_777_777) {
      expect(formatTimestamp(ms * 1000)).toBe(new Date(ms).toISOString());
    }
  });

  it('round-trips through parseTimestamp', () => {
    for (const us of [T + 123_456, -1, 0, 1_483_228_799_999_999]) {
      expect(parseTimestamp(formatTimestamp(us))).toBe(us);
    }
  });

  it('rejects a value that is not a finite number', () => {
    expect(() => formatTimestamp(Number.NaN)).toThrow(
      new CairnError('internal', 'Cannot format timestamp NaN: expected a finite number of microseconds'),
    );
  });
});

describe('daysFromCivil', () => {
  const cases: [number, number, number, number][] = [
    [1970, 1, 1, 0],
    [1969, 12, 31, -1],
    [2000, 3, 1, 11_017],
    [2024, 1, 15, 19_737],
    [0, 1, 1, -719_528],
  ];
  it.each(cases)('%d-%d-%d → %d', (y, m, d, days) => {
    expect(daysFromCivil(y, m, d)).toBe(days);
  });
});
