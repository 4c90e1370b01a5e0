/**
 * The one error family of Cairn. Every error that reaches a client is a CairnError with a stable
 * `code`, an HTTP `status` and a message a person can act on. Backends translate driver errors at
 * their boundary; the server's error handler renders them.
 */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'invalid_event'
  | 'invalid_query'
  | 'invalid_time_range'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'not_found'
  | 'too_many_requests'
  | 'data_dir_locked'
  | 'store_unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  invalid_event: 400,
  invalid_query: 400,
  invalid_time_range: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  not_found: 404,
  too_many_requests: 429,
  data_dir_locked: 409,
  store_unavailable: 503,
  internal: 500,
};

export class CairnError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CairnError';
    this.code = code;
    this.status = STATUS[code];
    this.details = options.details;
  }
}

export function isCairnError(err: unknown): err is CairnError {
  return err instanceof CairnError;
}

/** Exhaustiveness check for `switch` over discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new CairnError('internal', `Unhandled ${what}: ${JSON.stringify(value)}`);
}
