import { type Rng, Weighted } from '../../../demo/rng.js';

/** Who sends a route's requests. */
export type ClientKind = 'browser' | 'api' | 'bot' | 'probe' | 'scanner';

export interface AccessRoute {
  method: string;
  /** Path and query, as in the request line. */
  target: (r: Rng) => string;
  clients: ClientKind;
  status: Weighted<number>;
  /** Served by an application (can fail with 5xx), not from disk. */
  dynamic: boolean;
  bytes: readonly [median: number, sigma: number];
  ms: readonly [median: number, sigma: number];
}

export interface AccessSite {
  service: string;
  /** nginx writes combined + `$request_time`; Apache writes plain combined. */
  server: 'nginx' | 'apache';
  hosts: readonly string[];
  weight: number;
  routes: Weighted<AccessRoute>;
}

const PAGE = new Weighted<number>([
  [200, 94],
  [304, 3],
  [301, 1],
  [302, 1],
  [404, 1],
]);
const ASSET = new Weighted<number>([
  [200, 78],
  [304, 20],
  [404, 2],
]);
const API_READ = new Weighted<number>([
  [200, 92],
  [404, 3],
  [401, 2],
  [400, 1],
  [429, 2],
]);
const API_WRITE = new Weighted<number>([
  [201, 84],
  [200, 6],
  [400, 5],
  [409, 2],
  [422, 3],
]);
const MEDIA = new Weighted<number>([
  [200, 68],
  [206, 27],
  [304, 5],
]);
const OK = new Weighted<number>([[200, 1]]);
const NOT_FOUND = new Weighted<number>([
  [404, 88],
  [403, 9],
  [400, 3],
]);

const SLUGS = [
  'trail-runner-3',
  'usb-c-cable-2m',
  'burr-coffee-grinder',
  'packable-rain-jacket',
  'led-desk-lamp',
  'iphone-15-silicone-case',
  'noise-cancelling-headphones',
  'cast-iron-skillet-26cm',
  'merino-wool-socks',
  'mechanical-keyboard-tkl',
];
const TERMS = ['running+shoes', 'usb-c', 'coffee', 'rain+jacket', 'iphone+case', 'lamp', 'socks', 'keyboard'];
const CATEGORIES = ['shoes', 'electronics', 'kitchen', 'outdoor', 'home', 'books'];
const BLOG_POSTS = [
  'puppet-and-mcollective',
  'xdotool-2-20110530',
  'vim-tips-for-the-lazy',
  'logstash-grok-patterns',
  'ssh-tunnels-explained',
  'debugging-with-strace',
  'zsh-prompt-git-status',
];
const SLIDES = ['kibana-search', 'kibana-dashboard3', 'kibana-dashboard', 'logstash-pipeline', 'sad-face'];
const TAGS = ['puppet', 'ruby', 'linux', 'logstash', 'vim', 'xdotool', 'sysadmin'];
const BUILDS = ['3f9a1c2b', 'a71d0e44', 'c0ffee12', '5b2e9d70'];
const REPOS = ['cairn', 'infra', 'website', 'terraform-modules', 'ansible-roles'];
const DOC_PAGES = ['install', 'configuration', 'query-language', 'api', 'troubleshooting', 'upgrade'];
const PACKAGES = ['cairn', 'cairn-agent', 'libgrok', 'logtool'];
const SCANNER_PATHS = [
  '/wp-login.php',
  '/.env',
  '/.git/config',
  '/phpmyadmin/index.php',
  '/xmlrpc.php',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/cgi-bin/luci/;stok=/locale',
  '/actuator/env',
  '/server-status',
  '/HNAP1/',
];

const id = (r: Rng, lo: number, hi: number) => String(r.between(lo, hi));
/** A 7-digit order number: each one occurs in a few requests only (the "rare token" of this corpus). */
const order = (r: Rng) => id(r, 1_000_000, 9_999_999);
const hex = (r: Rng, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[r.int(16)];
  return s;
};

function route(
  weight: number,
  method: string,
  target: (r: Rng) => string,
  spec: Partial<Omit<AccessRoute, 'method' | 'target'>> = {},
): readonly [AccessRoute, number] {
  return [
    {
      method,
      target,
      clients: spec.clients ?? 'browser',
      status: spec.status ?? PAGE,
      dynamic: spec.dynamic ?? true,
      bytes: spec.bytes ?? [12_000, 0.8],
      ms: spec.ms ?? [45, 0.9],
    },
    weight,
  ];
}

const asset = (weight: number, target: (r: Rng) => string, bytes: number) =>
  route(weight, 'GET', target, { status: ASSET, dynamic: false, bytes: [bytes, 0.6], ms: [2, 0.7] });
const scanner = (weight: number) =>
  route(weight, 'GET', (r) => r.pick(SCANNER_PATHS), {
    clients: 'scanner',
    status: NOT_FOUND,
    dynamic: false,
    bytes: [150, 0.3],
    ms: [1, 0.5],
  });

function site(
  service: string,
  server: AccessSite['server'],
  weight: number,
  hosts: number,
  routes: ReadonlyArray<readonly [AccessRoute, number]>,
): AccessSite {
  return {
    service,
    server,
    weight,
    hosts: Array.from({ length: hosts }, (_, i) => `${service}-${String(i + 1).padStart(2, '0')}`),
    routes: new Weighted([...routes, scanner(1)]),
  };
}

/** The sites behind the web servers: 12 services, nginx and Apache, pages, APIs, assets, downloads. */
export const ACCESS_SITES: readonly AccessSite[] = [
  site('www', 'nginx', 30, 4, [
    route(12, 'GET', () => '/'),
    route(10, 'GET', (r) => `/products/${r.pick(SLUGS)}`),
    route(8, 'GET', (r) => `/products/${id(r, 1000, 99_999)}`),
    route(6, 'GET', (r) => `/search?q=${r.pick(TERMS)}&page=${r.between(1, 5)}`, { ms: [120, 0.8] }),
    route(4, 'GET', () => '/cart'),
    route(2, 'GET', () => '/checkout', { ms: [90, 0.7] }),
    route(2, 'GET', (r) => `/account/orders/${order(r)}`),
    route(1, 'POST', () => '/login', { status: API_WRITE, bytes: [900, 0.3] }),
    asset(3, () => '/favicon.ico', 1_150),
    asset(1, () => '/robots.txt', 70),
    route(1, 'GET', () => '/sitemap.xml', { clients: 'bot', dynamic: false, bytes: [48_000, 0.1] }),
  ]),
  site('api', 'nginx', 22, 3, [
    route(
      10,
      'GET',
      (r) => `/api/v1/products?category=${r.pick(CATEGORIES)}&page=${r.between(1, 20)}&limit=24`,
      { clients: 'api', status: API_READ, bytes: [26_000, 0.5], ms: [55, 0.7] },
    ),
    route(10, 'GET', (r) => `/api/v1/products/${id(r, 1000, 99_999)}`, {
      clients: 'api',
      status: API_READ,
      bytes: [2_400, 0.4],
      ms: [18, 0.8],
    }),
    route(3, 'POST', () => '/api/v1/orders', {
      clients: 'api',
      status: API_WRITE,
      bytes: [640, 0.3],
      ms: [240, 0.6],
    }),
    route(4, 'GET', (r) => `/api/v1/orders/${order(r)}`, {
      clients: 'api',
      status: API_READ,
      bytes: [1_800, 0.4],
      ms: [35, 0.7],
    }),
    route(1, 'POST', (r) => `/api/v1/orders/${order(r)}/cancel`, {
      clients: 'api',
      status: API_WRITE,
      bytes: [300, 0.2],
      ms: [180, 0.6],
    }),
    route(5, 'POST', () => '/api/v2/cart/items', {
      clients: 'api',
      status: API_WRITE,
      bytes: [420, 0.3],
      ms: [40, 0.6],
    }),
    route(2, 'DELETE', (r) => `/api/v2/cart/items/${id(r, 1000, 99_999)}`, {
      clients: 'api',
      status: API_READ,
      bytes: [0, 0],
      ms: [30, 0.6],
    }),
    route(4, 'POST', () => '/api/v1/auth/token', {
      clients: 'api',
      status: API_WRITE,
      bytes: [1_100, 0.1],
      ms: [95, 0.5],
    }),
    route(5, 'GET', () => '/api/v1/users/me', { clients: 'api', status: API_READ, bytes: [700, 0.2] }),
    route(3, 'GET', (r) => `/api/v1/search?q=${r.pick(TERMS)}`, {
      clients: 'api',
      status: API_READ,
      bytes: [9_000, 0.6],
      ms: [130, 0.8],
    }),
  ]),
  site('static', 'nginx', 14, 2, [
    asset(5, (r) => `/static/js/app.${r.pick(BUILDS)}.js`, 310_000),
    asset(3, (r) => `/static/js/vendor.${r.pick(BUILDS)}.js`, 820_000),
    asset(4, (r) => `/static/css/main.${r.pick(BUILDS)}.css`, 64_000),
    asset(
      6,
      (r) => `/static/img/products/${id(r, 1000, 99_999)}-${r.pick(['320', '640', '1280'])}.webp`,
      38_000,
    ),
    asset(2, (r) => `/static/fonts/inter-${r.pick(['400', '500', '700'])}.woff2`, 98_000),
  ]),
  site('blog', 'apache', 8, 1, [
    route(6, 'GET', (r) => `/blog/geekery/${r.pick(BLOG_POSTS)}.html`, {
      dynamic: false,
      bytes: [18_000, 0.5],
    }),
    asset(6, (r) => `/presentations/logstash-monitorama-2013/images/${r.pick(SLIDES)}.png`, 170_000),
    asset(2, () => '/presentations/logstash-monitorama-2013/plugin/highlight/highlight.js', 26_185),
    asset(3, () => '/style2.css', 4_877),
    asset(2, () => '/reset.css', 1_015),
    asset(2, () => '/images/jordan-80.png', 6_146),
    route(2, 'GET', (r) => `/blog/tags/${r.pick(TAGS)}`, { dynamic: false, bytes: [22_000, 0.4] }),
    route(2, 'GET', () => '/?flav=rss20', { clients: 'bot', dynamic: false, bytes: [30_000, 0.2] }),
    route(1, 'GET', (r) => `/articles/${r.pick(BLOG_POSTS)}/`, { dynamic: false, bytes: [14_000, 0.4] }),
  ]),
  site('docs', 'nginx', 5, 2, [
    route(8, 'GET', (r) => `/docs/${r.pick(['v1.4', 'v1.5', 'latest'])}/${r.pick(DOC_PAGES)}.html`, {
      dynamic: false,
      bytes: [24_000, 0.4],
      ms: [3, 0.6],
    }),
    route(2, 'GET', (r) => `/docs/search?q=${r.pick(TERMS)}`, { ms: [60, 0.7] }),
  ]),
  site('admin', 'nginx', 2, 1, [
    route(3, 'GET', () => '/admin/', { bytes: [8_000, 0.2] }),
    route(4, 'GET', (r) => `/admin/orders/${order(r)}`, { bytes: [14_000, 0.3], ms: [150, 0.6] }),
    route(1, 'POST', () => '/admin/login', { status: API_WRITE, bytes: [500, 0.2] }),
    route(1, 'GET', () => '/admin/reports/daily.csv', { bytes: [900_000, 0.5], ms: [2_400, 0.5] }),
  ]),
  site('auth', 'nginx', 5, 2, [
    route(4, 'POST', () => '/oauth/token', {
      clients: 'api',
      status: API_WRITE,
      bytes: [1_300, 0.1],
      ms: [80, 0.5],
    }),
    route(3, 'GET', (r) => `/oauth/authorize?client_id=${hex(r, 16)}&response_type=code`, {
      bytes: [3_000, 0.2],
    }),
    route(2, 'GET', () => '/.well-known/openid-configuration', {
      clients: 'api',
      dynamic: false,
      bytes: [1_900, 0],
    }),
    route(2, 'GET', () => '/userinfo', { clients: 'api', status: API_READ, bytes: [400, 0.2] }),
  ]),
  site('media', 'nginx', 4, 2, [
    route(3, 'GET', (r) => `/media/video/${id(r, 100, 999)}.mp4`, {
      status: MEDIA,
      dynamic: false,
      bytes: [2_000_000, 1.0],
      ms: [400, 0.9],
    }),
    asset(7, (r) => `/media/img/products/${id(r, 1000, 99_999)}-${r.pick(['thumb', 'large'])}.jpg`, 52_000),
  ]),
  site('git', 'apache', 3, 1, [
    route(4, 'GET', (r) => `/git/${r.pick(REPOS)}.git/info/refs?service=git-upload-pack`, {
      clients: 'api',
      bytes: [2_000, 0.5],
    }),
    route(3, 'POST', (r) => `/git/${r.pick(REPOS)}.git/git-upload-pack`, {
      clients: 'api',
      bytes: [250_000, 1.2],
      ms: [600, 0.8],
    }),
    route(2, 'GET', (r) => `/${r.pick(REPOS)}/commit/${hex(r, 40)}`, { bytes: [40_000, 0.6] }),
    route(1, 'GET', (r) => `/${r.pick(REPOS)}/tree/main/src`, { bytes: [25_000, 0.4] }),
  ]),
  site('status', 'nginx', 2, 1, [
    route(5, 'GET', () => '/healthz', { clients: 'probe', status: OK, bytes: [2, 0], ms: [1, 0.3] }),
    route(3, 'GET', () => '/readyz', { clients: 'probe', status: OK, bytes: [2, 0], ms: [1, 0.3] }),
    route(2, 'GET', () => '/metrics', { clients: 'probe', status: OK, bytes: [18_000, 0.1], ms: [6, 0.3] }),
  ]),
  site('grafana', 'nginx', 2, 1, [
    route(
      6,
      'GET',
      (r) =>
        `/api/datasources/proxy/1/api/v1/query_range?query=rate(http_requests_total[5m])&step=${r.pick([15, 30, 60])}`,
      { clients: 'api', status: API_READ, bytes: [14_000, 0.8], ms: [180, 0.9] },
    ),
    route(2, 'GET', (r) => `/d/${hex(r, 9)}/overview`, { bytes: [30_000, 0.2] }),
    asset(2, (r) => `/public/build/app.${r.pick(BUILDS)}.js`, 1_900_000),
  ]),
  site('downloads', 'apache', 3, 1, [
    route(3, 'GET', (r) => `/releases/${r.pick(PACKAGES)}-1.${r.between(0, 9)}.${r.between(0, 20)}.tar.gz`, {
      clients: 'api',
      dynamic: false,
      bytes: [8_000_000, 0.6],
    }),
    route(
      2,
      'GET',
      (r) => `/releases/${r.pick(PACKAGES)}-1.${r.between(0, 9)}.${r.between(0, 20)}.tar.gz.sha256`,
      {
        clients: 'api',
        dynamic: false,
        bytes: [90, 0],
      },
    ),
    route(
      2,
      'GET',
      (r) =>
        `/mirror/debian/pool/main/${r.pick(['l', 'c'])}/${r.pick(PACKAGES)}/${r.pick(PACKAGES)}_1.${r.between(0, 9)}_amd64.deb`,
      { clients: 'api', dynamic: false, bytes: [3_000_000, 0.7] },
    ),
  ]),
];
