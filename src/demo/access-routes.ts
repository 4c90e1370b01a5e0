import { productId } from './app-service.js';
import type { ClientKind } from './clients.js';
import { type Rng, Weighted } from './rng.js';

/** One kind of request the demo shop's nginx serves. */
export interface AccessRoute {
  /** Share of access-log events. */
  weight: number;
  method: string;
  path: (r: Rng) => string;
  /** Without the `?`; null when the request has none. */
  query?: (r: Rng) => string | null;
  /** The application service behind the route; null for static files and nginx's own answers. */
  upstream: string | null;
  clients: ClientKind;
  /** Statuses the route answers with when nothing is wrong (rate limiting and 5xx are added on top). */
  status: Weighted<number>;
  latency: { medianMs: number; sigma: number };
  bytes: { median: number; sigma: number };
}

const SEARCH_TERMS = [
  'running+shoes',
  'usb-c+cable',
  'coffee+grinder',
  'rain+jacket',
  'desk+lamp',
  'headphones',
  'yoga+mat',
];
const CATEGORIES = ['shoes', 'electronics', 'kitchen', 'outdoor', 'home', 'books'];
const SLUGS = [
  'trail-runner-3',
  'usb-c-cable-2m',
  'burr-coffee-grinder',
  'packable-rain-jacket',
  'led-desk-lamp',
];
const SCANNER_PATHS = [
  '/wp-login.php',
  '/.env',
  '/.git/config',
  '/phpmyadmin/index.php',
  '/admin/config.php',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/cgi-bin/luci/;stok=/locale',
  '/actuator/env',
  '/server-status',
];

const s = (entries: ReadonlyArray<readonly [number, number]>): Weighted<number> => new Weighted(entries);
const fixed =
  (path: string) =>
  (_r: Rng): string =>
    path;

const API_JSON = { median: 1800, sigma: 0.8 };
const TINY = { median: 40, sigma: 0.3 };

export const ACCESS_ROUTES: readonly AccessRoute[] = [
  {
    weight: 10,
    method: 'GET',
    path: fixed('/api/v1/products'),
    query: (r) => `category=${r.pick(CATEGORIES)}&page=${1 + r.skewed(20)}&limit=24`,
    upstream: 'api-server',
    clients: 'api',
    status: s([
      [200, 95],
      [304, 4],
      [400, 1],
    ]),
    latency: { medianMs: 45, sigma: 0.6 },
    bytes: { median: 14_000, sigma: 0.5 },
  },
  {
    weight: 14,
    method: 'GET',
    path: (r) => `/api/v1/products/${productId(r)}`,
    upstream: 'api-server',
    clients: 'api',
    status: s([
      [200, 90],
      [304, 5],
      [404, 5],
    ]),
    latency: { medianMs: 25, sigma: 0.6 },
    bytes: { median: 2400, sigma: 0.4 },
  },
  {
    weight: 6,
    method: 'GET',
    path: fixed('/api/v1/search'),
    query: (r) => `q=${r.pick(SEARCH_TERMS)}${r.chance(0.3) ? `&page=${r.between(2, 5)}` : ''}`,
    upstream: 'api-server',
    clients: 'api',
    status: s([
      [200, 97],
      [400, 3],
    ]),
    latency: { medianMs: 120, sigma: 0.7 },
    bytes: { median: 9000, sigma: 0.6 },
  },
  {
    weight: 5,
    method: 'GET',
    path: fixed('/api/v1/cart'),
    upstream: 'web-app',
    clients: 'api',
    status: s([
      [200, 92],
      [401, 8],
    ]),
    latency: { medianMs: 30, sigma: 0.5 },
    bytes: { median: 1200, sigma: 0.6 },
  },
  {
    weight: 3,
    method: 'POST',
    path: fixed('/api/v1/cart/items'),
    upstream: 'web-app',
    clients: 'api',
    status: s([
      [201, 90],
      [400, 6],
      [401, 4],
    ]),
    latency: { medianMs: 40, sigma: 0.5 },
    bytes: { median: 900, sigma: 0.4 },
  },
  {
    weight: 1,
    method: 'DELETE',
    path: (r) => `/api/v1/cart/items/${productId(r)}`,
    upstream: 'web-app',
    clients: 'api',
    status: s([
      [204, 95],
      [404, 5],
    ]),
    latency: { medianMs: 30, sigma: 0.5 },
    bytes: TINY,
  },
  {
    weight: 2,
    method: 'POST',
    path: fixed('/api/v1/orders'),
    upstream: 'api-server',
    clients: 'api',
    status: s([
      [201, 88],
      [400, 7],
      [401, 3],
      [409, 2],
    ]),
    latency: { medianMs: 180, sigma: 0.5 },
    bytes: { median: 1500, sigma: 0.3 },
  },
  {
    weight: 3,
    method: 'GET',
    path: (r) => `/api/v1/orders/ORD-${r.between(1_000_000, 9_999_999)}`,
    upstream: 'api-server',
    clients: 'api',
    status: s([
      [200, 90],
      [403, 3],
      [404, 7],
    ]),
    latency: { medianMs: 35, sigma: 0.5 },
    bytes: API_JSON,
  },
  {
    weight: 3,
    method: 'POST',
    path: fixed('/api/v1/auth/login'),
    upstream: 'auth-service',
    clients: 'api',
    status: s([
      [200, 78],
      [401, 17],
      [400, 2],
      [429, 3],
    ]),
    latency: { medianMs: 150, sigma: 0.4 },
    bytes: { median: 700, sigma: 0.2 },
  },
  {
    weight: 3,
    method: 'POST',
    path: fixed('/api/v1/auth/refresh'),
    upstream: 'auth-service',
    clients: 'api',
    status: s([
      [200, 93],
      [401, 7],
    ]),
    latency: { medianMs: 20, sigma: 0.4 },
    bytes: { median: 650, sigma: 0.2 },
  },
  {
    weight: 3,
    method: 'GET',
    path: fixed('/api/v1/users/me'),
    upstream: 'auth-service',
    clients: 'api',
    status: s([
      [200, 96],
      [401, 4],
    ]),
    latency: { medianMs: 15, sigma: 0.4 },
    bytes: { median: 800, sigma: 0.3 },
  },
  {
    weight: 0.5,
    method: 'PUT',
    path: fixed('/api/v1/users/me'),
    upstream: 'auth-service',
    clients: 'api',
    status: s([
      [200, 90],
      [400, 10],
    ]),
    latency: { medianMs: 40, sigma: 0.4 },
    bytes: { median: 800, sigma: 0.3 },
  },
  {
    weight: 1.5,
    method: 'POST',
    path: fixed('/api/v1/payments'),
    upstream: 'payment-service',
    clients: 'api',
    status: s([
      [201, 90],
      [400, 4],
      [402, 4],
      [409, 2],
    ]),
    latency: { medianMs: 450, sigma: 0.5 },
    bytes: { median: 600, sigma: 0.3 },
  },
  {
    weight: 1,
    method: 'OPTIONS',
    path: (r) => r.pick(['/api/v1/cart', '/api/v1/cart/items', '/api/v1/orders', '/api/v1/payments']),
    upstream: null,
    clients: 'api',
    status: s([[204, 1]]),
    latency: { medianMs: 1, sigma: 0.3 },
    bytes: TINY,
  },
  {
    weight: 3,
    method: 'GET',
    path: fixed('/'),
    upstream: 'web-app',
    clients: 'web',
    status: s([
      [200, 97],
      [304, 3],
    ]),
    latency: { medianMs: 60, sigma: 0.5 },
    bytes: { median: 34_000, sigma: 0.1 },
  },
  {
    weight: 4,
    method: 'GET',
    path: (r) => `/products/${r.pick(SLUGS)}`,
    upstream: 'web-app',
    clients: 'web',
    status: s([
      [200, 95],
      [404, 5],
    ]),
    latency: { medianMs: 70, sigma: 0.5 },
    bytes: { median: 28_000, sigma: 0.2 },
  },
  {
    weight: 0.7,
    method: 'GET',
    path: fixed('/product.php'),
    query: (r) => `id=${productId(r)}`,
    upstream: null,
    clients: 'web',
    status: s([[301, 1]]),
    latency: { medianMs: 1, sigma: 0.3 },
    bytes: { median: 169, sigma: 0 },
  },
  {
    weight: 1,
    method: 'GET',
    path: fixed('/checkout'),
    upstream: 'web-app',
    clients: 'web',
    status: s([
      [200, 90],
      [302, 10],
    ]),
    latency: { medianMs: 90, sigma: 0.5 },
    bytes: { median: 22_000, sigma: 0.2 },
  },
  {
    weight: 8,
    method: 'GET',
    path: (r) =>
      r.pick([
        '/static/js/main.4f3a9c1e.js',
        '/static/js/vendor.b81d22f0.js',
        '/static/js/checkout.09ac7d55.js',
      ]),
    upstream: null,
    clients: 'web',
    status: s([
      [200, 55],
      [304, 45],
    ]),
    latency: { medianMs: 2, sigma: 0.6 },
    bytes: { median: 180_000, sigma: 0.5 },
  },
  {
    weight: 4,
    method: 'GET',
    path: (r) => r.pick(['/static/css/app.7d1e4b2a.css', '/static/fonts/inter-var.woff2']),
    upstream: null,
    clients: 'web',
    status: s([
      [200, 50],
      [304, 50],
    ]),
    latency: { medianMs: 1, sigma: 0.6 },
    bytes: { median: 42_000, sigma: 0.3 },
  },
  {
    weight: 10,
    method: 'GET',
    path: (r) => `/images/products/${productId(r)}${r.chance(0.5) ? '' : '-thumb'}.jpg`,
    upstream: null,
    clients: 'web',
    status: s([
      [200, 80],
      [304, 18],
      [404, 2],
    ]),
    latency: { medianMs: 2, sigma: 0.8 },
    bytes: { median: 60_000, sigma: 0.8 },
  },
  {
    weight: 2,
    method: 'GET',
    path: fixed('/favicon.ico'),
    upstream: null,
    clients: 'web',
    status: s([
      [200, 70],
      [304, 30],
    ]),
    latency: { medianMs: 1, sigma: 0.3 },
    bytes: { median: 15_086, sigma: 0 },
  },
  {
    weight: 4,
    method: 'GET',
    path: (r) => (r.chance(0.7) ? '/healthz' : '/readyz'),
    upstream: 'web-app',
    clients: 'probe',
    status: s([[200, 1]]),
    latency: { medianMs: 2, sigma: 0.4 },
    bytes: { median: 2, sigma: 0 },
  },
  {
    weight: 1,
    method: 'GET',
    path: fixed('/metrics'),
    upstream: 'api-server',
    clients: 'metrics',
    status: s([[200, 1]]),
    latency: { medianMs: 12, sigma: 0.4 },
    bytes: { median: 48_000, sigma: 0.05 },
  },
  {
    weight: 0.8,
    method: 'GET',
    path: (r) => r.pick(SCANNER_PATHS),
    upstream: null,
    clients: 'scanner',
    status: s([
      [404, 85],
      [403, 10],
      [400, 5],
    ]),
    latency: { medianMs: 1, sigma: 0.4 },
    bytes: { median: 153, sigma: 0.05 },
  },
];
