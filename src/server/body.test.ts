import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../model/errors.js';
import { decodeBody, isJsonMediaType, mediaType, parseJsonBody } from './body.js';

/** The two members of a request decodeBody and mediaType read. */
function request(body: unknown, headers: Record<string, string> = {}): FastifyRequest {
  return { body, headers } as any;
}

function caught(fn: () => unknown): CairnError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    return err as CairnError;
  }
  throw new Error('expected a CairnError');
}

const TEXT = '{"message":"hello"}\n'.repeat(100);
const RAW = Buffer.from(TEXT);

describe('decodeBody', () => {
  const cases: { name: string; encoding?: string; body: Buffer }[] = [
    { name: 'no Content-Encoding', body: RAW },
    { name: 'identity', encoding: 'identity', body: RAW },
    { name: 'an empty Content-Encoding', encoding: '', body: RAW },
    { name: 'gzip', encoding: 'gzip', body: gzipSync(RAW) },
    { name: 'x-gzip', encoding: 'x-gzip', body: gzipSync(RAW) },
    { name: 'GZIP in capitals with spaces', encoding: ' GZIP ', body: gzipSync(RAW) },
    { name: 'deflate (zlib-wrapped)', encoding: 'deflate', body: deflateSync(RAW) },
  ];
  for (const c of cases) {
    it(`decodes ${c.name}`, () => {
      const headers: Record<string, string> =
        c.encoding !== undefined ? { 'content-encoding': c.encoding } : {};
      const out = decodeBody(request(c.body, headers), 1024 * 1024);
      expect(out.toString('utf8')).toBe(TEXT);
    });
  }

  it('reads a missing or non-buffer body as empty', () => {
    expect(decodeBody(request(undefined), 10).length).toBe(0);
    expect(decodeBody(request('a string'), 10).length).toBe(0);
  });

  it('accepts a decompressed body of exactly the limit', () => {
    expect(decodeBody(request(gzipSync(RAW), { 'content-encoding': 'gzip' }), RAW.length).length).toBe(
      RAW.length,
    );
  });

  for (const [encoding, compress] of [
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ] as const) {
    it(`answers 413 when the ${encoding} body decompresses past the limit`, () => {
      const bomb = compress(Buffer.alloc(1_000_000, 'a'));
      expect(bomb.length).toBeLessThan(10_000);
      const err = caught(() => decodeBody(request(bomb, { 'content-encoding': encoding }), 100_000));
      expect({
        code: err.code,
        status: err.status,
        message: err.message,
        details: err.details,
      }).toStrictEqual({
        code: 'payload_too_large',
        status: 413,
        message:
          'The request body is larger than 100000 bytes once decompressed: send smaller batches or raise limits.maxBodyBytes',
        details: { limit: 100_000 },
      });
    });
  }

  it('answers 413 one byte past the limit', () => {
    const err = caught(() =>
      decodeBody(request(gzipSync(RAW), { 'content-encoding': 'gzip' }), RAW.length - 1),
    );
    expect(err.status).toBe(413);
  });

  it('answers 415 for an unknown encoding', () => {
    const err = caught(() => decodeBody(request(RAW, { 'content-encoding': 'br' }), 1000));
    expect({ code: err.code, status: err.status, message: err.message }).toStrictEqual({
      code: 'unsupported_media_type',
      status: 415,
      message: 'Cannot read a body with Content-Encoding "br": use gzip, deflate or none',
    });
  });

  const broken: { name: string; encoding: string; body: Buffer }[] = [
    { name: 'gzip that is not gzip', encoding: 'gzip', body: RAW },
    { name: 'truncated gzip', encoding: 'gzip', body: gzipSync(RAW).subarray(0, 20) },
    { name: 'raw deflate sent as deflate', encoding: 'deflate', body: deflateRawSync(RAW) },
  ];
  for (const c of broken) {
    it(`answers 400 for ${c.name}`, () => {
      const err = caught(() => decodeBody(request(c.body, { 'content-encoding': c.encoding }), 1_000_000));
      expect(err.code).toBe('bad_request');
      expect(err.status).toBe(400);
      expect(err.message.startsWith(`Cannot decompress the ${c.encoding} request body: `)).toBe(true);
    });
  }
});

describe('mediaType and isJsonMediaType', () => {
  const cases: [header: string | undefined, type: string, json: boolean][] = [
    [undefined, '', true],
    ['application/json', 'application/json', true],
    ['Application/JSON; charset=utf-8', 'application/json', true],
    ['application/x-ndjson', 'application/x-ndjson', true],
    [
      'application/vnd.elasticsearch+x-ndjson; compatible-with=8',
      'application/vnd.elasticsearch+x-ndjson',
      true,
    ],
    ['text/plain', 'text/plain', false],
    ['application/xml', 'application/xml', false],
  ];
  for (const [header, type, json] of cases) {
    it(`${header ?? '(none)'} → ${type || '(empty)'}, JSON: ${json}`, () => {
      const t = mediaType(request(RAW, header !== undefined ? { 'content-type': header } : {}));
      expect(t).toBe(type);
      expect(isJsonMediaType(t)).toBe(json);
    });
  }
});

describe('parseJsonBody', () => {
  it('reads an empty body as {}', () => {
    expect(parseJsonBody(Buffer.alloc(0))).toStrictEqual({});
  });

  it('parses an object', () => {
    expect(parseJsonBody(Buffer.from('{"query":"x","size":5}'))).toStrictEqual({ query: 'x', size: 5 });
  });

  const bad: { body: string; message: string }[] = [
    { body: '[1]', message: 'The request body must be a JSON object' },
    { body: 'null', message: 'The request body must be a JSON object' },
    { body: '"text"', message: 'The request body must be a JSON object' },
    { body: '{"a":', message: 'The request body is not valid JSON: Unexpected end of JSON input' },
    { body: ' ', message: 'The request body is not valid JSON: Unexpected end of JSON input' },
  ];
  for (const c of bad) {
    it(`rejects ${JSON.stringify(c.body)}`, () => {
      const err = caught(() => parseJsonBody(Buffer.from(c.body)));
      expect({ code: err.code, status: err.status, message: err.message }).toStrictEqual({
        code: 'invalid_json',
        status: 400,
        message: c.message,
      });
    });
  }
});
