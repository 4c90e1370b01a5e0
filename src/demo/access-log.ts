import { ACCESS_ROUTES } from './access-routes.js';
import { ClientPools } from './clients.js';
import type { Incident } from './incidents.js';
import { type Rng, Weighted } from './rng.js';
import { formatSeconds, type TimeFormatter } from './time-format.js';

const SERVER_ERRORS = new Weighted<number>([
  [500, 40],
  [502, 25],
  [503, 20],
  [504, 15],
]);
const BURST_ERRORS = new Weighted<number>([
  [500, 35],
  [502, 30],
  [503, 25],
  [504, 10],
]);
const ROUTES = new Weighted(ACCESS_ROUTES.map((route) => [route, route.weight] as const));
const REFERRER_PAGES = ['/', '/products', '/cart', '/checkout', '/search', '/account'];
const EXTERNAL_REFERRERS = [
  'https://www.google.com/',
  'https://www.bing.com/',
  'https://duckduckgo.com/',
  'https://t.co/',
  'https://www.facebook.com/',
];
const SITE = 'https://shop.example.com';
/** nginx's `proxy_read_timeout`: a 504 took this long. */
const UPSTREAM_TIMEOUT_MS = 60_000;

/**
 * Builds one nginx access-log event: the parsed fields (ECS names) and the raw line in `message`, in
 * nginx's `combined` format followed by `$request_time`, the format Logstash's NGINXACCESS grok expects.
 *
 * `http.response.time_ms` is `$request_time` in milliseconds (an integer; nginx measures with
 * millisecond resolution), so it can be compared with the application logs' `duration_ms`.
 */
export class AccessLogBuilder {
  private readonly clients = new ClientPools();

  constructor(
    private readonly rng: Rng,
    private readonly time: TimeFormatter,
    private readonly environment: string,
  ) {}

  build(us: number, incident: Incident | null): Record<string, unknown> {
    const r = this.rng;
    const route = ROUTES.pick(r);
    const client = this.clients.pick(r, route.clients);
    const hit = incident !== null && route.upstream === incident.service ? incident : null;

    let status = route.status.pick(r);
    let ms = r.logNormal(route.latency.medianMs, route.latency.sigma);
    if (r.chance(0.015)) ms *= r.between(4, 40);
    if (hit?.kind === 'slow_spell') ms *= r.between(5, 20);
    if (route.upstream !== null) {
      if (r.chance(client.throttle) || r.chance(0.003)) status = 429;
      else if (hit?.kind === 'error_burst' && r.chance(0.45)) status = BURST_ERRORS.pick(r);
      else if (hit?.kind === 'slow_spell' && r.chance(0.08)) status = 504;
      else if (r.chance(0.005)) status = SERVER_ERRORS.pick(r);
    }

    let bytes: number;
    switch (status) {
      case 204:
      case 304:
        bytes = 0;
        ms *= 0.4;
        break;
      case 429:
        bytes = 87;
        ms = r.float() * 2;
        break;
      case 502:
      case 503:
        bytes = status === 502 ? 157 : 197;
        ms = r.float() * 5;
        break;
      case 504:
        bytes = 167;
        ms = UPSTREAM_TIMEOUT_MS + r.float() * 3;
        break;
      default:
        bytes =
          status >= 400 && route.upstream !== null
            ? r.between(60, 240)
            : Math.round(r.logNormal(route.bytes.median, route.bytes.sigma));
    }
    const timeMs = Math.round(ms);

    const path = route.path(r);
    const query = route.query === undefined ? null : route.query(r);
    const target = query === null ? path : `${path}?${query}`;
    const referrer = client.browser && r.chance(0.7) ? this.referrer(r) : '-';
    const ip = client.ip;
    const agent = client.userAgent;

    const url: Record<string, unknown> = { path, original: target };
    if (query !== null) url['query'] = query;
    const request: Record<string, unknown> = { method: route.method };
    if (referrer !== '-') request['referrer'] = referrer;
    return {
      '@timestamp': this.time.iso(us),
      service: 'nginx',
      host: r.chance(0.5) ? 'nginx-1' : 'nginx-2',
      environment: this.environment,
      log_type: 'nginx',
      client: { ip },
      http: {
        version: client.httpVersion,
        request,
        response: { status_code: status, body: { bytes }, time_ms: timeMs },
      },
      url,
      user_agent: { original: agent },
      message: `${ip} - - [${this.time.nginx(us)}] "${route.method} ${target} HTTP/${client.httpVersion}" ${status} ${bytes} "${referrer}" "${agent}" ${formatSeconds(timeMs)}`,
    };
  }

  private referrer(r: Rng): string {
    return r.chance(0.8) ? SITE + r.pick(REFERRER_PAGES) : r.pick(EXTERNAL_REFERRERS);
  }
}
