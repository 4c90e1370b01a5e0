import type { Event } from '../model/event.js';
import { describeJsonType } from '../model/json-type.js';
import { type EventLimits, normalizeEvent } from '../model/normalize.js';
import { describeJsonError, forEachLine } from './lines.js';

export interface Rejection {
  /** 1-based line of NDJSON, or 1-based position in a JSON array. */
  line: number;
  reason: string;
  field?: string;
}

export interface DecodedBody {
  events: Event[];
  rejected: Rejection[];
}

export interface DecodeOptions {
  stream: string;
  receivedUs: number;
  limits: EventLimits;
}

/**
 * Decodes `/api/v1/ingest` bodies: one JSON object, a JSON array of objects, or NDJSON (one object
 * per line; blank lines skipped). Bad entries are rejected individually with the line and reason;
 * the good ones are kept.
 */
export function decodeJsonBody(body: string, opts: DecodeOptions): DecodedBody {
  const out: DecodedBody = { events: [], rejected: [] };
  const first = firstNonSpace(body);
  if (first === '[') {
    // One JSON array of events; when the body does not parse as one, it is NDJSON whose first line is an array.
    const whole = tryParse(body);
    if (whole.ok && Array.isArray(whole.value)) {
      const items = whole.value;
      for (let i = 0; i < items.length; i++) accept(items[i], i + 1, opts, out);
      return out;
    }
  }
  if (first === '{') {
    // One (possibly pretty-printed) object; NDJSON fails this fast, at its second line.
    const whole = tryParse(body);
    if (whole.ok) {
      accept(whole.value, 1, opts, out);
      return out;
    }
  }
  forEachLine(body, (line, lineNumber) => {
    if (firstNonSpace(line) === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      out.rejected.push({ line: lineNumber, reason: describeJsonError(err) });
      return;
    }
    accept(parsed, lineNumber, opts, out);
  });
  return out;
}

function accept(value: unknown, line: number, opts: DecodeOptions, out: DecodedBody): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.rejected.push({ line, reason: `expected a JSON object, got ${describeJsonType(value)}` });
    return;
  }
  const result = normalizeEvent(value, {
    stream: opts.stream,
    receivedUs: opts.receivedUs,
    limits: opts.limits,
  });
  if (result.ok) out.events.push(result.event);
  else out.rejected.push({ line, reason: result.reason, ...(result.field ? { field: result.field } : {}) });
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function firstNonSpace(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') return c;
  }
  return '';
}

/** Decodes `text/plain` bodies: one event per non-blank line, the line as its `message`. */
export function decodeTextLines(text: string, opts: DecodeOptions): DecodedBody {
  const events: Event[] = [];
  const rejected: Rejection[] = [];
  forEachLine(text, (line, lineNumber) => {
    if (line.trim() === '') return;
    const result = normalizeEvent({ message: line }, opts);
    if (result.ok) events.push(result.event);
    else
      rejected.push({
        line: lineNumber,
        reason: result.reason,
        ...(result.field ? { field: result.field } : {}),
      });
  });
  return { events, rejected };
}
