import { Agent, request } from 'node:http';

export interface HttpResponse {
  status: number;
  text: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** A JSON value (sent as `application/json`) or a string sent as is. */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

/**
 * A small HTTP client over `node:http` with keep-alive and no timeouts: a force merge of millions of
 * documents answers after many minutes, longer than `fetch` waits for response headers. Both systems
 * are queried through it, so client overhead is the same on each side.
 */
export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });

  async send(req: HttpRequest): Promise<HttpResponse> {
    const payload =
      req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const url = new URL(req.url);
    return new Promise<HttpResponse>((resolve, reject) => {
      const r = request(
        {
          agent: this.agent,
          method: req.method,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          headers:
            payload === undefined
              ? {}
              : {
                  'content-type': req.contentType ?? 'application/json',
                  'content-length': Buffer.byteLength(payload),
                },
          ...(req.signal ? { signal: req.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      r.end(payload);
    });
  }

  /** Sends and parses the JSON answer; any status but 2xx is an error that quotes the answer. */
  async json<T>(req: HttpRequest): Promise<T> {
    const res = await this.send(req);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${req.method} ${req.url} failed with ${res.status}: ${res.text.slice(0, 1000)}`);
    }
    return JSON.parse(res.text) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
