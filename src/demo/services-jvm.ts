import {
  type AppServiceProfile,
  amount,
  currency,
  hostNames as hosts,
  orderId,
  productId,
} from './app-service.js';
import { EXCEPTIONS } from './exceptions.js';
import type { Rng } from './rng.js';

const tomcatThread = (r: Rng): string => `http-nio-8080-exec-${r.between(1, 200)}`;

const API = 'com.example.api';
const PAY = 'com.example.payment';
const AUTH = 'com.example.auth';

export const API_SERVER: AppServiceProfile = {
  name: 'api-server',
  weight: 25,
  hosts: hosts('api-server', 4),
  thread: tomcatThread,
  latency: { medianMs: 35, sigma: 0.8 },
  info: [
    {
      logger: `${API}.OrderController`,
      render: (_r, c) => `GET /api/v1/orders completed with 200 in ${c.durationMs} ms`,
      timed: true,
      user: true,
    },
    {
      logger: `${API}.ProductController`,
      render: (r, c) => `Fetched product ${productId(r)} in ${c.durationMs} ms`,
      timed: true,
    },
    {
      logger: `${API}.service.OrderService`,
      render: (r) =>
        `Order ${orderId(r)} created with ${r.between(1, 6)} items, total ${amount(r)} ${currency(r)}`,
      user: true,
    },
    {
      logger: `${API}.service.SearchService`,
      render: (r, c) =>
        `Search "${r.pick(['running shoes', 'usb-c cable', 'coffee grinder', 'rain jacket', 'desk lamp'])}" returned ${r.between(0, 480)} results in ${c.durationMs} ms`,
      timed: true,
    },
    {
      logger: `${API}.service.InventoryClient`,
      render: (r) => `Reserved stock for product ${productId(r)} (quantity ${r.between(1, 4)})`,
    },
    {
      logger: 'org.springframework.web.servlet.DispatcherServlet',
      render: (r, c) =>
        `Completed ${r.pick(['200 OK', '200 OK', '201 CREATED', '204 NO_CONTENT'])} in ${c.durationMs} ms`,
      timed: true,
    },
  ],
  warn: [
    {
      logger: `${API}.service.OrderService`,
      render: (r) =>
        `Retrying inventory reservation for order ${orderId(r)} (attempt ${r.between(2, 3)} of 3)`,
    },
    {
      logger: `${API}.filter.RateLimitFilter`,
      render: (r) =>
        `Rate limit exceeded for client ${r.pick(['mobile-ios', 'mobile-android', 'partner-feed'])}: 429 returned`,
      user: true,
    },
    {
      logger: 'com.zaxxer.hikari.pool.HikariPool',
      render: (r) =>
        `HikariPool-1 - Pool stats (total=20, active=${r.between(17, 20)}, idle=0, waiting=${r.between(1, 30)})`,
    },
    {
      logger: `${API}.ProductController`,
      render: (r) => `Product ${productId(r)} not found, returning 404`,
    },
  ],
  error: [
    {
      logger: `${API}.OrderController`,
      render: () => 'Failed to list orders: query timed out',
      timed: true,
      user: true,
      exception: EXCEPTIONS.sqlTimeout,
    },
    {
      logger: `${API}.ProductController`,
      render: () => 'Unable to acquire JDBC connection',
      exception: EXCEPTIONS.poolExhausted,
    },
    {
      logger: `${API}.OrderController`,
      render: (r) => `Duplicate order submission rejected for idempotency key ${r.between(100_000, 999_999)}`,
      user: true,
      exception: EXCEPTIONS.duplicateKey,
    },
    {
      logger: `${API}.ExportController`,
      render: () => 'Order export aborted',
      exception: EXCEPTIONS.outOfMemory,
      weight: 0.1,
    },
  ],
  debug: [
    {
      logger: 'org.hibernate.SQL',
      render: () =>
        'select o1_0.id,o1_0.customer_id,o1_0.status,o1_0.total from orders o1_0 where o1_0.customer_id=?',
    },
    {
      logger: `${API}.cache.ProductCache`,
      render: (r) => `Cache ${r.chance(0.8) ? 'hit' : 'miss'} for product:${productId(r)}`,
    },
  ],
  slow: [
    {
      logger: `${API}.filter.RequestTimingFilter`,
      render: (r, c) =>
        `Slow request: GET /api/v1/orders/${orderId(r)} took ${c.durationMs} ms (threshold 1000 ms)`,
      timed: true,
      user: true,
    },
  ],
};

export const PAYMENT_SERVICE: AppServiceProfile = {
  name: 'payment-service',
  weight: 10,
  hosts: hosts('payment-service', 2),
  thread: tomcatThread,
  latency: { medianMs: 220, sigma: 0.6 },
  info: [
    {
      logger: `${PAY}.PaymentController`,
      render: (r, c) =>
        `Payment authorized for order ${orderId(r)}: ${amount(r)} ${currency(r)} in ${c.durationMs} ms`,
      timed: true,
      user: true,
    },
    {
      logger: `${PAY}.service.PaymentService`,
      render: (r) => `Payment pi_${r.between(10_000_000, 99_999_999)} captured for order ${orderId(r)}`,
      user: true,
    },
    {
      logger: `${PAY}.service.RefundService`,
      render: (r) => `Refund issued for order ${orderId(r)}: ${amount(r)} ${currency(r)}`,
      user: true,
    },
    {
      logger: `${PAY}.webhook.StripeWebhookHandler`,
      render: (r) =>
        `Webhook ${r.pick(['payment_intent.succeeded', 'charge.refunded', 'payment_intent.created'])} processed`,
    },
  ],
  warn: [
    {
      logger: `${PAY}.service.PaymentService`,
      render: (r) =>
        `Payment declined for order ${orderId(r)}: ${r.pick(['insufficient_funds', 'card_declined', 'expired_card', 'incorrect_cvc'])}`,
      user: true,
    },
    {
      logger: `${PAY}.gateway.StripeGatewayClient`,
      render: (r, c) => `Gateway call slow (${c.durationMs} ms), retrying (attempt ${r.between(2, 3)} of 3)`,
      timed: true,
    },
    {
      logger: `${PAY}.fraud.FraudCheck`,
      render: (r) => `Order ${orderId(r)} flagged for manual review (risk score ${r.between(70, 99)})`,
      user: true,
    },
  ],
  error: [
    {
      logger: `${PAY}.PaymentController`,
      render: (r) => `Payment failed for order ${orderId(r)}`,
      user: true,
      exception: EXCEPTIONS.nullPointer,
    },
    {
      logger: `${PAY}.gateway.StripeGatewayClient`,
      render: (r, c) => `Payment gateway timeout after ${c.durationMs} ms for order ${orderId(r)}`,
      timed: true,
      user: true,
      exception: EXCEPTIONS.gatewayTimeout,
    },
    {
      logger: `${PAY}.PaymentController`,
      render: () => 'Rejected payment request',
      exception: EXCEPTIONS.illegalArgument,
    },
  ],
  debug: [
    {
      logger: `${PAY}.gateway.StripeGatewayClient`,
      render: (r) =>
        `POST https://api.stripe.com/v1/payment_intents idempotency_key=${r.between(100_000, 999_999)}`,
    },
  ],
  slow: [
    {
      logger: `${PAY}.gateway.StripeGatewayClient`,
      render: (_r, c) => `Payment gateway latency high: ${c.durationMs} ms (p99 budget 2000 ms)`,
      timed: true,
    },
  ],
};

export const AUTH_SERVICE: AppServiceProfile = {
  name: 'auth-service',
  weight: 15,
  hosts: hosts('auth-service', 3),
  thread: tomcatThread,
  latency: { medianMs: 60, sigma: 0.5 },
  info: [
    {
      logger: `${AUTH}.LoginController`,
      render: (r, c) =>
        `User ${c.userId} logged in successfully via ${r.pick(['password', 'password', 'google', 'apple', 'sso'])}`,
      user: true,
      timed: true,
    },
    {
      logger: `${AUTH}.TokenController`,
      render: (_r, c) => `Access token refreshed for user ${c.userId}`,
      user: true,
    },
    {
      logger: `${AUTH}.LoginController`,
      render: (_r, c) => `User ${c.userId} logged out`,
      user: true,
    },
    {
      logger: `${AUTH}.mfa.MfaService`,
      render: (r, c) => `MFA challenge ${r.chance(0.9) ? 'passed' : 'sent'} for user ${c.userId}`,
      user: true,
    },
  ],
  warn: [
    {
      logger: `${AUTH}.LoginController`,
      render: (r, c) =>
        `Failed login attempt for user ${c.userId}: invalid password (${r.between(1, 4)} of 5)`,
      user: true,
    },
    {
      logger: `${AUTH}.security.BruteForceGuard`,
      render: (r, c) =>
        `Account ${c.userId} locked for 15 minutes after 5 failed attempts from ${r.between(11, 223)}.${r.between(0, 255)}.${r.between(0, 255)}.${r.between(1, 254)}`,
      user: true,
    },
    {
      logger: `${AUTH}.TokenController`,
      render: () => 'Refresh token reuse detected, revoking token family',
      user: true,
    },
  ],
  error: [
    {
      logger: `${AUTH}.TokenController`,
      render: (_r, c) => `Token refresh failed for user ${c.userId}`,
      user: true,
      exception: EXCEPTIONS.jwtExpired,
    },
    {
      logger: `${AUTH}.session.SessionStore`,
      render: () => 'Session lookup failed: Redis command timed out',
      timed: true,
      exception: EXCEPTIONS.redisTimeout,
    },
  ],
  debug: [
    {
      logger: `${AUTH}.token.TokenService`,
      render: (r) => `Issued JWT kid=${r.pick(['2024-05', '2024-06'])} ttl=900s`,
      user: true,
    },
  ],
  slow: [
    {
      logger: `${AUTH}.LoginController`,
      render: (_r, c) => `Login took ${c.durationMs} ms, password hashing queue is backed up`,
      timed: true,
      user: true,
    },
  ],
};
