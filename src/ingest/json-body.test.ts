import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_LIMITS } from '../model/normalize.js';
import { type DecodeOptions, decodeJsonBody, type Rejection } from './json-body.js';

const RECEIVED = 1_700_000_000_000_000;
const T = 1_705_312_800_000_000; // 2024-01-15T10:00:00Z
const OPTS: DecodeOptions = { stream: 'app', receivedUs: RECEIVED, limits: DEFAULT_EVENT_LIMITS };

/** Events reduced to their fields (plain objects), with the rejections as they are. */
function decode(body: string, opts: Partial<DecodeOptions> = {}) {
  const out = decodeJsonBody(body, { ...OPTS, ...opts });
  return { fields: out.events.map((e) => ({ ...e.fields })), rejected: out.rejected };
}

describe('decodeJsonBody: accepted shapes', () => {
  const cases: { name: string; body: string; fields: Record<string, unknown>[] }[] = [
    { name: 'one object', body: '{"message":"hi","n":1}', fields: [{ message: 'hi', n: 1 }] },
    { name: 'one object with surrounding whitespace', body: '\n  {"n":1}  \n', fields: [{ n: 1 }] },
    {
      name: 'a pretty-printed object',
      body: '{\n  "message": "hi",\n  "http": {\n    "status": 200\n  }\n}\n',
      fields: [{ message: 'hi', 'http.status': 200 }],
    },
    {
      name: 'an array of objects',
      body: '[{"n":1},{"n":2},{"n":3}]',
      fields: [{ n: 1 }, { n: 2 }, { n: 3 }],
    },
    {
      name: 'a pretty-printed array',
      body: '[\n  {"n": 1},\n\n  {"n": 2}\n]',
      fields: [{ n: 1 }, { n: 2 }],
    },
    { name: 'an empty array', body: '[]', fields: [] },
    { name: 'NDJSON', body: '{"n":1}\n{"n":2}\n{"n":3}\n', fields: [{ n: 1 }, { n: 2 }, { n: 3 }] },
    { name: 'NDJSON without a trailing newline', body: '{"n":1}\n{"n":2}', fields: [{ n: 1 }, { n: 2 }] },
    { name: 'NDJSON with CRLF', body: '{"n":1}\r\n{"n":2}\r\n', fields: [{ n: 1 }, { n: 2 }] },
    {
      name: 'NDJSON with blank and whitespace-only lines',
      body: '\n{"n":1}\n\n   \n\t\r\n{"n":2}\n\n',
      fields: [{ n: 1 }, { n: 2 }],
    },
    { name: 'an empty body', body: '', fields: [] },
    { name: 'a body of whitespace', body: ' \n\r\n\t', fields: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(decode(c.body)).toStrictEqual({ fields: c.fields, rejected: [] });
    });
  }

  it('puts every event in the stream given and stamps events without a time with the receive time', () => {
    const out = decodeJsonBody('{"n":1}\n{"@timestamp":"2024-01-15T10:00:00Z","n":2}', {
      ...OPTS,
      stream: 'web',
    });
    expect(out.events.map((e) => [e.stream, e.timestampUs])).toStrictEqual([
      ['web', RECEIVED],
      ['web', T],
    ]);
  });
});

describe('decodeJsonBody: rejections carry the line (or array position) and the reason', () => {
  const cases: { name: string; body: string; fields: Record<string, unknown>[]; rejected: Rejection[] }[] = [
    {
      name: 'NDJSON with a broken line in the middle',
      body: '{"n":1}\n{"n":\n{"n":3}\n',
      fields: [{ n: 1 }, { n: 3 }],
      rejected: [{ line: 2, reason: 'invalid JSON: Unexpected end of JSON input' }],
    },
    {
      name: 'NDJSON line numbers count blank lines',
      body: '{"n":1}\n\n\n{"n":}\n',
      fields: [{ n: 1 }],
      rejected: [{ line: 4, reason: 'invalid JSON: unexpected character \'}\', "{"n":}" is not valid JSON' }],
    },
    {
      name: 'NDJSON lines that are not objects',
      body: '42\n"text"\nnull\ntrue\n[1]\n{"n":6}',
      fields: [{ n: 6 }],
      rejected: [
        { line: 1, reason: 'expected a JSON object, got a number' },
        { line: 2, reason: 'expected a JSON object, got a string' },
        { line: 3, reason: 'expected a JSON object, got null' },
        { line: 4, reason: 'expected a JSON object, got a boolean' },
        { line: 5, reason: 'expected a JSON object, got an array' },
      ],
    },
    {
      name: 'array entries that are not objects, by 1-based position',
      body: '[{"n":1}, 2, null, [3], {"n":5}]',
      fields: [{ n: 1 }, { n: 5 }],
      rejected: [
        { line: 2, reason: 'expected a JSON object, got a number' },
        { line: 3, reason: 'expected a JSON object, got null' },
        { line: 4, reason: 'expected a JSON object, got an array' },
      ],
    },
    {
      name: 'a broken array is rejected whole',
      body: '[{"n":1}, {"n":2}',
      fields: [],
      rejected: [
        { line: 1, reason: "invalid JSON: Expected ',' or ']' after array element in JSON at position 17" },
      ],
    },
    {
      name: 'a bad timestamp names the field',
      body: '{"n":1}\n{"@timestamp":"not a time"}',
      fields: [{ n: 1 }],
      rejected: [
        {
          line: 2,
          field: '@timestamp',
          reason:
            'Cannot parse timestamp "not a time": expected an ISO 8601 date like 2024-01-15T10:00:00Z or an epoch number',
        },
      ],
    },
    {
      name: 'a single top-level scalar',
      body: '12',
      fields: [],
      rejected: [{ line: 1, reason: 'expected a JSON object, got a number' }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(decode(c.body)).toStrictEqual({ fields: c.fields, rejected: c.rejected });
    });
  }

  it('rejects an event over the limits with the offending field', () => {
    const out = decode('{"a":1}\n{"a":1,"b":2,"c":3}', { limits: { ...DEFAULT_EVENT_LIMITS, maxFields: 2 } });
    expect(out.fields).toStrictEqual([{ a: 1 }]);
    expect(out.rejected).toHaveLength(1);
    expect(out.rejected[0]!.line).toBe(2);
    expect(out.rejected[0]!.field).toBeTypeOf('string');
    expect(out.rejected[0]!.reason.length).toBeGreaterThan(0);
  });

  // A body starting with `[` is only ever read as one array. An NDJSON body whose first line happens
  // to be an array therefore loses every good line after it, while the same body starting with `{`
  // falls back to line-by-line decoding (DESIGN.md: valid events are stored, bad ones listed).
  it('rejects only the first line of NDJSON that starts with an array line', () => {
    expect(decode('[1]\n{"n":2}\n')).toStrictEqual({
      fields: [{ n: 2 }],
      rejected: [{ line: 1, reason: 'expected a JSON object, got an array' }],
    });
  });

  it('rejects a pretty-printed object followed by more text line by line', () => {
    // Not one object and not NDJSON: every line is tried on its own and none parses.
    const out = decode('{\n  "n": 1\n}\n{"n":2}\n');
    expect(out.fields).toStrictEqual([{ n: 2 }]);
    expect(out.rejected.map((r) => r.line)).toStrictEqual([1, 2, 3]);
  });
});
