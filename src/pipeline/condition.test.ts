import { describe, expect, it } from 'vitest';
import type { Scalar } from '../model/event.js';
import { createFieldMap } from '../model/flatten.js';
import { compileCondition } from './condition.js';
import { createDoc } from './doc.js';
import { TEST_NOW_US } from './test-support.js';

const EVENT: Record<string, Scalar | Scalar[]> = {
  message: 'Connection refused while connecting to upstream 10.0.0.5',
  level: 'ERROR',
  'http.response.status_code': 503,
  response: '404',
  responsetime: '5012.5',
  'client.ip': '10.1.2.3',
  'client.geo.country_iso_code': 'GB',
  tags: ['nginx', 'prod'],
  'fields.log_type': 'nginx',
  ok: false,
};

function matches(query: string): boolean {
  const fields = createFieldMap();
  Object.assign(fields, EVENT);
  const doc = createDoc({ timestampUs: TEST_NOW_US - 3_600_000_000, stream: 'web', fields });
  return compileCondition(query, TEST_NOW_US)(doc, TEST_NOW_US);
}

describe('if: conditions', () => {
  it.each([
    ['level:ERROR', true],
    ['level:error', false],
    ['message:refused', true],
    ['message:REFUSED', true],
    ['refused', true],
    ['"connection refused"', true],
    ['message:"refused connection"', false],
    ['message:conn*', true],
    ['message:/conn.*/', true],
    ['http.response.status_code:503', true],
    ['http.response.status_code:>=500', true],
    ['http.response.status_code:[400 TO 499]', false],
    ['response:>=400 AND response:<500', true],
    ['responsetime:>5000', true],
    ['tags:prod', true],
    ['tags:staging', false],
    ['NOT tags:staging', true],
    ['fields.log_type:nginx AND level:(ERROR OR FATAL)', true],
    ['client.ip:10.0.0.0/8', true],
    ['client.ip:192.168.0.0/16', false],
    ['_exists_:client.geo', true],
    ['_exists_:client.geo.city_name', false],
    ['client.*:GB', true],
    ['NOT missing:x', true],
    ['missing:x', false],
    ['ok:false', true],
    ['@timestamp:>now-2h', true],
    ['@timestamp:>now-30m', false],
    ['stream:web', true],
    ['*', true],
  ])('%s → %s', (query, want) => {
    expect(matches(query)).toBe(want);
  });

  it('rejects a malformed query with the query language error', () => {
    expect(() => compileCondition('status:(', TEST_NOW_US)).toThrow(/line 1/);
  });
});
