import type { Rng } from './rng.js';

/** One visitor as nginx sees it: an address and a user agent that stay together. */
export interface Client {
  ip: string;
  userAgent: string;
  /** `1.1` or `2.0`. */
  httpVersion: string;
  /** Sends a referrer (browsers do, scripts and bots mostly do not). */
  browser: boolean;
  /** Chance an API call of this client is rate limited (429). */
  throttle: number;
}

export type ClientKind = 'web' | 'api' | 'probe' | 'metrics' | 'scanner';

const BROWSER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.118 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
];

const MOBILE_APP_AGENTS = [
  'ShopApp/4.12.0 (iPhone; iOS 17.4.1; Scale/3.00)',
  'ShopApp/4.11.2 (iPhone; iOS 16.7.7; Scale/3.00)',
  'ShopApp/4.12.0 (Android 14; Pixel 8; Build/AP1A.240405.002)',
  'okhttp/4.12.0',
];

const BOTS: ReadonlyArray<readonly [string, string]> = [
  ['66.249.66.', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  [
    '66.249.68.',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  ],
  ['40.77.167.', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  ['157.55.39.', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  [
    '17.241.219.',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
  ],
  ['54.36.148.', 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'],
];

const SCRIPT_AGENTS = [
  'python-requests/2.31.0',
  'curl/8.5.0',
  'Go-http-client/2.0',
  'PostmanRuntime/7.37.3',
  'axios/1.6.8',
  'Apache-HttpClient/4.5.14 (Java/17.0.10)',
];

const SCANNER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36',
  'Mozilla/5.0 zgrab/0.x',
  'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)',
  'python-requests/2.25.1',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.113 Safari/537.36',
];

/** First octets of networks that are routed on the public Internet (no private, loopback or documentation ranges). */
const PUBLIC_FIRST_OCTETS = [
  2, 5, 23, 24, 31, 37, 41, 45, 46, 47, 49, 50, 52, 58, 62, 64, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77,
  78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 101, 103, 104, 107,
  108, 109, 110, 112, 113, 114, 115, 116, 117, 118, 119, 121, 122, 123, 124, 125, 128, 130, 131, 136, 137,
  138, 141, 142, 143, 145, 146, 147, 151, 152, 154, 161, 162, 164, 165, 166, 168, 171, 173, 174, 175, 176,
  177, 178, 179, 180, 181, 182, 183, 185, 186, 187, 188, 189, 190, 191, 193, 194, 195, 196, 197, 200, 201,
  202, 206, 207, 208, 209, 210, 211, 212, 213, 216, 217, 218, 219, 220, 221, 222, 223,
];

const IPV6_PREFIXES = [
  '2a02:c7f:',
  '2600:1700:',
  '2a01:e0a:',
  '2405:201:',
  '2607:fb90:',
  '2a00:23c5:',
  '2001:4860:',
];

function publicIpv4(r: Rng): string {
  return `${r.pick(PUBLIC_FIRST_OCTETS)}.${r.int(256)}.${r.int(256)}.${r.between(1, 254)}`;
}

function privateIpv4(r: Rng): string {
  const u = r.float();
  if (u < 0.5) return `10.${r.int(256)}.${r.int(256)}.${r.between(1, 254)}`;
  if (u < 0.8) return `192.168.${r.int(256)}.${r.between(1, 254)}`;
  return `172.${r.between(16, 31)}.${r.int(256)}.${r.between(1, 254)}`;
}

function ipv6(r: Rng): string {
  let s = r.pick(IPV6_PREFIXES);
  for (let i = 0; i < 6; i++) s += (i === 0 ? '' : ':') + r.int(0x10000).toString(16);
  return s;
}

function browserClient(r: Rng): Client {
  const u = r.float();
  const ip = u < 0.84 ? publicIpv4(r) : u < 0.96 ? ipv6(r) : privateIpv4(r);
  return {
    ip,
    userAgent: r.pick(BROWSER_AGENTS),
    httpVersion: r.chance(0.75) ? '2.0' : '1.1',
    browser: true,
    throttle: 0,
  };
}

function mobileClient(r: Rng): Client {
  const ip = r.chance(0.7) ? publicIpv4(r) : ipv6(r);
  return { ip, userAgent: r.pick(MOBILE_APP_AGENTS), httpVersion: '2.0', browser: false, throttle: 0 };
}

function scriptClient(r: Rng, index: number): Client {
  return {
    ip: r.chance(0.4) ? privateIpv4(r) : publicIpv4(r),
    userAgent: r.pick(SCRIPT_AGENTS),
    httpVersion: '1.1',
    browser: false,
    // The most active script is an over-eager partner integration that keeps hitting the rate limit.
    throttle: index === 0 ? 0.35 : 0.01,
  };
}

/** A pool whose members are drawn the first time they are picked, so a generator starts instantly. */
class LazyPool {
  private readonly members: Array<Client | undefined>;

  constructor(
    size: number,
    private readonly make: (r: Rng, index: number) => Client,
  ) {
    this.members = new Array<Client | undefined>(size);
  }

  /** Skewed: a few members make much of the traffic. */
  pick(r: Rng): Client {
    const i = r.skewed(this.members.length);
    const existing = this.members[i];
    if (existing !== undefined) return existing;
    const made = this.make(r, i);
    this.members[i] = made;
    return made;
  }
}

function bot(r: Rng): Client {
  const [net, userAgent] = r.pick(BOTS);
  return { ip: net + r.between(1, 254), userAgent, httpVersion: '1.1', browser: false, throttle: 0 };
}

const PROBES: readonly Client[] = Array.from({ length: 6 }, (_, i) => ({
  ip: `10.244.${i}.1`,
  userAgent: 'kube-probe/1.29',
  httpVersion: '1.1',
  browser: false,
  throttle: 0,
}));

const SCRAPERS: readonly Client[] = ['10.0.9.14', '10.0.9.15'].map((ip) => ({
  ip,
  userAgent: 'Prometheus/2.51.2',
  httpVersion: '1.1',
  browser: false,
  throttle: 0,
}));

function scanner(r: Rng): Client {
  return {
    ip: publicIpv4(r),
    userAgent: r.pick(SCANNER_AGENTS),
    httpVersion: '1.1',
    browser: false,
    throttle: 0,
  };
}

/**
 * The visitors of the demo shop. Picks are skewed, so a few clients make much of the traffic (a "top
 * clients" chart has a head and a long tail).
 */
export class ClientPools {
  private readonly browsers = new LazyPool(5000, browserClient);
  private readonly mobile = new LazyPool(2000, mobileClient);
  private readonly scripts = new LazyPool(30, scriptClient);
  private readonly bots = new LazyPool(40, bot);
  private readonly scanners = new LazyPool(12, scanner);

  pick(r: Rng, kind: ClientKind): Client {
    switch (kind) {
      case 'web':
        return r.chance(0.08) ? this.bots.pick(r) : this.browsers.pick(r);
      case 'api': {
        const u = r.float();
        if (u < 0.55) return this.browsers.pick(r);
        if (u < 0.9) return this.mobile.pick(r);
        return this.scripts.pick(r);
      }
      case 'probe':
        return r.pick(PROBES);
      case 'metrics':
        return r.pick(SCRAPERS);
      case 'scanner':
        return this.scanners.pick(r);
    }
  }
}
