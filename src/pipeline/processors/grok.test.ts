import { describe, expect, it } from 'vitest';
import { parsed, runPipelineOn } from '../test-support.js';

const grok = (options: Record<string, unknown>, line: string) => parsed([{ grok: options }], line);

describe('grok', () => {
  it('tries patterns in order and keeps the first match, converting :int and :float', () => {
    const options = {
      patterns: ['^%{WORD:verb} %{INT:count:int}$', '^%{WORD:verb} %{NUMBER:ratio:float}$'],
    };
    expect(grok(options, 'retry 3')).toEqual({ verb: 'retry', count: 3 });
    expect(grok(options, 'scale 0.75')).toEqual({ verb: 'scale', ratio: 0.75 });
  });

  it("reads Logstash's match form and custom pattern definitions", () => {
    const options = {
      match: { message: '^%{ORDER:order.id} took %{NUMBER:duration_ms:int}ms$' },
      pattern_definitions: { ORDER: 'order_[0-9]+' },
    };
    expect(grok(options, 'order_45231 took 120ms')).toEqual({ 'order.id': 'order_45231', duration_ms: 120 });
  });

  it("captures Oniguruma named groups, as in the seeds' exception rule", () => {
    const options = {
      field: 'log_message',
      patterns: [
        '(?<error_type>Exception|Error|Fault).*?(?<error_class>[A-Za-z][A-Za-z0-9]*(?:Exception|Error))',
      ],
    };
    const { fields } = runPipelineOn(
      { processors: [{ grok: options }] },
      { message: 'x', log_message: 'Error while charging: CardDeclinedException: insufficient funds' },
    );
    expect(fields).toMatchObject({ error_type: 'Error', error_class: 'CardDeclinedException' });
  });

  it('tags a line no pattern matches with _grokparsefailure and keeps it', () => {
    const result = runPipelineOn({ processors: [{ grok: { patterns: ['^%{INT:n}$'] } }] }, 'not a number');
    expect(result.kind).toBe('kept');
    expect(result.fields).toEqual({ message: 'not a number', tags: ['_grokparsefailure'] });
  });

  it('uses tag_on_failure when given, and none with []', () => {
    const line = 'no';
    const custom = parsed([{ grok: { patterns: ['^%{INT:n}$'], tag_on_failure: ['_badline'] } }], line);
    expect(custom).toEqual({ tags: ['_badline'] });
    expect(parsed([{ grok: { patterns: ['^%{INT:n}$'], tag_on_failure: [] } }], line)).toEqual({});
  });

  it('fails on a missing field unless ignore_missing', () => {
    expect(parsed([{ grok: { field: 'nope', patterns: ['x'] } }], 'a')).toEqual({
      tags: ['_grokparsefailure'],
    });
    expect(parsed([{ grok: { field: 'nope', patterns: ['x'], ignore_missing: true } }], 'a')).toEqual({});
  });

  it('leaves out optional parts that did not match and empty captures unless keep_empty_captures', () => {
    const options = { patterns: ['^%{WORD:a}(?: %{WORD:b})?:%{DATA:c}$'] };
    expect(grok(options, 'x:')).toEqual({ a: 'x' });
    expect(grok({ ...options, keep_empty_captures: true }, 'x:')).toEqual({ a: 'x', c: '' });
  });

  it('with break_on_match false, applies every pattern that matches', () => {
    const options = { patterns: ['user=%{WORD:user.name}', 'ip=%{IP:client.ip}'], break_on_match: false };
    expect(grok(options, 'login ip=10.0.0.1 user=ana')).toEqual({
      'user.name': 'ana',
      'client.ip': '10.0.0.1',
    });
  });

  it('writes the index of the matching pattern to @metadata with trace_match', () => {
    const { fields } = runPipelineOn(
      {
        processors: [
          { grok: { patterns: ['^a', '^b'], trace_match: true } },
          { mutate: { add_field: { which: '%{@metadata._grok_match_index}' } } },
        ],
      },
      'bee',
    );
    expect(fields['which']).toBe('1');
  });

  it('lets GREEDYDATA span lines with a leading (?m), as Logstash multiline configs do', () => {
    const line = 'ERROR boom\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)';
    expect(grok({ patterns: ['(?m)^%{LOGLEVEL:lvl} %{GREEDYDATA:rest}'] }, line)).toEqual({
      lvl: 'ERROR',
      rest: 'boom\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)',
    });
  });

  it('writes @metadata captures that are never stored', () => {
    const { fields } = runPipelineOn(
      {
        processors: [
          { grok: { patterns: ['^%{WORD:@metadata.kind} %{GREEDYDATA:rest}'] } },
          { mutate: { add_field: { kind_copy: '%{@metadata.kind}' } } },
        ],
      },
      'audit everything fine',
    );
    expect(fields).toEqual({ message: 'audit everything fine', rest: 'everything fine', kind_copy: 'audit' });
  });

  it('renames captures of library patterns with rename_captures', () => {
    expect(
      grok(
        {
          patterns: ['^%{SYSLOGBASE}'],
          rename_captures: { timestamp: 'syslog.time', 'host.name': 'origin' },
        },
        'Jun 14 15:16:01 combo sshd[19939]:',
      ),
    ).toEqual({
      'syslog.time': 'Jun 14 15:16:01',
      origin: 'combo',
      'process.name': 'sshd',
      'process.pid': 19939,
    });
  });
});
