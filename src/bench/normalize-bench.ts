/**
 * Micro-benchmark: normalizeEvent over 200k decoded app-log events (10-20 fields, nested objects,
 * a few arrays) in four common shapes: pino, ECS (Filebeat / Elastic agents), Python logging, and an
 * access log. JSON.parse is outside the timed loop. Run: `npx tsx src/bench/normalize-bench.ts`.
 */
import type { Event } from '../model/event.js';
import { DEFAULT_EVENT_LIMITS, normalizeEvent } from '../model/normalize.js';

const EVENTS = 200_000;
/** Timed rounds, after one warm-up round that lets V8 optimise. */
const ROUNDS = 15;
const BATCH = 1_000;

const SERVICES = ['checkout', 'payments', 'search', 'auth', 'catalog'];
const HOSTS = ['web-1', 'web-2', 'web-3', 'worker-1'];
const PATHS = ['/api/v1/orders', '/api/v1/cart', '/health', '/api/v1/search?q=shoes', '/login'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const PINO_LEVELS = [20, 30, 30, 30, 40, 50];
const NAMES = ['debug', 'info', 'info', 'warning', 'error', 'INFO', 'WARN'];

/** Deterministic PRNG so every run measures the same events. */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function makeEventJson(i: number, random: () => number): string {
  const timeMs = 1_705_312_800_000 + i * 7;
  const iso = new Date(timeMs).toISOString();
  const status = pick(random, [200, 200, 200, 201, 204, 301, 404, 500]);
  const ip = `10.${i & 255}.${(i >> 8) & 255}.${(i * 7) & 255}`;
  switch (i % 4) {
    case 0:
      return JSON.stringify({
        level: pick(random, PINO_LEVELS),
        time: timeMs,
        pid: 4242,
        hostname: pick(random, HOSTS),
        reqId: `req-${i.toString(36)}`,
        req: {
          method: pick(random, METHODS),
          url: pick(random, PATHS),
          headers: { host: 'shop.example.com', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' },
          remoteAddress: ip,
          remotePort: 50_000 + (i % 10_000),
        },
        res: { statusCode: status },
        responseTime: Math.round(random() * 5000) / 10,
        msg: 'request completed',
      });
    case 1:
      return JSON.stringify({
        '@timestamp': iso,
        'log.level': pick(random, NAMES),
        message: `Order ${i} processed in ${Math.floor(random() * 900)} ms`,
        service: { name: pick(random, SERVICES), version: '1.4.2', environment: 'production' },
        host: { name: pick(random, HOSTS), ip: [ip] },
        trace: { id: (i * 2_654_435_761).toString(16).padStart(16, '0') },
        event: { dataset: 'app.orders', duration: Math.floor(random() * 1e9) },
        order: {
          id: i,
          items: [
            { sku: 'A-1', qty: 2 },
            { sku: 'B-7', qty: 1 },
          ],
          total: 59.9,
        },
        tags: ['orders', 'eu-west-1'],
      });
    case 2:
      return JSON.stringify({
        asctime: iso.replace('T', ' ').replace('Z', '').replace('.', ','),
        levelname: pick(random, ['DEBUG', 'INFO', 'WARNING', 'ERROR']),
        name: 'app.billing.invoices',
        message: `Invoice ${i} sent to customer`,
        module: 'invoices',
        funcName: 'send_invoice',
        lineno: 118,
        process: 311,
        thread: 140_234_567,
        app: pick(random, SERVICES),
        customer: { id: `cus_${i}`, country: 'DE', tier: 'gold' },
        amount: { value: 129.5, currency: 'EUR' },
      });
    default:
      return JSON.stringify({
        timestamp: iso,
        level: 'info',
        service: pick(random, SERVICES),
        host: pick(random, HOSTS),
        message: `${pick(random, METHODS)} ${pick(random, PATHS)} ${status}`,
        http: {
          request: { method: pick(random, METHODS), bytes: Math.floor(random() * 2000) },
          response: { status_code: status, bytes: Math.floor(random() * 50_000) },
          version: '1.1',
        },
        url: { path: pick(random, PATHS), domain: 'shop.example.com' },
        client: { ip, geo: { country_iso_code: 'FR' } },
        user_agent: { original: 'curl/8.5.0' },
        duration_ms: Math.round(random() * 3000) / 10,
      });
  }
}

function main(): void {
  const random = makeRandom(42);
  const events: unknown[] = new Array(EVENTS);
  let fieldTotal = 0;
  for (let i = 0; i < EVENTS; i++) events[i] = JSON.parse(makeEventJson(i, random));

  const opts = { stream: 'app', receivedUs: Date.now() * 1000, limits: DEFAULT_EVENT_LIMITS };
  const rates: number[] = [];
  // CPU time (all threads of the process, GC helpers included) is steadier than wall time on a shared machine.
  const cpuRates: number[] = [];
  // Results live as long as an ingest batch does: until BATCH later events replace them.
  const normalized: Event[] = new Array(BATCH);
  for (let round = 0; round <= ROUNDS; round++) {
    let rejected = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < EVENTS; i++) {
      const result = normalizeEvent(events[i], opts);
      if (result.ok) normalized[i % BATCH] = result.event;
      else rejected++;
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    if (round > 0) cpuRates.push(EVENTS / ((cpu.user + cpu.system) / 1e6));
    if (rejected > 0) throw new Error(`${rejected} events were rejected`);
    if (round === 0) continue;
    rates.push(EVENTS / seconds);
  }
  for (let i = 0; i < EVENTS; i++) {
    const result = normalizeEvent(events[i], opts);
    if (result.ok) fieldTotal += Object.keys(result.event.fields).length;
  }
  rates.sort((a, b) => a - b);
  cpuRates.sort((a, b) => a - b);
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(
    `normalizeEvent: ${EVENTS.toLocaleString('en-US')} events, ${(fieldTotal / EVENTS).toFixed(1)} fields/event after normalizing`,
  );
  console.log(
    `  median ${fmt(rates[Math.floor(ROUNDS / 2)]!)} events/s, best ${fmt(rates[ROUNDS - 1]!)}, worst ${fmt(rates[0]!)} (wall clock, ${ROUNDS} rounds after a warm-up)`,
  );
  console.log(
    `  per CPU second: median ${fmt(cpuRates[Math.floor(ROUNDS / 2)]!)} events/s, best ${fmt(cpuRates[ROUNDS - 1]!)}`,
  );
}

main();
