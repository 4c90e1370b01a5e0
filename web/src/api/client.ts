import type {
  AggregateResult,
  ApiErrorBody,
  Dashboard,
  DashboardInput,
  DashboardSummary,
  FieldsResult,
  Hit,
  SearchResult,
  StreamInfo,
  TermsAgg,
  TopValue,
} from './types.js';

/** An error answer of the API, with the server's message and details (position of a query error…). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Offset of the problem in the query text, when the server names one. */
  get position(): number | null {
    const p = this.details['position'];
    return typeof p === 'number' ? p : null;
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

async function request<T>(
  method: string,
  path: string,
  opts: { body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers:
        opts.body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, 'network', 'Cannot reach the Cairn server: check that it is running, then retry');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below
  }
  if (!res.ok) {
    const e = (body as ApiErrorBody | null)?.error;
    throw new ApiError(
      res.status,
      e?.code ?? 'http_error',
      e?.message ?? `The server answered ${res.status} ${res.statusText}`,
      e?.details ?? {},
    );
  }
  if (body === null)
    throw new ApiError(res.status, 'bad_response', 'The server answered with something that is not JSON');
  return body as T;
}

export interface SearchParams {
  q: string;
  from: string;
  to: string;
  limit?: number;
  sort?: string;
  cursor?: string;
  stream?: string;
  track_total_hits?: number;
}

/** Searches started before the page rendered (see prefetchSearch), each used once. */
const prefetched = new Map<string, Promise<SearchResult>>();

/**
 * Starts a search while the app is still booting, so the answer is on its way by the time the page
 * asks for it (the first load of Discover: the request then overlaps the JavaScript start-up).
 */
export function prefetchSearch(p: SearchParams): void {
  const path = `/api/v1/search?${qs(p)}`;
  const pending = request<SearchResult>('GET', path);
  pending.catch(() => undefined);
  prefetched.set(path, pending);
  // Not asked for within a few seconds (the page changed): drop it.
  setTimeout(() => prefetched.delete(path), 5000);
}

function qs(params: object): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') out.set(k, String(v));
  return out.toString();
}

export const api = {
  search: (p: SearchParams, signal?: AbortSignal) => {
    const path = `/api/v1/search?${qs(p)}`;
    const early = prefetched.get(path);
    prefetched.delete(path);
    return early ?? request<SearchResult>('GET', path, signal ? { signal } : {});
  },
  aggregate: (
    body: { q: string; from: string; to: string; stream?: string; aggs: Record<string, unknown> },
    signal?: AbortSignal,
  ) => request<AggregateResult>('POST', '/api/v1/aggregate', { body, ...(signal ? { signal } : {}) }),
  fields: (p: { from: string; to: string; stream?: string; top?: number }, signal?: AbortSignal) =>
    request<FieldsResult>('GET', `/api/v1/fields?${qs(p)}`, signal ? { signal } : {}),
  /** The 10 most frequent values of a field in a time range (exact counts), for autocomplete. */
  topValues: async (p: { field: string; from: string; to: string; stream?: string }): Promise<TopValue[]> => {
    const res = await request<AggregateResult>('POST', '/api/v1/aggregate', {
      body: {
        q: '',
        from: p.from,
        to: p.to,
        ...(p.stream ? { stream: p.stream } : {}),
        aggs: { top: { terms: { field: p.field, size: 10 } } },
      },
    });
    const top = res.aggregations['top'] as TermsAgg | undefined;
    return (top?.buckets ?? []).map((b) => ({ value: b.key, count: b.doc_count }));
  },
  streams: (signal?: AbortSignal) =>
    request<{ streams: StreamInfo[] }>('GET', '/api/v1/streams', signal ? { signal } : {}),
  dashboards: {
    list: (signal?: AbortSignal) =>
      request<{ dashboards: DashboardSummary[] }>('GET', '/api/v1/dashboards', signal ? { signal } : {}),
    get: (id: string, signal?: AbortSignal) =>
      request<{ dashboard: Dashboard }>(
        'GET',
        `/api/v1/dashboards/${encodeURIComponent(id)}`,
        signal ? { signal } : {},
      ),
    create: (d: DashboardInput) =>
      request<{ dashboard: Dashboard }>('POST', '/api/v1/dashboards', { body: d }),
    save: (id: string, d: DashboardInput) =>
      request<{ dashboard: Dashboard }>('PUT', `/api/v1/dashboards/${encodeURIComponent(id)}`, { body: d }),
    remove: (id: string) => request<void>('DELETE', `/api/v1/dashboards/${encodeURIComponent(id)}`),
    duplicate: (id: string) =>
      request<{ dashboard: Dashboard }>('POST', `/api/v1/dashboards/${encodeURIComponent(id)}/_duplicate`),
    exportOf: (id: string) => request<unknown>('GET', `/api/v1/dashboards/${encodeURIComponent(id)}/_export`),
    import: (file: unknown) =>
      request<{ dashboard: Dashboard }>('POST', '/api/v1/dashboards/_import', { body: file }),
  },
  /** Any other JSON endpoint (pages added by later work, e.g. pipelines). */
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, signal ? { signal } : {}),
  post: <T>(path: string, body: unknown, signal?: AbortSignal) =>
    request<T>('POST', path, { body, ...(signal ? { signal } : {}) }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
};

export interface TailHandlers {
  onHits(hits: Hit[], skipped: boolean): void;
  onError(err: ApiError): void;
}

/**
 * Live tail: reads the server's event stream with fetch (not EventSource) so that a refused query
 * comes back as the API's error, with its message. Resolves when the stream ends or is aborted.
 */
export async function tail(
  p: { q: string; stream?: string; backlog?: number },
  handlers: TailHandlers,
  signal: AbortSignal,
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/tail?${qs(p)}`, { headers: { accept: 'text/event-stream' }, signal });
  } catch (err) {
    if (!isAbort(err))
      handlers.onError(new ApiError(0, 'network', 'Cannot reach the Cairn server for live tail'));
    return;
  }
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as ApiErrorBody | null;
    handlers.onError(
      new ApiError(
        res.status,
        body?.error.code ?? 'http_error',
        body?.error.message ?? `Live tail failed: ${res.status}`,
        body?.error.details ?? {},
      ),
    );
    return;
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        dispatch(buffer.slice(0, end), handlers);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (err) {
    if (!isAbort(err)) handlers.onError(new ApiError(0, 'network', 'The live tail connection was lost'));
  }
}

function dispatch(block: string, handlers: TailHandlers): void {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return;
  const payload = JSON.parse(data.join('\n')) as { hits?: Hit[]; skipped?: boolean } & Partial<ApiErrorBody>;
  if (event === 'hits' && payload.hits) handlers.onHits(payload.hits, payload.skipped === true);
  else if (event === 'error' && payload.error)
    handlers.onError(
      new ApiError(200, payload.error.code, payload.error.message, payload.error.details ?? {}),
    );
}
