import { type AppServiceProfile, productId } from './app-service.js';
import { EXCEPTIONS } from './exceptions.js';

const TABLES = ['orders', 'order_items', 'products', 'users', 'sessions', 'payments', 'inventory'];

/** PostgreSQL's own log (service `database`): statements, checkpoints, autovacuum, connections. */
export const DATABASE: AppServiceProfile = {
  name: 'database',
  weight: 12,
  hosts: ['db-primary-1', 'db-replica-1', 'db-replica-2'],
  thread: (r) => `postgres[${r.between(1000, 65_000)}]`,
  latency: { medianMs: 4, sigma: 1.1 },
  untraced: true,
  info: [
    {
      logger: 'postgres',
      render: (r) =>
        `connection authorized: user=${r.pick(['shop_app', 'shop_app', 'payments', 'auth', 'reporting'])} database=shop application_name=${r.pick(['PostgreSQL JDBC Driver', 'django', 'psql'])}`,
    },
    {
      logger: 'postgres',
      render: (r, c) =>
        `checkpoint complete: wrote ${r.between(200, 9000)} buffers (${(r.float() * 5).toFixed(1)}%); 0 WAL file(s) added, ${r.between(0, 3)} removed, ${r.between(1, 9)} recycled; write=${(c.durationMs / 10).toFixed(3)} s`,
      timed: true,
    },
    {
      logger: 'postgres.autovacuum',
      render: (r) =>
        `automatic vacuum of table "shop.public.${r.pick(TABLES)}": index scans: 1, pages: 0 removed, ${r.between(1000, 90_000)} remain`,
    },
    {
      logger: 'postgres',
      render: (r, c) =>
        `duration: ${c.durationMs}.${r.between(100, 999)} ms  statement: SELECT * FROM ${r.pick(TABLES)} WHERE id = ${productId(r)}`,
      timed: true,
    },
    {
      logger: 'postgres',
      render: (r) =>
        `disconnection: session time: 0:${String(r.between(0, 59)).padStart(2, '0')}:${String(r.between(0, 59)).padStart(2, '0')}.${String(r.int(1000)).padStart(3, '0')} user=shop_app database=shop`,
    },
  ],
  warn: [
    {
      logger: 'postgres',
      render: (r, c) =>
        `duration: ${c.durationMs}.${r.between(100, 999)} ms  statement: SELECT o.* FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.created_at > now() - interval '30 days'`,
      timed: true,
    },
    {
      logger: 'postgres',
      render: (r) => `checkpoints are occurring too frequently (${r.between(8, 29)} seconds apart)`,
    },
    {
      logger: 'postgres',
      render: (r) =>
        `could not receive data from client: Connection reset by peer (pid ${r.between(1000, 65_000)})`,
    },
    {
      logger: 'postgres.replication',
      render: (r) => `replica db-replica-${r.between(1, 2)} is ${r.between(2, 90)} MB behind the primary`,
    },
  ],
  error: [
    {
      logger: 'postgres',
      render: () => 'deadlock detected',
      exception: EXCEPTIONS.pgDeadlock,
    },
    {
      logger: 'postgres',
      render: () => 'canceling statement due to statement timeout',
      timed: true,
      exception: EXCEPTIONS.pgStatementTimeout,
    },
    {
      logger: 'postgres',
      render: () => 'duplicate key value violates unique constraint',
      exception: EXCEPTIONS.pgUniqueViolation,
    },
    {
      logger: 'postgres',
      render: () => 'remaining connection slots are reserved for non-replication superuser connections',
      exception: EXCEPTIONS.pgTooManyConnections,
    },
  ],
  debug: [
    {
      logger: 'postgres',
      render: (r) =>
        `statement: BEGIN; UPDATE inventory SET reserved = reserved + 1 WHERE product_id = ${productId(r)}`,
    },
  ],
  slow: [
    {
      logger: 'postgres',
      render: (r, c) =>
        `duration: ${c.durationMs}.${r.between(100, 999)} ms  statement: SELECT * FROM ${r.pick(TABLES)} WHERE customer_id = $1 ORDER BY created_at DESC`,
      timed: true,
    },
  ],
};

const KEYS = ['product', 'session', 'cart', 'user', 'price', 'inventory'];

/** The caching layer in front of Redis (a Python service). */
export const CACHE: AppServiceProfile = {
  name: 'cache',
  weight: 12,
  hosts: ['cache-1', 'cache-2', 'cache-3'],
  thread: () => 'MainThread',
  latency: { medianMs: 1, sigma: 0.9 },
  info: [
    {
      logger: 'cache.client',
      render: (r, c) => `Cache hit for key "${r.pick(KEYS)}:${productId(r)}" (${c.durationMs} ms)`,
      timed: true,
    },
    {
      logger: 'cache.client',
      render: (r, c) =>
        `Cache miss for key "${r.pick(KEYS)}:${productId(r)}", loaded from origin in ${c.durationMs} ms`,
      timed: true,
    },
    {
      logger: 'cache.client',
      render: (r, c) =>
        `Cache hit for key "session:${c.userId}:${r.between(1000, 9999)}" (${c.durationMs} ms)`,
      timed: true,
      user: true,
    },
    {
      logger: 'cache.maintenance',
      render: (r) => `Background saving started by pid ${r.between(100, 9000)}`,
    },
  ],
  warn: [
    {
      logger: 'cache.maintenance',
      render: (r) =>
        `Evicted ${r.between(500, 40_000)} keys (maxmemory-policy allkeys-lru, used_memory=${(3.5 + r.float() * 0.5).toFixed(2)}G)`,
    },
    {
      logger: 'cache.client',
      render: (r) =>
        `Retrying GET on cache-${r.between(1, 3)}:6379 after timeout (attempt ${r.between(2, 3)} of 3)`,
    },
    {
      logger: 'cache.client',
      render: (r, c) => `Slow command: KEYS ${r.pick(KEYS)}:* took ${c.durationMs} ms`,
      timed: true,
    },
  ],
  error: [
    {
      logger: 'cache.client',
      render: (r) => `Cache unavailable, falling back to origin for key "${r.pick(KEYS)}:${productId(r)}"`,
      exception: EXCEPTIONS.redisConnection,
    },
    {
      logger: 'cache.client',
      render: () => 'Connection to cache node lost',
      exception: EXCEPTIONS.connectionRefused,
    },
  ],
  debug: [
    {
      logger: 'cache.client',
      render: (r) => `SET ${r.pick(KEYS)}:${productId(r)} EX ${r.pick([60, 300, 3600])}`,
    },
  ],
  slow: [
    {
      logger: 'cache.client',
      render: (_r, c) => `GET latency ${c.durationMs} ms exceeds 50 ms budget`,
      timed: true,
    },
  ],
};
