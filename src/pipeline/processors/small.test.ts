import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsed, runPipelineOn, testCatalog } from '../test-support.js';

describe('translate', () => {
  it('maps values through a dictionary, with a fallback', () => {
    const p = [
      {
        translate: {
          field: 'p',
          target: 'log.level',
          dictionary: { D: 'DEBUG', E: 'ERROR' },
          fallback: 'INFO',
        },
      },
    ];
    expect(runPipelineOn({ processors: p }, { message: 'm', p: 'E' }).fields).toMatchObject({
      'log.level': 'ERROR',
      level: 'ERROR',
    });
    expect(runPipelineOn({ processors: p }, { message: 'm', p: 'Q' }).fields['level']).toBe('INFO');
  });
});

describe('syslog_pri', () => {
  it('decodes facility and severity, and the level from the severity', () => {
    expect(
      runPipelineOn({ processors: [{ syslog_pri: {} }] }, { message: 'm', 'log.syslog.priority': 165 })
        .fields,
    ).toEqual({
      message: 'm',
      'log.syslog.priority': 165,
      'log.syslog.facility.code': 20,
      'log.syslog.facility.name': 'local4',
      'log.syslog.severity.code': 5,
      'log.syslog.severity.name': 'notice',
      'log.level': 'notice',
      level: 'INFO',
    });
  });
});

describe('client_ip', () => {
  it.each([
    ['10.0.0.2, 10.0.0.1, 81.2.69.143', '81.2.69.143'],
    ['10.0.0.2, 10.0.0.1, 127.0.0.1', '127.0.0.1'],
    ['2a02:cf40:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121', '2a02:cf40:10ff:f00f::8000'],
    ['localhost, localhost', undefined],
  ])('%s → %s', (chain, ip) => {
    expect(
      runPipelineOn({ processors: [{ client_ip: { field: 'xff' } }] }, { message: 'm', xff: chain }).fields[
        'client.ip'
      ],
    ).toBe(ip);
  });
});

describe('fingerprint', () => {
  it('gives the same id to the same fields, whatever else differs', () => {
    const p = { processors: [{ fingerprint: { fields: ['trace.id', 'message'] } }] };
    const a = runPipelineOn(p, { message: 'charged', 'trace.id': 'abc', other: 1 });
    const b = runPipelineOn(p, { message: 'charged', 'trace.id': 'abc', other: 2 });
    const c = runPipelineOn(p, { message: 'charged', 'trace.id': 'abd' });
    expect(a.id).toMatch(/^[0-9a-f]{40}$/);
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
    const field = runPipelineOn(
      { processors: [{ fingerprint: { fields: ['message'], target: 'event.hash', method: 'SHA256' } }] },
      'x',
    );
    // Each field is hashed as `"name":<JSON value>|`.
    expect(field.fields['event.hash']).toBe(createHash('sha256').update('"message":"x"|').digest('hex'));
  });
});

describe('route', () => {
  it('moves events to a stream named from fields, seeds-style', () => {
    const p = { processors: [{ route: { if: 'tags:error OR level:ERROR', stream: '%{service}-errors' } }] };
    expect(runPipelineOn(p, { message: 'x', level: 'error', service: 'Payments' }).stream).toBe(
      'payments-errors',
    );
    expect(runPipelineOn(p, { message: 'x', level: 'info', service: 'payments' }).stream).toBe('test');
    expect(runPipelineOn(p, { message: 'x', level: 'error' }).fields['tags']).toEqual(['_routefailure']);
  });
});

describe('drop and sample', () => {
  it('drops events that match the condition', () => {
    const p = { processors: [{ drop: { if: 'level:DEBUG' } }, { mutate: { add_tag: ['kept'] } }] };
    expect(runPipelineOn(p, { message: 'x', level: 'debug' }).kind).toBe('dropped');
    expect(runPipelineOn(p, { message: 'x', level: 'info' }).fields['tags']).toEqual(['kept']);
  });

  it('keeps a share of events at random, or consistently by key', () => {
    const p = { processors: [{ sample: { rate: 0.4 } }] };
    expect(runPipelineOn(p, 'x', { catalog: testCatalog({ random: () => 0.39 }) }).kind).toBe('kept');
    expect(runPipelineOn(p, 'x', { catalog: testCatalog({ random: () => 0.41 }) }).kind).toBe('dropped');
    const byKey = { processors: [{ sample: { rate: 0.5, key: 'trace' } }] };
    const kept = Array.from(
      { length: 200 },
      (_, i) => runPipelineOn(byKey, { message: 'x', trace: `t${i}` }).kind === 'kept',
    );
    expect(kept.filter(Boolean).length).toBeGreaterThan(70);
    expect(kept.filter(Boolean).length).toBeLessThan(130);
    expect(runPipelineOn(byKey, { message: 'y', trace: 't7' }).kind).toBe(kept[7] ? 'kept' : 'dropped');
  });
});

describe('pipeline', () => {
  it('runs another pipeline, built-in or not', () => {
    const catalog = testCatalog();
    catalog.set('tagger', { processors: [{ mutate: { add_tag: ['tagged'] } }] }, 'api');
    const fields = runPipelineOn(
      { processors: [{ pipeline: { name: 'app_plain' } }, { pipeline: { name: 'tagger' } }] },
      '2025-10-23 14:32:15 INFO [payment-service] Payment completed',
      { catalog },
    ).fields;
    expect(fields).toMatchObject({
      service: 'payment-service',
      message: 'Payment completed',
      tags: ['info', 'tagged'],
    });
    expect(() => runPipelineOn({ processors: [{ pipeline: { name: 'nope' } }] }, 'x', { catalog })).toThrow(
      /there is no pipeline "nope"/,
    );
  });
});

describe('auto', () => {
  it('recognises a format among the built-in ones, and tags lines it does not know', () => {
    expect(
      parsed([{ auto: {} }], 'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186'),
    ).toMatchObject({
      'event.dataset': 'syslog',
      'process.name': 'sshd',
    });
    expect(parsed([{ auto: { formats: ['redis'] } }], 'Dec 10 06:55:46 LabSZ sshd[24200]: x')).toEqual({
      tags: ['_autoparsefailure'],
    });
    expect(() => parsed([{ auto: { formats: ['cobol'] } }], 'x')).toThrow(
      /there is no built-in format "cobol"/,
    );
  });
});
