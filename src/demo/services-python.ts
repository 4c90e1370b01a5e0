import { type AppServiceProfile, amount, hostNames, orderId, productId } from './app-service.js';
import { EXCEPTIONS } from './exceptions.js';
import type { Rng } from './rng.js';

const gunicornThread = (r: Rng): string =>
  r.chance(0.8) ? 'MainThread' : `ThreadPoolExecutor-0_${r.between(0, 7)}`;
const PAGES = ['/', '/products', '/cart', '/checkout', '/account', '/orders', '/search'];

/** The Django storefront. */
export const WEB_APP: AppServiceProfile = {
  name: 'web-app',
  weight: 20,
  hosts: hostNames('web-app', 3),
  thread: gunicornThread,
  latency: { medianMs: 80, sigma: 0.7 },
  info: [
    {
      logger: 'app.views',
      render: (r, c) => `Rendered ${r.pick(PAGES)} in ${c.durationMs} ms`,
      timed: true,
      user: true,
    },
    {
      logger: 'app.views.catalog',
      render: (r, c) => `Product page /products/${productId(r)} served in ${c.durationMs} ms`,
      timed: true,
    },
    {
      logger: 'app.services.cart',
      render: (r, c) => `User ${c.userId} added product ${productId(r)} to cart (${r.between(1, 9)} items)`,
      user: true,
    },
    {
      logger: 'app.views.checkout',
      render: (r, c) =>
        `Checkout completed for user ${c.userId}: order ${orderId(r)}, total ${amount(r)} USD`,
      user: true,
    },
    {
      logger: 'django.request',
      render: (r, c) =>
        `"${r.pick(['GET', 'GET', 'GET', 'POST'])} ${r.pick(PAGES)} HTTP/1.1" 200 ${c.durationMs}ms`,
      timed: true,
    },
  ],
  warn: [
    {
      logger: 'django.request',
      render: (r) => `Not Found: /products/${r.between(900_000, 999_999)}`,
    },
    {
      logger: 'app.middleware',
      render: (r, c) => `Slow request: ${r.pick(PAGES)} took ${c.durationMs} ms`,
      timed: true,
      user: true,
    },
    {
      logger: 'django.security.csrf',
      render: () => 'Forbidden (CSRF token missing or incorrect.): /checkout',
    },
    {
      logger: 'app.services.cart',
      render: (r, c) => `Cart for user ${c.userId} holds unavailable product ${productId(r)}, removing it`,
      user: true,
    },
  ],
  error: [
    {
      logger: 'django.request',
      render: () => 'Internal Server Error: /checkout',
      user: true,
      exception: EXCEPTIONS.keyError,
    },
    {
      logger: 'app.views.account',
      render: () => 'Internal Server Error: /account',
      user: true,
      exception: EXCEPTIONS.attributeError,
    },
    {
      logger: 'app.views.catalog',
      render: () => 'Invalid page parameter on /products',
      exception: EXCEPTIONS.valueError,
    },
    {
      logger: 'django.db.backends',
      render: () => 'Database connection failed',
      timed: true,
      exception: EXCEPTIONS.psycopgOperational,
    },
  ],
  debug: [
    {
      logger: 'django.db.backends',
      render: (r, c) =>
        `(${(c.durationMs / 1000).toFixed(3)}) SELECT "shop_product"."id", "shop_product"."name" FROM "shop_product" WHERE "shop_product"."id" = ${productId(r)}; args=(${productId(r)},)`,
      timed: true,
    },
    {
      logger: 'app.cache',
      render: (r) =>
        `Cache ${r.chance(0.75) ? 'hit' : 'miss'} for key "views.decorators.cache.cache_page.${r.pick(PAGES)}"`,
    },
  ],
  slow: [
    {
      logger: 'app.middleware',
      render: (r, c) => `Slow request: ${r.pick(PAGES)} took ${c.durationMs} ms`,
      timed: true,
      user: true,
    },
  ],
};

const TASKS = [
  'notifications.send_email',
  'notifications.send_receipt',
  'notifications.send_push',
  'notifications.send_sms',
];

/** The Celery worker that sends e-mails, SMS and push notifications. */
export const NOTIFICATION_SERVICE: AppServiceProfile = {
  name: 'notification-service',
  weight: 6,
  hosts: hostNames('notification-worker', 2),
  thread: (r) => `ForkPoolWorker-${r.between(1, 8)}`,
  latency: { medianMs: 400, sigma: 0.7 },
  info: [
    {
      logger: 'celery.app.trace',
      render: (r, c) =>
        `Task ${r.pick(TASKS)}[${r.between(10_000_000, 99_999_999)}] succeeded in ${(c.durationMs / 1000).toFixed(3)}s: None`,
      timed: true,
    },
    {
      logger: 'notifications.tasks',
      render: (r, c) =>
        `Sent ${r.pick(['order confirmation', 'shipping update', 'password reset', 'receipt'])} e-mail to user ${c.userId}`,
      user: true,
    },
    {
      logger: 'celery.worker.strategy',
      render: (r) => `Task ${r.pick(TASKS)}[${r.between(10_000_000, 99_999_999)}] received`,
    },
  ],
  warn: [
    {
      logger: 'celery.app.trace',
      render: (r) =>
        `Task ${r.pick(TASKS)}[${r.between(10_000_000, 99_999_999)}] retry: Retry in ${r.pick([10, 30, 60, 120])}s: ReadTimeout`,
    },
    {
      logger: 'notifications.push',
      render: (_r, c) => `Push token for user ${c.userId} is no longer registered, removing it`,
      user: true,
    },
  ],
  error: [
    {
      logger: 'celery.app.trace',
      render: (r) =>
        `Task notifications.send_email[${r.between(10_000_000, 99_999_999)}] raised unexpected: ReadTimeout`,
      timed: true,
      exception: EXCEPTIONS.readTimeout,
    },
    {
      logger: 'notifications.tasks',
      render: (_r, c) => `Failed to send receipt to user ${c.userId}`,
      user: true,
      exception: EXCEPTIONS.smtpDisconnected,
    },
  ],
  debug: [
    {
      logger: 'notifications.templates',
      render: (r) =>
        `Rendered template ${r.pick(['order_confirmation', 'password_reset', 'receipt'])}.html (${r.between(2, 40)} KB)`,
    },
  ],
  slow: [
    {
      logger: 'celery.worker.consumer',
      render: (r) => `Queue "emails" backlog is ${r.between(500, 20_000)} messages`,
    },
  ],
};
