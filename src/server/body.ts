import { gunzipSync, inflateSync } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { CairnError } from '../model/errors.js';

/** Request body bytes as sent, after Content-Encoding is undone, limited to `maxBytes`. */
export function decodeBody(req: FastifyRequest, maxBytes: number): Buffer {
  const raw = req.body;
  const body = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .toLowerCase()
    .trim();
  try {
    switch (encoding) {
      case 'identity':
      case '':
        return body;
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body, { maxOutputLength: maxBytes });
      case 'deflate':
        return inflateSync(body, { maxOutputLength: maxBytes });
      default:
        throw new CairnError(
          'unsupported_media_type',
          `Cannot read a body with Content-Encoding "${encoding}": use gzip, deflate or none`,
        );
    }
  } catch (err) {
    if (err instanceof CairnError) throw err;
    if (
      (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ||
      /larger than|too large/i.test(String(err))
    ) {
      throw new CairnError(
        'payload_too_large',
        `The request body is larger than ${maxBytes} bytes once decompressed: send smaller batches or raise limits.maxBodyBytes`,
        { details: { limit: maxBytes } },
      );
    }
    throw new CairnError(
      'bad_request',
      `Cannot decompress the ${encoding} request body: ${(err as Error).message}`,
    );
  }
}

/** The media type without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(req: FastifyRequest): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}

const JSON_TYPES = new Set([
  '',
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonlines',
  'application/x-jsonlines',
  'application/vnd.elasticsearch+json',
  'application/vnd.elasticsearch+x-ndjson',
  'text/json',
  'text/x-ndjson',
]);

export function isJsonMediaType(type: string): boolean {
  return JSON_TYPES.has(type);
}

/** Parses a JSON request body (an empty body is `{}`), or answers 400 naming the problem. */
export function parseJsonBody(buf: Buffer): Record<string, unknown> {
  if (buf.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new CairnError('invalid_json', `The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CairnError('invalid_json', 'The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
