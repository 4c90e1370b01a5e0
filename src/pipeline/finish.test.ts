import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../model/event.js';
import { DEFAULT_EVENT_LIMITS, normalizeEvent } from '../model/normalize.js';
import { createDoc, setField } from './doc.js';
import { finishEvent } from './finish.js';

const CASES: Record<string, FieldValue>[] = [
  { message: 'x', 'log.level': 'warning' },
  { message: 'x', level: 'notice2' },
  { message: 'x', severity: 'high', levelname: 'CRITICAL' },
  { message: 'x', 'service.name': 'api', app: 'other', hostname: 'h1' },
  { msg: 'from pino\n', level: 30, application: 'billing' },
  { log: 'docker line', 'host.name': 'node-1', severity_text: 'Error' },
  { message: 'x', service: '', app: 'fallback', host: '', 'host.name': 'real' },
  { message: 'x', log_level: 'dbg', loglevel: 'error' },
];

describe('finishEvent derives well-known fields exactly as normalizeEvent does', () => {
  for (const fields of CASES) {
    it(JSON.stringify(fields), () => {
      const full = normalizeEvent(fields, { stream: 's', receivedUs: 1, limits: DEFAULT_EVENT_LIMITS });
      const start = normalizeEvent(
        { message: 'seed' },
        { stream: 's', receivedUs: 1, limits: DEFAULT_EVENT_LIMITS },
      );
      if (!full.ok || !start.ok) throw new Error('setup');
      // Start from a plain event and let a "pipeline" write the fields.
      const doc = createDoc(start.event);
      delete doc.event.fields['message'];
      for (const [k, v] of Object.entries(fields)) setField(doc, k, v);
      const done = finishEvent(doc, DEFAULT_EVENT_LIMITS);
      expect(done.kind).toBe('kept');
      if (done.kind === 'kept') expect({ ...done.event.fields }).toEqual({ ...full.event.fields });
    });
  }

  it('checks the limits for what the pipeline wrote', () => {
    const start = normalizeEvent(
      { message: 'm' },
      { stream: 's', receivedUs: 1, limits: DEFAULT_EVENT_LIMITS },
    );
    if (!start.ok) throw new Error('setup');
    const doc = createDoc(start.event);
    setField(doc, 'big', 'x'.repeat(40_000));
    expect(finishEvent(doc, DEFAULT_EVENT_LIMITS)).toEqual({
      kind: 'rejected',
      reason: 'Cannot add field "big": the value is 40000 characters long, the maximum is 32766',
      field: 'big',
    });
  });
});
