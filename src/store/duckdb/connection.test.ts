import { describe, expect, it } from 'vitest';
import { translateQueryError } from './connection.js';

describe('translateQueryError', () => {
  it('answers a query that outgrows the buffer pool with 429 and the setting to raise', () => {
    const err = translateQueryError(
      new Error('Out of Memory Error: failed to pin block of size 256.0 KiB (124.0 MiB/122.0 MiB used)'),
      'Aggregation',
    );
    expect(err.status).toBe(429);
    expect(err.code).toBe('too_many_requests');
    expect(err.message).toContain('Aggregation needs more memory');
    expect(err.message).toContain('--memory-limit-mb');
  });

  it('keeps other store failures internal', () => {
    expect(translateQueryError(new Error('IO Error: disk gone'), 'Search').status).toBe(500);
  });
});
