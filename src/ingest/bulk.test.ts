import { describe, expect, it } from 'vitest';
import { CairnError } from '../model/errors.js';
import { DEFAULT_EVENT_LIMITS } from '../model/normalize.js';
import { type BulkItem, type BulkOptions, bulkResponseText, decodeBulk } from './bulk.js';

const RECEIVED = 1_700_000_000_000_000;
const T = 1_705_312_800_000_000; // 2024-01-15T10:00:00Z
const OPTS: BulkOptions = { receivedUs: RECEIVED, limits: DEFAULT_EVENT_LIMITS };

const UNSUPPORTED = (op: string) =>
  `Cairn stores logs append-only: [${op}] is not supported. Remove old data with retention policies instead.`;

/** The items in a compact, comparable form: op, index, id, stream and fields, or the error. */
function summarize(items: BulkItem[]) {
  return items.map((item) => ({
    op: item.op,
    index: item.index,
    ...(item.id !== undefined ? { id: item.id } : {}),
    ...(item.event
      ? {
          stream: item.event.stream,
          eventId: item.event.id,
          timestampUs: item.event.timestampUs,
          fields: { ...item.event.fields },
        }
      : {}),
    ...(item.error ? { error: item.error } : {}),
  }));
}

function decode(body: string, opts: Partial<BulkOptions> = {}) {
  return summarize(decodeBulk(body, { ...OPTS, ...opts }));
}

function thrown(fn: () => unknown): CairnError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    return err as CairnError;
  }
  throw new Error('expected a CairnError, nothing was thrown');
}

const lines = (...ls: string[]) => `${ls.join('\n')}\n`;

describe('decodeBulk: action kinds', () => {
  const cases: { name: string; body: string; defaultIndex?: string; want: ReturnType<typeof decode> }[] = [
    {
      name: 'index with _index and _id',
      body: lines(
        '{"index":{"_index":"logs-2024.01.15","_id":"a1"}}',
        '{"message":"hi","@timestamp":"2024-01-15T10:00:00Z"}',
      ),
      want: [
        {
          op: 'index',
          index: 'logs-2024.01.15',
          id: 'a1',
          stream: 'logs',
          eventId: 'a1',
          timestampUs: T,
          fields: { message: 'hi' },
        },
      ],
    },
    {
      name: 'create without an id',
      body: lines('{"create":{"_index":"filebeat-8.11.0-2024.01.15-000001"}}', '{"message":"x"}'),
      want: [
        {
          op: 'create',
          index: 'filebeat-8.11.0-2024.01.15-000001',
          stream: 'filebeat-8.11.0',
          eventId: undefined,
          timestampUs: RECEIVED,
          fields: { message: 'x' },
        },
      ],
    },
    {
      name: 'numeric _id becomes text',
      body: lines('{"index":{"_index":"app","_id":42}}', '{"n":1}'),
      want: [
        {
          op: 'index',
          index: 'app',
          id: '42',
          stream: 'app',
          eventId: '42',
          timestampUs: RECEIVED,
          fields: { n: 1 },
        },
      ],
    },
    {
      name: 'a non-scalar _id is ignored',
      body: lines('{"index":{"_index":"app","_id":{"x":1}}}', '{"n":1}'),
      want: [
        {
          op: 'index',
          index: 'app',
          stream: 'app',
          eventId: undefined,
          timestampUs: RECEIVED,
          fields: { n: 1 },
        },
      ],
    },
    {
      name: 'delete takes no source line and fails its item with 405',
      body: lines('{"delete":{"_index":"app","_id":"d1"}}', '{"index":{"_index":"app"}}', '{"n":2}'),
      want: [
        {
          op: 'delete',
          index: 'app',
          id: 'd1',
          error: { status: 405, type: 'illegal_argument_exception', reason: UNSUPPORTED('delete') },
        },
        {
          op: 'index',
          index: 'app',
          stream: 'app',
          eventId: undefined,
          timestampUs: RECEIVED,
          fields: { n: 2 },
        },
      ],
    },
    {
      name: 'update consumes its source line and fails its item with 405',
      body: lines(
        '{"update":{"_index":"app","_id":"u1"}}',
        '{"doc":{"n":1}}',
        '{"index":{"_index":"app"}}',
        '{"n":3}',
      ),
      want: [
        {
          op: 'update',
          index: 'app',
          id: 'u1',
          error: { status: 405, type: 'illegal_argument_exception', reason: UNSUPPORTED('update') },
        },
        {
          op: 'index',
          index: 'app',
          stream: 'app',
          eventId: undefined,
          timestampUs: RECEIVED,
          fields: { n: 3 },
        },
      ],
    },
    {
      name: 'the path index is the default',
      defaultIndex: 'metrics-2024-01',
      body: lines('{"index":{}}', '{"n":1}'),
      want: [
        {
          op: 'index',
          index: 'metrics-2024-01',
          stream: 'metrics',
          eventId: undefined,
          timestampUs: RECEIVED,
          fields: { n: 1 },
        },
      ],
    },
    {
      name: 'an _index in the action line wins over the path index',
      defaultIndex: 'fallback',
      body: lines('{"index":{"_index":"app_20240115"}}', '{"n":1}'),
      want: [
        {
          op: 'index',
          index: 'app_20240115',
          stream: 'app',
          eventId: undefined,
          timestampUs: RECEIVED,
          fields: { n: 1 },
        },
      ],
    },
    {
      name: 'a null action body is like an empty one',
      defaultIndex: 'app',
      body: lines('{"index":null}', '{"n":1}'),
      want: [
        {
          op: 'index',
          index: 'app',
          stream: 'app',
          eventId: undefined,
          timestampUs: RECEIVED,
          fields: { n: 1 },
        },
      ],
    },
    {
      name: 'no _index and no path index fails the item',
      body: lines('{"index":{"_id":"z"}}', '{"n":1}'),
      want: [
        {
          op: 'index',
          index: '',
          id: 'z',
          error: {
            status: 400,
            type: 'action_request_validation_exception',
            reason: 'Validation Failed: 1: index is missing;',
          },
        },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(
        decode(c.body, c.defaultIndex !== undefined ? { defaultIndex: c.defaultIndex } : {}),
      ).toStrictEqual(c.want);
    });
  }
});

describe('decodeBulk: layout', () => {
  const cases: { name: string; body: string; want: { index: string; n: number }[] }[] = [
    {
      name: 'no trailing newline',
      body: '{"index":{"_index":"a"}}\n{"n":1}',
      want: [{ index: 'a', n: 1 }],
    },
    {
      name: 'CRLF line endings',
      body: '{"index":{"_index":"a"}}\r\n{"n":1}\r\n{"index":{"_index":"b"}}\r\n{"n":2}\r\n',
      want: [
        { index: 'a', n: 1 },
        { index: 'b', n: 2 },
      ],
    },
    {
      name: 'blank and whitespace-only lines between pairs are skipped',
      body: '\n\n{"index":{"_index":"a"}}\n{"n":1}\n\n  \t\r\n{"index":{"_index":"b"}}\n{"n":2}\n\n',
      want: [
        { index: 'a', n: 1 },
        { index: 'b', n: 2 },
      ],
    },
    {
      name: 'the same action line repeated for every document',
      body: lines(
        '{"index":{"_index":"a"}}',
        '{"n":1}',
        '{"index":{"_index":"a"}}',
        '{"n":2}',
        '{"index":{"_index":"a"}}',
        '{"n":3}',
      ),
      want: [
        { index: 'a', n: 1 },
        { index: 'a', n: 2 },
        { index: 'a', n: 3 },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const items = decodeBulk(c.body, OPTS);
      expect(items.map((i) => ({ index: i.index, n: i.event?.fields['n'] }))).toStrictEqual(c.want);
    });
  }

  it('takes a blank line after an action as its (empty, broken) source', () => {
    const items = decode(lines('{"index":{"_index":"a"}}', '', '{"index":{"_index":"b"}}', '{"n":2}'));
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      op: 'index',
      index: 'a',
      error: { status: 400, type: 'document_parsing_exception' },
    });
    expect(items[0]!.error!.reason).toMatch(/^failed to parse: invalid JSON: /);
    expect(items[1]).toMatchObject({ op: 'index', index: 'b', fields: { n: 2 } });
  });
});

describe('decodeBulk: the action-line cache', () => {
  it('does not carry an _id over to a later action line without one', () => {
    const items = decode(
      lines(
        '{"index":{"_index":"a","_id":"1"}}',
        '{"n":1}',
        '{"index":{"_index":"a"}}',
        '{"n":2}',
        '{"index":{"_index":"a","_id":"1"}}',
        '{"n":3}',
        '{"index":{"_index":"a","_id":"2"}}',
        '{"n":4}',
        '{"index":{"_index":"a"}}',
        '{"n":5}',
      ),
    );
    expect(items.map((i) => [i.id, i.eventId, i.fields?.['n']])).toStrictEqual([
      ['1', '1', 1],
      [undefined, undefined, 2],
      ['1', '1', 3],
      ['2', '2', 4],
      [undefined, undefined, 5],
    ]);
    expect(items.filter((i) => i.id === undefined).every((i) => !('id' in i))).toBe(true);
  });

  it('does not carry the op or index over between different action lines', () => {
    const items = decode(
      lines(
        '{"create":{"_index":"x"}}',
        '{"n":1}',
        '{"index":{"_index":"y"}}',
        '{"n":2}',
        '{"create":{"_index":"x"}}',
        '{"n":3}',
      ),
    );
    expect(items.map((i) => [i.op, i.index, i.stream])).toStrictEqual([
      ['create', 'x', 'x'],
      ['index', 'y', 'y'],
      ['create', 'x', 'x'],
    ]);
  });

  it('reports the line of the last repeated action when it dangles', () => {
    const err = thrown(() =>
      decodeBulk(lines('{"index":{"_index":"a"}}', '{"n":1}', '{"index":{"_index":"a"}}'), OPTS),
    );
    expect(err.message).toBe(
      'The bulk request ends after the action on line 3: expected a source document line after it',
    );
    expect(err.details).toStrictEqual({ esType: 'illegal_argument_exception', line: 3 });
  });
});

describe('decodeBulk: pipelines named in action lines', () => {
  it("keeps each action line's pipeline on its item, and not on the next action line without one", () => {
    const items = decodeBulk(
      lines(
        '{"create":{"_index":"a","pipeline":"nginx"}}',
        '{"message":"1"}',
        '{"create":{"_index":"a","pipeline":"nginx"}}',
        '{"message":"2"}',
        '{"create":{"_index":"a"}}',
        '{"message":"3"}',
        '{"index":{"_index":"a","pipeline":""}}',
        '{"message":"4"}',
        '{"create":{"_index":"a","pipeline":"nginx"}}',
        'not json',
      ),
      OPTS,
    );
    expect(items.map((i) => i.pipeline)).toStrictEqual(['nginx', 'nginx', undefined, undefined, undefined]);
    expect(items[4]!.error?.type).toBe('document_parsing_exception');
  });
});

describe('decodeBulk: request-level errors', () => {
  const cases: {
    name: string;
    body: string;
    code: string;
    status: number;
    message: string;
    details: Record<string, unknown>;
  }[] = [
    {
      name: 'malformed JSON in the first action line',
      body: lines('{"index":'),
      code: 'invalid_json',
      status: 400,
      message: 'Malformed action/metadata line [1]: invalid JSON: Unexpected end of JSON input',
      details: { esType: 'x_content_parse_exception', line: 1 },
    },
    {
      name: 'malformed JSON in a later action line, numbered by line',
      body: lines('{"index":{"_index":"a"}}', '{"n":1}', '', '{"index":{"_index":"a"}'),
      code: 'invalid_json',
      status: 400,
      message:
        "Malformed action/metadata line [4]: invalid JSON: Expected ',' or '}' after property value in JSON at position 23",
      details: { esType: 'x_content_parse_exception', line: 4 },
    },
    {
      name: 'an unexpected character in an action line',
      body: lines('{"index":}'),
      code: 'invalid_json',
      status: 400,
      message:
        'Malformed action/metadata line [1]: invalid JSON: unexpected character \'}\', "{"index":}" is not valid JSON',
      details: { esType: 'x_content_parse_exception', line: 1 },
    },
    {
      name: 'unknown op',
      body: lines('{"upsert":{"_index":"a"}}', '{"n":1}'),
      code: 'bad_request',
      status: 400,
      message:
        'Malformed action/metadata line [1], expected one of [create, delete, index, update] but found [upsert]',
      details: { esType: 'illegal_argument_exception', line: 1 },
    },
    {
      name: 'two ops in one action line',
      body: lines('{"index":{},"create":{}}', '{"n":1}'),
      code: 'bad_request',
      status: 400,
      message:
        'Malformed action/metadata line [1], expected one of [create, delete, index, update] but found [index, create]',
      details: { esType: 'illegal_argument_exception', line: 1 },
    },
    {
      name: 'an empty object as action',
      body: lines('{}'),
      code: 'bad_request',
      status: 400,
      message:
        'Malformed action/metadata line [1], expected one of [create, delete, index, update] but found [an object]',
      details: { esType: 'illegal_argument_exception', line: 1 },
    },
    {
      name: 'an array as action',
      body: lines('[{"index":{}}]'),
      code: 'bad_request',
      status: 400,
      message:
        'Malformed action/metadata line [1], expected one of [create, delete, index, update] but found [an array]',
      details: { esType: 'illegal_argument_exception', line: 1 },
    },
    {
      name: 'a number as action',
      body: lines('42'),
      code: 'bad_request',
      status: 400,
      message:
        'Malformed action/metadata line [1], expected one of [create, delete, index, update] but found [a number]',
      details: { esType: 'illegal_argument_exception', line: 1 },
    },
    {
      name: 'a source line where an action is expected (missing action between documents)',
      body: lines('{"index":{"_index":"a"}}', '{"n":1}', '{"n":2}', '{"n":3}'),
      code: 'bad_request',
      status: 400,
      message:
        'Malformed action/metadata line [3], expected one of [create, delete, index, update] but found [n]',
      details: { esType: 'illegal_argument_exception', line: 3 },
    },
    {
      name: 'a dangling action at the end',
      body: lines('{"index":{"_index":"a"}}', '{"n":1}', '{"create":{"_index":"a"}}'),
      code: 'bad_request',
      status: 400,
      message: 'The bulk request ends after the action on line 3: expected a source document line after it',
      details: { esType: 'illegal_argument_exception', line: 3 },
    },
    {
      name: 'a dangling update',
      body: '{"update":{"_index":"a","_id":"1"}}',
      code: 'bad_request',
      status: 400,
      message: 'The bulk request ends after the action on line 1: expected a source document line after it',
      details: { esType: 'illegal_argument_exception', line: 1 },
    },
    {
      name: 'an empty body',
      body: '',
      code: 'bad_request',
      status: 400,
      message: 'Validation Failed: 1: no requests added;',
      details: { esType: 'action_request_validation_exception' },
    },
    {
      name: 'a body of blank lines',
      body: '\n\r\n  \n\t\n',
      code: 'bad_request',
      status: 400,
      message: 'Validation Failed: 1: no requests added;',
      details: { esType: 'action_request_validation_exception' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const err = thrown(() => decodeBulk(c.body, OPTS));
      expect({
        code: err.code,
        status: err.status,
        message: err.message,
        details: err.details,
      }).toStrictEqual({
        code: c.code,
        status: c.status,
        message: c.message,
        details: c.details,
      });
    });
  }
});

describe('decodeBulk: item-level errors keep the rest of the request', () => {
  const cases: {
    name: string;
    action: string;
    source: string;
    error: { status: number; type: string; reason: string | RegExp };
  }[] = [
    {
      name: 'broken source JSON',
      action: '{"index":{"_index":"a","_id":"b1"}}',
      source: '{"message":"unterminated',
      error: { status: 400, type: 'document_parsing_exception', reason: /^failed to parse: invalid JSON: / },
    },
    {
      name: 'source that is not an object',
      action: '{"index":{"_index":"a"}}',
      source: '[1,2]',
      error: {
        status: 400,
        type: 'document_parsing_exception',
        reason: 'expected a JSON object, got an array',
      },
    },
    {
      name: 'an unparseable @timestamp names the field',
      action: '{"index":{"_index":"a"}}',
      source: '{"@timestamp":"yesterday"}',
      error: {
        status: 400,
        type: 'document_parsing_exception',
        reason: /^failed to parse field \[@timestamp\]: Cannot parse timestamp "yesterday"/,
      },
    },
    {
      name: 'an upper-case index name',
      action: '{"index":{"_index":"Logs"}}',
      source: '{"n":1}',
      error: {
        status: 400,
        type: 'invalid_index_name_exception',
        reason: 'Invalid index name [Logs], must be lowercase',
      },
    },
    {
      name: 'an index name with a forbidden character',
      action: '{"index":{"_index":"logs*"}}',
      source: '{"n":1}',
      error: {
        status: 400,
        type: 'invalid_index_name_exception',
        reason:
          'Invalid index name [logs*], must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?, #, :]',
      },
    },
    {
      name: 'an index name starting with an underscore',
      action: '{"create":{"_index":"_all"}}',
      source: '{"n":1}',
      error: {
        status: 400,
        type: 'invalid_index_name_exception',
        reason: "Invalid index name [_all], must not start with '_', '-', or '+'",
      },
    },
    {
      name: 'the index name ".."',
      action: '{"index":{"_index":".."}}',
      source: '{"n":1}',
      error: {
        status: 400,
        type: 'invalid_index_name_exception',
        reason: "Invalid index name [..], must not be '.' or '..'",
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const items = decode(
        lines(
          '{"index":{"_index":"ok"}}',
          '{"n":0}',
          c.action,
          c.source,
          '{"index":{"_index":"ok"}}',
          '{"n":2}',
        ),
      );
      expect(items).toHaveLength(3);
      expect(items[0]).toMatchObject({ index: 'ok', fields: { n: 0 } });
      expect(items[2]).toMatchObject({ index: 'ok', fields: { n: 2 } });
      const bad = items[1]!;
      expect(bad.fields).toBeUndefined();
      expect(bad.error).toBeDefined();
      expect(bad.error!.status).toBe(c.error.status);
      expect(bad.error!.type).toBe(c.error.type);
      if (typeof c.error.reason === 'string') expect(bad.error!.reason).toBe(c.error.reason);
      else expect(bad.error!.reason).toMatch(c.error.reason);
    });
  }

  it('keeps the _id of a failed item', () => {
    const items = decode(lines('{"index":{"_index":"a","_id":"keep-me"}}', 'not json'));
    expect(items[0]).toMatchObject({ op: 'index', index: 'a', id: 'keep-me' });
    expect(items[0]!.error?.type).toBe('document_parsing_exception');
  });

  it('applies the event limits to each document', () => {
    const items = decode(
      lines('{"index":{"_index":"a"}}', '{"a":1,"b":2,"c":3}', '{"index":{"_index":"a"}}', '{"a":1}'),
      {
        limits: { ...DEFAULT_EVENT_LIMITS, maxFields: 2 },
      },
    );
    expect(items[0]!.error).toMatchObject({ status: 400, type: 'document_parsing_exception' });
    expect(items[1]).toMatchObject({ fields: { a: 1 } });
  });
});

describe('bulkResponseText', () => {
  const event = { timestampUs: T, stream: 'a', fields: {} };
  const items: BulkItem[] = [
    { op: 'index', index: 'a', event },
    { op: 'create', index: 'a', id: 'client-1', event: { ...event, id: 'client-1' } },
    {
      op: 'index',
      index: 'Bad"Index',
      id: 'x',
      error: {
        status: 400,
        type: 'invalid_index_name_exception',
        reason: 'Invalid index name [Bad"Index], must be lowercase',
      },
    },
    {
      op: 'delete',
      index: 'a',
      error: { status: 405, type: 'illegal_argument_exception', reason: UNSUPPORTED('delete') },
    },
  ];

  it('renders every item in Elasticsearch shape, as valid JSON', () => {
    const text = bulkResponseText(items, ['c0000000001', 'client-1', undefined, undefined], 12.6);
    expect(JSON.parse(text)).toStrictEqual({
      took: 13,
      errors: true,
      items: [
        {
          index: {
            _index: 'a',
            _id: 'c0000000001',
            _version: 1,
            result: 'created',
            _shards: { total: 1, successful: 1, failed: 0 },
            _seq_no: 0,
            _primary_term: 1,
            status: 201,
          },
        },
        {
          create: {
            _index: 'a',
            _id: 'client-1',
            _version: 1,
            result: 'created',
            _shards: { total: 1, successful: 1, failed: 0 },
            _seq_no: 1,
            _primary_term: 1,
            status: 201,
          },
        },
        {
          index: {
            _index: 'Bad"Index',
            _id: 'x',
            status: 400,
            error: {
              type: 'invalid_index_name_exception',
              reason: 'Invalid index name [Bad"Index], must be lowercase',
              index: 'Bad"Index',
            },
          },
        },
        {
          delete: {
            _index: 'a',
            _id: null,
            status: 405,
            error: { type: 'illegal_argument_exception', reason: UNSUPPORTED('delete'), index: 'a' },
          },
        },
      ],
    });
  });

  it('says errors: false when every item succeeded', () => {
    const ok = items.slice(0, 2);
    const parsed = JSON.parse(bulkResponseText(ok, ['s1', 's2'], 0.4));
    expect(parsed.errors).toBe(false);
    expect(parsed.took).toBe(0);
    expect(parsed.items.map((i: any) => Object.values(i)[0])).toMatchObject([{ _id: 's1' }, { _id: 's2' }]);
  });

  it('falls back to the client id, then null, when the store gave no id', () => {
    const parsed = JSON.parse(bulkResponseText(items.slice(0, 2), [], 1));
    expect(parsed.items.map((i: any) => (Object.values(i)[0] as any)._id)).toStrictEqual([null, 'client-1']);
  });

  it('renders an empty item list', () => {
    expect(JSON.parse(bulkResponseText([], [], 3))).toStrictEqual({ took: 3, errors: false, items: [] });
  });

  it('round-trips a decoded request', () => {
    const decoded = decodeBulk(
      lines(
        '{"index":{"_index":"logs-2024.01.15"}}',
        '{"n":1}',
        '{"delete":{"_index":"logs-2024.01.15","_id":"9"}}',
      ),
      OPTS,
    );
    const parsed = JSON.parse(bulkResponseText(decoded, ['c0000000007', undefined], 5));
    expect(parsed.errors).toBe(true);
    expect(parsed.items[0].index).toMatchObject({
      _index: 'logs-2024.01.15',
      _id: 'c0000000007',
      status: 201,
    });
    expect(parsed.items[1].delete).toMatchObject({ _index: 'logs-2024.01.15', _id: '9', status: 405 });
  });
});
