import { describe, expect, it } from 'vitest';
import { invalidIndexReason, streamFromIndex } from './index-name.js';

describe('streamFromIndex', () => {
  const cases: [index: string, stream: string][] = [
    ['logs-2024.01.15', 'logs'],
    ['service-8080', 'service-8080'],
    ['api-v2_1999', 'api-v2'],
    ['filebeat-8.11.0-2024.01.15-000001', 'filebeat-8.11.0'],
    ['filebeat-8.11.0-2024.01.15', 'filebeat-8.11.0'],
    ['filebeat-8.11.0', 'filebeat-8.11.0'],
    ['metricbeat-7.17.16-2024.01.15-000003', 'metricbeat-7.17.16'],
    ['app_20240115', 'app'],
    ['app-20240115', 'app'],
    ['metrics-2024-01', 'metrics'],
    ['metrics-2024.01', 'metrics'],
    ['audit-2024', 'audit'],
    ['logstash-2024.01.15', 'logstash'],
    ['nginx-access-2024-01-15', 'nginx-access'],
    ['k8s.events.2024.01.15', 'k8s.events'],
    ['logs-000001', 'logs'],
    ['my-index', 'my-index'],
    ['logs', 'logs'],
    ['traces-apm-default', 'traces-apm-default'],
    ['logs-nginx.access-production', 'logs-nginx.access-production'],
    ['.kibana_8.11.0_001', '.kibana_8.11.0_001'],
    ['app-v2', 'app-v2'],
    // Nothing would be left: the name stays as it is.
    ['2024.01.15', '2024.01.15'],
    ['-000001', '-000001'],
  ];
  for (const [index, stream] of cases) {
    it(`${index} → ${stream}`, () => {
      expect(streamFromIndex(index)).toBe(stream);
    });
  }

  // A data stream's backing index (`.ds-<data stream>-<date>-<generation>`, what Elasticsearch answers
  // in `_index`) should land in the data stream's own stream, as writes to `logs-generic-default` do;
  // today the `.ds-` prefix is kept, so the same data splits over two streams.
  it('.ds-logs-generic-default-2024.01.15-000001 → logs-generic-default (the data stream)', () => {
    expect(streamFromIndex('.ds-logs-generic-default-2024.01.15-000001')).toBe(
      streamFromIndex('logs-generic-default'),
    );
  });

  it('strips the date and generation from a .ds- backing index', () => {
    expect(streamFromIndex('.ds-logs-generic-default-2024.01.15-000001')).toMatch(/logs-generic-default$/);
  });
});

describe('invalidIndexReason', () => {
  const CHARS = 'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?, #, :]';
  const cases: [index: string, reason: string | null][] = [
    ['logs-2024.01.15', null],
    ['.ds-logs-generic-default-2024.01.15-000001', null],
    ['filebeat-8.11.0-2024.01.15-000001', null],
    ['a', null],
    ['x'.repeat(255), null],
    ['é'.repeat(127), null],
    ['', 'must not be empty'],
    ['Logs', 'must be lowercase'],
    ['logs-ÄB', 'must be lowercase'],
    ['logs*', CHARS],
    ['logs?', CHARS],
    ['a b', CHARS],
    ['a,b', CHARS],
    ['a"b', CHARS],
    ['a\\b', CHARS],
    ['a/b', CHARS],
    ['a<b', CHARS],
    ['a>b', CHARS],
    ['a|b', CHARS],
    ['a#b', CHARS],
    ['cluster:index', CHARS],
    ['_internal', "must not start with '_', '-', or '+'"],
    ['-logs', "must not start with '_', '-', or '+'"],
    ['+logs', "must not start with '_', '-', or '+'"],
    ['.', "must not be '.' or '..'"],
    ['..', "must not be '.' or '..'"],
    ['x'.repeat(256), 'index name is too long, (> 255)'],
    // 128 two-byte characters: 128 characters but 256 bytes.
    ['é'.repeat(128), 'index name is too long, (> 255)'],
  ];
  for (const [index, reason] of cases) {
    it(`${index.length > 20 ? `${index.slice(0, 8)}… (${index.length} chars)` : JSON.stringify(index)} → ${reason ?? 'valid'}`, () => {
      expect(invalidIndexReason(index)).toBe(reason);
    });
  }
});
