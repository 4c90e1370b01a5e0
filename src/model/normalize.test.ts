import { describe, expect, it } from 'vitest';
import type { FieldValue } from './event.js';
import { DEFAULT_EVENT_LIMITS, type NormalizeResult, normalizeEvent } from './normalize.js';

const RECEIVED = 1_700_000_000_000_000;
const T = 1_705_312_800_000_000;
const OPTS = { stream: 'app', receivedUs: RECEIVED, limits: DEFAULT_EVENT_LIMITS };

/** The result with fields copied into a plain object, so toStrictEqual can compare it with a literal. */
function normalize(raw: unknown, opts: Partial<typeof OPTS> & { id?: string } = {}): NormalizeResult {
  const result = normalizeEvent(raw, { ...OPTS, ...opts });
  if (!result.ok) return result;
  return { ok: true, event: { ...result.event, fields: { ...result.event.fields } } };
}

function fieldsOf(raw: unknown): Record<string, FieldValue> {
  const result = normalize(raw);
  if (!result.ok) throw new Error(result.reason);
  return result.event.fields;
}

describe('normalizeEvent: the whole event', () => {
  it('builds the event', () => {
    expect(normalize({ '@timestamp': '2024-01-15T10:00:00Z', message: 'hi' }, { id: 'abc' })).toStrictEqual({
      ok: true,
      event: { timestampUs: T, stream: 'app', id: 'abc', fields: { message: 'hi' } },
    });
  });

  it('normalizes a pino line', () => {
    const raw = JSON.parse(
      '{"level":30,"time":1705312800123,"pid":42,"hostname":"web-1","req":{"method":"GET","url":"/"},"msg":"request completed\\n"}',
    );
    expect(normalize(raw)).toStrictEqual({
      ok: true,
      event: {
        timestampUs: T + 123_000,
        stream: 'app',
        id: undefined,
        fields: {
          level: 'INFO',
          time: 1_705_312_800_123,
          pid: 42,
          hostname: 'web-1',
          'req.method': 'GET',
          'req.url': '/',
          msg: 'request completed\n',
          host: 'web-1',
          message: 'request completed',
        },
      },
    });
  });

  it('normalizes an ECS document', () => {
    const raw = {
      '@timestamp': '2024-01-15T10:00:00.000Z',
      log: { level: 'warning', logger: 'db' },
      service: { name: 'checkout', version: '1.2.0' },
      host: { name: 'node-7', ip: ['10.0.0.7'] },
      message: 'slow query',
      event: { duration: 1_500_000 },
      tags: ['db', 'slow'],
    };
    expect(fieldsOf(raw)).toStrictEqual({
      'log.level': 'warning',
      'log.logger': 'db',
      'service.name': 'checkout',
      'service.version': '1.2.0',
      'host.name': 'node-7',
      'host.ip': ['10.0.0.7'],
      message: 'slow query',
      'event.duration': 1_500_000,
      tags: ['db', 'slow'],
      level: 'WARN',
      service: 'checkout',
      host: 'node-7',
    });
  });
});

describe('normalizeEvent: rejected input', () => {
  const cases: [string, unknown, NormalizeResult][] = [
    ['a number', 42, { ok: false, reason: 'expected a JSON object, got a number' }],
    ['a string', 'x', { ok: false, reason: 'expected a JSON object, got a string' }],
    ['a boolean', true, { ok: false, reason: 'expected a JSON object, got a boolean' }],
    ['null', null, { ok: false, reason: 'expected a JSON object, got null' }],
    ['an array', [{ a: 1 }], { ok: false, reason: 'expected a JSON object, got an array' }],
    [
      'a bad @timestamp',
      { '@timestamp': '2024-13-01', message: 'x' },
      { ok: false, reason: 'Cannot parse timestamp "2024-13-01": month must be 1-12', field: '@timestamp' },
    ],
    [
      'a bad timestamp',
      { timestamp: 'yesterday' },
      {
        ok: false,
        reason:
          'Cannot parse timestamp "yesterday": expected an ISO 8601 date like 2024-01-15T10:00:00Z or an epoch number',
        field: 'timestamp',
      },
    ],
    [
      'a bad ts',
      { ts: true },
      {
        ok: false,
        reason: 'Cannot parse timestamp true: expected an ISO 8601 string or an epoch number, got a boolean',
        field: 'ts',
      },
    ],
    [
      'a field past a limit',
      { message: 'x'.repeat(32_767) },
      {
        ok: false,
        reason: 'Cannot add field "message": the value is 32767 characters long, the maximum is 32766',
        field: 'message',
      },
    ],
    [
      'an empty field name',
      { a: { '': 1 } },
      { ok: false, reason: 'Cannot add a field with an empty name under "a"', field: 'a' },
    ],
  ];
  it.each(cases)('%s', (_name, raw, expected) => {
    expect(normalize(raw)).toStrictEqual(expected);
  });

  it('applies the limits it is given', () => {
    const limits = { ...DEFAULT_EVENT_LIMITS, maxFields: 2 };
    expect(normalize({ a: 1, b: 2, c: 3 }, { limits })).toStrictEqual({
      ok: false,
      reason: 'Cannot add field "c": the event already has the maximum of 2 fields',
      field: 'c',
    });
  });
});

describe('normalizeEvent: timestamp', () => {
  const cases: [string, Record<string, unknown>, number, Record<string, FieldValue>][] = [
    ['none → received time', { a: 1 }, RECEIVED, { a: 1 }],
    ['@timestamp is consumed', { '@timestamp': '2024-01-15T10:00:00Z' }, T, {}],
    ['timestamp is kept', { timestamp: '2024-01-15T10:00:00Z' }, T, { timestamp: '2024-01-15T10:00:00Z' }],
    ['time in ms is kept', { time: 1_705_312_800_000 }, T, { time: 1_705_312_800_000 }],
    ['ts in seconds is kept', { ts: 1_705_312_800.5 }, T + 500_000, { ts: 1_705_312_800.5 }],
    [
      '@timestamp wins over the others',
      { time: 'not looked at', '@timestamp': '2024-01-15T10:00:00Z' },
      T,
      { time: 'not looked at' },
    ],
    [
      'timestamp wins over time',
      { time: 1, timestamp: '2024-01-15T10:00:00Z' },
      T,
      { time: 1, timestamp: '2024-01-15T10:00:00Z' },
    ],
    ['null counts as absent', { '@timestamp': null, ts: 1_705_312_800 }, T, { ts: 1_705_312_800 }],
    ['nested time is not a timestamp', { event: { time: 'x' } }, RECEIVED, { 'event.time': 'x' }],
  ];
  it.each(cases)('%s', (_name, raw, timestampUs, fields) => {
    const result = normalize(raw);
    expect(result).toStrictEqual({ ok: true, event: { timestampUs, stream: 'app', id: undefined, fields } });
  });
});

describe('normalizeEvent: well-known fields', () => {
  const cases: [string, Record<string, unknown>, Record<string, FieldValue>][] = [
    // level
    ['level canonical', { level: 'INFO' }, { level: 'INFO' }],
    ['level normalized', { level: 'warning' }, { level: 'WARN' }],
    ['pino level number', { level: 50 }, { level: 'ERROR' }],
    ['level unknown kept upper-cased', { level: 'notice2' }, { level: 'NOTICE2' }],
    ['level unknown number kept as text', { level: 99 }, { level: '99' }],
    ['level not a scalar left alone', { level: ['info', 'warn'] }, { level: ['info', 'warn'] }],
    ['log.level alias', { log: { level: 'error' } }, { 'log.level': 'error', level: 'ERROR' }],
    ['dotted log.level alias', { 'log.level': 'dbg' }, { 'log.level': 'dbg', level: 'DEBUG' }],
    ['severity alias', { severity: 'CRITICAL' }, { severity: 'CRITICAL', level: 'FATAL' }],
    ['syslog severity number', { severity: 3 }, { severity: 3, level: 'ERROR' }],
    ['levelname alias', { levelname: 'WARNING' }, { levelname: 'WARNING', level: 'WARN' }],
    ['log_level alias', { log_level: 'info' }, { log_level: 'info', level: 'INFO' }],
    ['loglevel alias', { loglevel: 'trace' }, { loglevel: 'trace', level: 'TRACE' }],
    ['severity_text alias', { severity_text: 'Error' }, { severity_text: 'Error', level: 'ERROR' }],
    [
      'first recognised alias wins',
      { severity: 'debug', levelname: 'ERROR' },
      { severity: 'debug', levelname: 'ERROR', level: 'DEBUG' },
    ],
    [
      'an unknown level yields to an alias',
      { level: 'xyz', severity: 'warn' },
      { level: 'WARN', severity: 'warn' },
    ],
    ['an unknown alias is not a level', { severity: 'high' }, { severity: 'high' }],
    // service
    ['service string', { service: 'api' }, { service: 'api' }],
    [
      'service.name',
      { service: { name: 'api', version: '2' } },
      { 'service.name': 'api', 'service.version': '2', service: 'api' },
    ],
    ['app', { app: 'api' }, { app: 'api', service: 'api' }],
    ['application', { application: 'api' }, { application: 'api', service: 'api' }],
    ['service wins over app', { app: 'b', service: 'a' }, { app: 'b', service: 'a' }],
    ['empty service yields to app', { service: '', app: 'b' }, { service: 'b', app: 'b' }],
    ['non-string service left alone', { service: 7 }, { service: 7 }],
    // host
    ['host string', { host: 'h' }, { host: 'h' }],
    [
      'host.name',
      { host: { name: 'h', ip: '10.0.0.1' } },
      { 'host.name': 'h', 'host.ip': '10.0.0.1', host: 'h' },
    ],
    ['hostname', { hostname: 'h' }, { hostname: 'h', host: 'h' }],
    [
      'host.name wins over hostname',
      { hostname: 'b', host: { name: 'a' } },
      { hostname: 'b', 'host.name': 'a', host: 'a' },
    ],
    // message
    ['msg copied', { msg: 'hello' }, { msg: 'hello', message: 'hello' }],
    [
      'log copied without its newline',
      { log: 'line\n', stream: 'stdout' },
      { log: 'line\n', 'log.iostream': 'stdout', message: 'line' },
    ],
    ['CRLF dropped', { log: 'line\r\n' }, { log: 'line\r\n', message: 'line' }],
    ['only one newline dropped', { msg: 'a\n\n' }, { msg: 'a\n\n', message: 'a\n' }],
    ['msg wins over log', { log: 'b', msg: 'a' }, { log: 'b', msg: 'a', message: 'a' }],
    ['message is not overwritten', { message: 'm', msg: 'x' }, { message: 'm', msg: 'x' }],
    ['an object log is not a message', { log: { level: 'info' } }, { 'log.level': 'info', level: 'INFO' }],
    // stream
    ['stream kept as log.iostream', { stream: 'other', a: 1 }, { a: 1, 'log.iostream': 'other' }],
    ['nested stream kept below it', { stream: { name: 'x' }, a: 1 }, { a: 1, 'log.iostream.name': 'x' }],
    [
      'an existing log.iostream wins',
      { stream: 'stderr', log: { iostream: 'stdout' } },
      { 'log.iostream': 'stdout' },
    ],
    ['stream only dropped at the top', { kafka: { stream: 's' } }, { 'kafka.stream': 's' }],
  ];
  it.each(cases)('%s', (_name, raw, fields) => {
    expect(fieldsOf(raw)).toStrictEqual(fields);
  });
});
