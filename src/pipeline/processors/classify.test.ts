import { describe, expect, it } from 'vitest';
import { runPipelineOn } from '../test-support.js';

const classify = (input: Record<string, unknown>, options: Record<string, unknown> = {}) =>
  runPipelineOn({ processors: [{ classify: options }] }, { message: 'm', ...input }).fields;

describe('classify', () => {
  it.each([
    [{ level: 'FATAL' }, ['error']],
    [{ level: 'error' }, ['error']],
    [{ 'log.level': 'warning' }, ['warning']],
    [{ level: 'INFO' }, ['info']],
    [{ level: 'debug' }, ['debug']],
    [{ 'http.response.status_code': 404 }, ['client_error']],
    [{ response: '503' }, ['server_error']],
    [{ 'http.response.status_code': 429 }, ['client_error', 'rate_limited']],
    [{ responsetime: 5001 }, ['slow_response']],
    [{ 'http.response.time_ms': 5000 }, undefined],
    [{ 'nginx.access.request_time': 6.5 }, ['slow_response']],
    [
      { level: 'ERROR', 'http.response.status_code': 500, duration_ms: 9000 },
      ['error', 'server_error', 'slow_response'],
    ],
  ])('%j → tags %j', (input, tags) => {
    expect(classify(input)['tags']).toEqual(tags);
  });

  it('extracts the exception class and its kind from error events only', () => {
    const error = classify({
      level: 'ERROR',
      message:
        'Order failed\njava.lang.NullPointerException: Cannot invoke "String.length()"\n\tat a.B.c(B.java:1)',
    });
    expect(error).toMatchObject({ error_class: 'NullPointerException', error_type: 'Exception' });
    expect(classify({ level: 'ERROR', message: 'KeyError: user_id' })).toMatchObject({
      error_class: 'KeyError',
      error_type: 'Error',
    });
    expect(classify({ level: 'INFO', message: 'Handled IOException' })['error_class']).toBeUndefined();
    expect(
      classify({ level: 'INFO', message: 'Handled IOException' }, { errors_only: false })['error_class'],
    ).toBe('IOException');
  });

  it('takes its own threshold and fields', () => {
    expect(
      classify({ took: 0.3 }, { duration_fields: { took: 's' }, slow_threshold_ms: 200 })['tags'],
    ).toEqual(['slow_response']);
  });
});
