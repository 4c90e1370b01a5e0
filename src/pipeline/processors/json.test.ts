import { describe, expect, it } from 'vitest';
import { runPipelineOn } from '../test-support.js';

describe('json', () => {
  it('parses into the top level: nested keys flattened, level and time derived as on ingest', () => {
    const line =
      '{"timestamp": "2025-10-23 14:35:22", "level": "ERROR", "service": "payment-service", "message": "Payment gateway unavailable", "http": {"status": 503}}';
    const r = runPipelineOn({ processors: [{ json: { source: 'message' } }] }, line);
    expect(r.timestamp).toBe('2025-10-23T14:35:22.000Z');
    expect(r.fields).toEqual({
      timestamp: '2025-10-23 14:35:22',
      level: 'ERROR',
      service: 'payment-service',
      message: 'Payment gateway unavailable',
      'http.status': 503,
    });
  });

  it('parses into a target field', () => {
    const r = runPipelineOn(
      { processors: [{ json: { field: 'payload', target: 'order' } }] },
      {
        message: 'order placed',
        payload: '{"id": 7, "items": ["a", "b"]}',
      },
    );
    expect(r.fields).toEqual({
      message: 'order placed',
      payload: '{"id": 7, "items": ["a", "b"]}',
      'order.id': 7,
      'order.items': ['a', 'b'],
    });
  });

  it('tags text that is not JSON, or skips it with skip_on_invalid_json', () => {
    expect(runPipelineOn({ processors: [{ json: {} }] }, 'plain').fields).toEqual({
      message: 'plain',
      tags: ['_jsonparsefailure'],
    });
    expect(
      runPipelineOn({ processors: [{ json: { skip_on_invalid_json: true } }] }, '{broken').fields,
    ).toEqual({
      message: '{broken',
    });
  });
});
