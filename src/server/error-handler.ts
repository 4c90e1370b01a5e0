import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CairnError, type ErrorCode } from '../model/errors.js';

/** Routes outside these prefixes speak Elasticsearch and get its error shape. */
const CAIRN_PREFIXES = ['/api/', '/health', '/ready', '/metrics', '/docs'];

export function isCairnRoute(url: string): boolean {
  return CAIRN_PREFIXES.some((p) => url.startsWith(p));
}

/** Maps Fastify's own errors (body too large, bad content type…) into the CairnError family. */
export function toCairnError(err: unknown): CairnError {
  if (err instanceof CairnError) return err;
  const fe = err as FastifyError;
  const byCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
    FST_ERR_VALIDATION: 'bad_request',
  };
  const code = fe?.code ? byCode[fe.code] : undefined;
  if (code === 'payload_too_large') {
    return new CairnError(
      code,
      'The request body is too large: send smaller batches or raise limits.maxBodyBytes',
      {
        cause: err,
      },
    );
  }
  if (code) return new CairnError(code, fe.message, { cause: err });
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new CairnError('bad_request', fe.message, { cause: err });
  }
  return new CairnError('internal', 'Internal error: see the server log for details', { cause: err });
}

const ES_TYPES: Partial<Record<ErrorCode, string>> = {
  invalid_json: 'x_content_parse_exception',
  payload_too_large: 'content_too_long_exception',
  too_many_requests: 'es_rejected_execution_exception',
  not_found: 'resource_not_found_exception',
  unsupported_media_type: 'media_type_header_exception',
  invalid_query: 'query_shard_exception',
  internal: 'exception',
};

export function renderError(err: CairnError, req: FastifyRequest, reply: FastifyReply) {
  const retry = err.details?.['retryAfterSeconds'];
  if (err.status === 429) reply.header('Retry-After', String(typeof retry === 'number' ? retry : 1));
  reply.status(err.status);
  if (isCairnRoute(req.url)) {
    return { error: { code: err.code, message: err.message, details: err.details ?? {}, requestId: req.id } };
  }
  const type =
    (err.details?.['esType'] as string | undefined) ?? ES_TYPES[err.code] ?? 'illegal_argument_exception';
  const cause = { type, reason: err.message };
  return { error: { root_cause: [cause], ...cause }, status: err.status };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, req, reply) => {
    const err = toCairnError(error);
    if (err.status >= 500) req.log.error({ err: error }, err.message);
    else req.log.info({ code: err.code, status: err.status }, err.message);
    return reply.send(renderError(err, req, reply));
  });
  app.setNotFoundHandler((req, reply) => {
    const err = new CairnError('not_found', `No route for ${req.method} ${req.url.split('?')[0]}`);
    if (!isCairnRoute(req.url)) {
      // Elasticsearch answers unknown endpoints with 400 (or 405) incorrect HTTP method; 404 is clearer.
      reply.status(404);
    }
    return reply.send(renderError(err, req, reply));
  });
}
