import { hash2, Rng, Weighted } from '../../../demo/rng.js';
import { formatSeconds, TimeFormatter } from '../../../demo/time-format.js';
import { ACCESS_SITES, type AccessSite, type ClientKind } from './access-sites.js';

interface Client {
  ip: string;
  agent: string;
  http: string;
}

const BROWSER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:27.0) Gecko/20100101 Firefox/27.0',
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
];
const API_AGENTS = [
  'ShopApp/4.12.0 (iPhone; iOS 17.4.1; Scale/3.00)',
  'okhttp/4.12.0',
  'python-requests/2.31.0',
  'curl/8.5.0',
  'Go-http-client/2.0',
  'git/2.43.0',
  'Apache-HttpClient/4.5.14 (Java/17.0.10)',
  'Wget/1.21.4',
];
const BOT_AGENTS: ReadonlyArray<readonly [string, string]> = [
  ['66.249.73.', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  ['157.55.39.', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  ['54.36.148.', 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'],
  ['100.43.83.', 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)'],
];
const SCANNER_AGENTS = [
  'Mozilla/5.0 zgrab/0.x',
  'python-requests/2.25.1',
  '-',
  'Mozilla/5.0 (compatible; CensysInspect/1.1)',
];
const PROBE_AGENTS = ['kube-probe/1.29', 'ELB-HealthChecker/2.0', 'Prometheus/2.51.2'];
const REFERRERS = [
  'https://www.google.com/',
  'https://www.bing.com/',
  'https://duckduckgo.com/',
  'https://t.co/',
];
const ERRORS = new Weighted<number>([
  [500, 40],
  [502, 25],
  [503, 20],
  [504, 15],
]);
const SITES = new Weighted(ACCESS_SITES.map((s) => [s, s.weight] as const));

/**
 * Web server access logs of 12 sites (nginx `combined` + `$request_time`, and Apache `combined`),
 * in the shape of the shared access-log samples, with the fields a Filebeat/Logstash pipeline would
 * parse from them (ECS names) and the raw line in `message`. Clients come from fixed, skewed pools;
 * each service has a few bad hours with bursts of 5xx.
 */
export class AccessLogGenerator {
  private readonly browsers: Client[];
  private readonly api: Client[];
  private readonly bots: Client[];
  private readonly scanners: Client[];
  private readonly probes: Client[];
  private readonly time = new TimeFormatter();

  constructor(seed: number) {
    const r = new Rng(seed ^ 0xacce55);
    this.browsers = Array.from({ length: 20_000 }, () => ({
      ip: r.chance(0.88) ? publicIpv4(r) : ipv6(r),
      agent: r.pick(BROWSER_AGENTS),
      http: r.chance(0.7) ? '2.0' : '1.1',
    }));
    this.api = Array.from({ length: 300 }, () => ({
      ip: r.chance(0.3) ? `10.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}` : publicIpv4(r),
      agent: r.pick(API_AGENTS),
      http: '1.1',
    }));
    this.bots = Array.from({ length: 80 }, () => {
      const [net, agent] = r.pick(BOT_AGENTS);
      return { ip: net + (1 + r.int(254)), agent, http: '1.1' };
    });
    this.scanners = Array.from({ length: 400 }, () => ({
      ip: publicIpv4(r),
      agent: r.pick(SCANNER_AGENTS),
      http: '1.1',
    }));
    this.probes = PROBE_AGENTS.map((agent, i) => ({ ip: `10.244.0.${i + 1}`, agent, http: '1.1' }));
  }

  build(us: number, r: Rng): Record<string, unknown> {
    const site = SITES.pick(r);
    const route = site.routes.pick(r);
    const client = this.client(route.clients, r);
    let status = route.status.pick(r);
    let ms = r.logNormal(route.ms[0], route.ms[1]);
    if (route.dynamic && r.chance(this.errorRate(site, us))) status = ERRORS.pick(r);
    let bytes = Math.round(r.logNormal(route.bytes[0], route.bytes[1]));
    switch (status) {
      case 204:
      case 304:
        bytes = 0;
        ms *= 0.3;
        break;
      case 502:
      case 503:
        bytes = status === 502 ? 157 : 197;
        ms = r.float() * 5;
        break;
      case 504:
        bytes = 167;
        ms = 60_000 + r.float() * 3;
        break;
    }
    if (status >= 400 && status < 500) bytes = 100 + r.int(400);
    const timeMs = Math.round(ms);
    const target = route.target(r);
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const referrer =
      route.clients === 'browser' && r.chance(0.6)
        ? r.chance(0.75)
          ? `https://${site.service}.example.com/`
          : r.pick(REFERRERS)
        : '-';
    const user = site.service === 'admin' && r.chance(0.9) ? r.pick(['alice', 'bob', 'ops']) : '-';
    const http = site.server === 'apache' ? (r.chance(0.9) ? '1.1' : '1.0') : client.http;
    const nginx = site.server === 'nginx';

    // Rare shapes from Filebeat's nginx test fixture: a proxy list before the client, a request that
    // is not HTTP, an empty request.
    const oddity = nginx ? r.float() : 1;
    const remote =
      oddity < 0.004 ? `${client.ip}, 10.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}` : client.ip;
    let request = `${route.method} ${target} HTTP/${http}`;
    let parsedRequest = true;
    if (oddity < 0.0002) {
      request = r.chance(0.5) ? '' : 'hello';
      status = 400;
      bytes = request === '' ? 0 : 173;
      parsedRequest = false;
    }
    const shownBytes = !nginx && bytes === 0 ? '-' : String(bytes);
    let message = `${remote} - ${user} [${this.time.nginx(us)}] "${request}" ${status} ${shownBytes} "${referrer}" "${client.agent}"`;
    if (nginx) message += ` ${formatSeconds(timeMs)}`;

    const event: Record<string, unknown> = {
      '@timestamp': this.time.iso(Math.floor(us / 1_000_000) * 1_000_000),
      service: site.service,
      host: r.pick(site.hosts),
      log_type: site.server,
      client: { ip: client.ip },
    };
    if (user !== '-') event['user'] = { name: user };
    const response: Record<string, unknown> = { status_code: status };
    if (shownBytes !== '-') response['body'] = { bytes };
    if (nginx) response['time_ms'] = timeMs;
    const req: Record<string, unknown> = {};
    if (parsedRequest) req['method'] = route.method;
    if (referrer !== '-') req['referrer'] = referrer;
    if (remote !== client.ip) req['forwarded_for'] = remote;
    event['http'] = parsedRequest ? { version: http, request: req, response } : { request: req, response };
    if (parsedRequest) {
      const url: Record<string, unknown> = { original: target, path };
      if (q !== -1) url['query'] = target.slice(q + 1);
      event['url'] = url;
    }
    if (client.agent !== '-') event['user_agent'] = { original: client.agent };
    event['message'] = message;
    return event;
  }

  private client(kind: ClientKind, r: Rng): Client {
    switch (kind) {
      case 'browser':
        return r.chance(0.06) ? r.pick(this.bots) : this.browsers[r.skewed(this.browsers.length)]!;
      case 'api':
        return r.chance(0.5)
          ? this.browsers[r.skewed(this.browsers.length)]!
          : this.api[r.skewed(this.api.length)]!;
      case 'bot':
        return r.pick(this.bots);
      case 'probe':
        return r.pick(this.probes);
      case 'scanner':
        return this.scanners[r.skewed(this.scanners.length)]!;
    }
  }

  /** 0.3 % 5xx normally; 8 % during a service's bad hours (about 1 hour in 16). */
  private errorRate(site: AccessSite, us: number): number {
    const hour = Math.floor(us / 3_600_000_000);
    return hash2(hour, site.weight * 7919 + site.hosts.length) % 16 === 0 ? 0.08 : 0.003;
  }
}

const PUBLIC_FIRST_OCTETS = [
  5, 23, 24, 31, 37, 41, 46, 50, 62, 66, 68, 71, 73, 77, 78, 81, 82, 83, 84, 86, 87, 89, 90, 91, 92, 93, 94,
  95, 98, 99, 108, 109, 112, 114, 118, 121, 122, 130, 138, 141, 151, 162, 173, 176, 178, 185, 186, 187, 188,
  189, 190, 193, 194, 195, 200, 201, 203, 208, 209, 212, 213, 217, 218,
];
const IPV6_PREFIXES = ['2a02:c7f', '2600:1700', '2a01:e0a', '2405:201', '2607:fb90', '2a00:23c5'];

function publicIpv4(r: Rng): string {
  return `${r.pick(PUBLIC_FIRST_OCTETS)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
}

function ipv6(r: Rng): string {
  let s = r.pick(IPV6_PREFIXES);
  for (let i = 0; i < 6; i++) s += `:${(1 + r.int(0xffff)).toString(16)}`;
  return s;
}
