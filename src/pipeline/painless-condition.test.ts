import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_LIMITS, normalizeEvent } from '../model/normalize.js';
import { createDoc } from './doc.js';
import { compilePainlessCondition, looksLikePainless } from './painless-condition.js';
import { runPipelineOn, TEST_NOW_US } from './test-support.js';

const event = {
  '@timestamp': '2026-11-21T10:00:00Z',
  message: '{"a":1}',
  event: { dataset: 'nginx.access' },
  http: { response: { status_code: 503 } },
  tags: ['beats', 'edge'],
  user_agent: { original: '-' },
  count: 0,
  enabled: true,
};

function test(condition: string, input: Record<string, unknown> = event): boolean {
  const n = normalizeEvent(input, { stream: 'x', receivedUs: TEST_NOW_US, limits: DEFAULT_EVENT_LIMITS });
  if (!n.ok) throw new Error(n.reason);
  return compilePainlessCondition(condition)(createDoc(n.event), TEST_NOW_US);
}

describe('Painless conditions', () => {
  it('compares fields with literals, null-safe or not', () => {
    expect(test("ctx.event?.dataset == 'nginx.access'")).toBe(true);
    expect(test("ctx?.event?.dataset == 'nginx.error'")).toBe(false);
    expect(test('ctx.event.dataset != "nginx.error"')).toBe(true);
    expect(test('ctx.http.response.status_code >= 500 && ctx.http.response.status_code < 600')).toBe(true);
    expect(test('ctx.http.response.status_code > 503 || ctx.count <= 0')).toBe(true);
    expect(test("ctx['@timestamp'] != null")).toBe(true);
    expect(test("ctx['user_agent']['original'] == '-'")).toBe(true);
    expect(test('ctx.enabled == true && !(ctx.count == 1)')).toBe(true);
  });

  it('sees maps (objects) through the fields below them', () => {
    expect(test('ctx.http != null')).toBe(true);
    expect(test('ctx.http?.request == null')).toBe(true);
    expect(test("ctx.containsKey('event')")).toBe(true);
    expect(test("ctx.http.containsKey('response') && !ctx.http.containsKey('request')")).toBe(true);
    expect(test('ctx.missing?.deeper?.field == null')).toBe(true);
  });

  it('calls the string and list methods pipelines use', () => {
    expect(test("ctx.tags != null && ctx.tags.contains('edge')")).toBe(true);
    expect(test("ctx.tags.contains('core')")).toBe(false);
    expect(test("ctx.message.startsWith('{') && ctx.message.endsWith('}')")).toBe(true);
    expect(test("ctx.event.dataset.contains('access')")).toBe(true);
    expect(test("ctx.event.dataset.toUpperCase() == 'NGINX.ACCESS'")).toBe(true);
    expect(test("ctx.event.dataset.equalsIgnoreCase('NGINX.access')")).toBe(true);
    expect(test('ctx.tags.size() == 2 && ctx.message.length() == 7')).toBe(true);
    expect(test('ctx.tags.isEmpty()')).toBe(false);
    expect(test("' x '.trim() == 'x'")).toBe(true);
  });

  it('is false when a missing field is used (where Painless would fail)', () => {
    expect(test("ctx.nothing.contains('x')")).toBe(false);
    expect(test('!ctx.nothing.isEmpty()')).toBe(false);
    expect(test('ctx.nothing > 1')).toBe(false);
  });

  it('refuses what it does not run, naming it', () => {
    expect(() => compilePainlessCondition("ctx.a = 'x'")).toThrow(/"=" at character 7 is not supported/);
    expect(() => compilePainlessCondition('ctx.message =~ /x/')).toThrow(/not supported/);
    expect(() => compilePainlessCondition('ctx.tags.stream().count() > 0')).toThrow(/the method stream\(\)/);
    expect(() => compilePainlessCondition('params.limit > ctx.count')).toThrow(/"params"/);
    expect(() => compilePainlessCondition("ctx.a == 'unterminated")).toThrow(/unterminated string/);
    expect(() => compilePainlessCondition('ctx.a ==')).toThrow(/ends too early/);
  });

  it('tells Painless from Cairn queries', () => {
    expect(looksLikePainless("ctx.event?.dataset == 'x'")).toBe(true);
    expect(looksLikePainless("ctx['@timestamp'] != null")).toBe(true);
    expect(looksLikePainless("ctx.message == 'a:b'")).toBe(true);
    expect(looksLikePainless('level:ERROR')).toBe(false);
    expect(looksLikePainless('ctx.user:bot')).toBe(false);
    expect(looksLikePainless('status:>=500 AND NOT tags:ctx')).toBe(false);
  });

  it('runs as the if of an Elasticsearch pipeline processor', () => {
    const pipeline = {
      processors: [
        { set: { field: 'kind', value: 'server error', if: 'ctx.http?.response?.status_code >= 500' } },
        { set: { field: 'kind', value: 'ok', if: 'ctx.http?.response?.status_code < 400' } },
        { drop: { if: "ctx.tags != null && ctx.tags.contains('drop-me')" } },
      ],
    };
    expect(runPipelineOn(pipeline, event).fields['kind']).toBe('server error');
    expect(
      runPipelineOn(pipeline, { message: 'x', http: { response: { status_code: 200 } } }).fields['kind'],
    ).toBe('ok');
    expect(runPipelineOn(pipeline, { message: 'x', tags: ['drop-me'] }).kind).toBe('dropped');
    expect(runPipelineOn(pipeline, { message: 'x' }).fields['kind']).toBeUndefined();
  });
});
