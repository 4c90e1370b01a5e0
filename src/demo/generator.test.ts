import { describe, expect, it } from 'vitest';
import { CairnError } from '../model/errors.js';
import {
  createDemoGenerator,
  type DemoEvent,
  demoEventKind,
  generateWindow,
  incidentsBetween,
  LEVEL_MIX,
  normalizeSeed,
} from './index.js';

const DAY_US = 86_400_000_000;
const START_US = Date.UTC(2024, 4, 1) * 1000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface AccessFields {
  client: { ip: string };
  http: {
    version: string;
    request: { method: string; referrer?: string };
    response: { status_code: number; body: { bytes: number }; time_ms: number };
  };
  url: { path: string; original: string; query?: string };
  user_agent: { original: string };
}

const access = (e: DemoEvent): AccessFields => e as unknown as AccessFields;
const error = (e: DemoEvent): Record<string, string> | undefined =>
  e['error'] as Record<string, string> | undefined;

function window(count: number, seed = 7): DemoEvent[] {
  return [...generateWindow({ seed, fromUs: START_US - DAY_US, toUs: START_US, count })];
}

// One sample of a day of traffic, shared by the distribution tests (generation is the slow part).
const DAY = window(100_000);
const APP = DAY.filter((e) => demoEventKind(e) === 'application');
const NGINX = DAY.filter((e) => demoEventKind(e) === 'nginx');

describe('createDemoGenerator', () => {
  it('produces the same events for the same seed and different ones for another seed', () => {
    const take = (seed: number | string) => {
      const g = createDemoGenerator({ seed, startUs: START_US, rate: 100 });
      return Array.from({ length: 2000 }, () => g.next());
    };
    expect(take(42)).toEqual(take(42));
    expect(take('demo')).toEqual(take('demo'));
    expect(take(43)).not.toEqual(take(42));
  });

  it('keeps event contents independent of the rate', () => {
    const messages = (rate: number) => {
      const g = createDemoGenerator({ seed: 5, startUs: START_US, rate, incidents: false });
      // nginx lines hold the time; everything else must not depend on it.
      return Array.from({ length: 500 }, () => {
        const e = g.next();
        return demoEventKind(e) === 'nginx' ? access(e).url.original : e['message'];
      });
    };
    expect(messages(10)).toEqual(messages(10_000));
  });

  it('spaces events by 1/rate on average and never goes back in time', () => {
    const g = createDemoGenerator({ seed: 1, startUs: START_US, rate: 200 });
    let previous = 0;
    for (let i = 0; i < 2000; i++) {
      const expectedUs = g.nextTimeUs;
      const t = Date.parse(g.next()['@timestamp'] as string);
      expect(t).toBe(Math.floor(expectedUs / 1000));
      expect(t).toBeGreaterThanOrEqual(previous);
      previous = t;
    }
    // 2,000 events at 200/s cover 10 s of event time.
    expect(g.nextTimeUs - START_US).toBeGreaterThanOrEqual(10_000_000);
    expect(g.nextTimeUs - START_US).toBeLessThan(10_005_000);
  });

  it('reads the injected clock for the default start time', () => {
    const g = createDemoGenerator({ seed: 1, rate: 1, clock: () => START_US });
    expect(g.nextTimeUs).toBeGreaterThanOrEqual(START_US);
    expect(g.nextTimeUs).toBeLessThan(START_US + 1_000_000);
  });

  it('takeUntil returns exactly the events due before the given time', () => {
    const g = createDemoGenerator({ seed: 1, startUs: START_US, rate: 50 });
    const batch = g.takeUntil(START_US + 2_000_000);
    expect(batch).toHaveLength(100);
    expect(g.nextTimeUs).toBeGreaterThanOrEqual(START_US + 2_000_000);
    expect(g.takeUntil(START_US + 10_000_000, 7)).toHaveLength(7);
  });

  it('rejects bad options, listing every problem', () => {
    expect(() => createDemoGenerator({ rate: 0, accessShare: 2 })).toThrow(
      new CairnError(
        'bad_request',
        'Cannot create the demo generator: rate must be a positive number, got 0; accessShare must be between 0 and 1, got 2',
      ),
    );
  });

  it('turns string seeds into stable numbers', () => {
    expect(normalizeSeed('demo')).toBe(normalizeSeed('demo'));
    expect(normalizeSeed('demo')).not.toBe(normalizeSeed('demo2'));
    expect(normalizeSeed(-1)).toBe(4294967295);
  });
});

describe('generateWindow', () => {
  it('yields exactly count events inside [fromUs, toUs), oldest first, with valid ISO timestamps', () => {
    expect(DAY).toHaveLength(100_000);
    let previous = Number.NEGATIVE_INFINITY;
    const bad: string[] = [];
    for (const e of DAY) {
      const ts = e['@timestamp'] as string;
      const t = Date.parse(ts);
      if (!ISO.test(ts) || new Date(t).toISOString() !== ts || t < previous) bad.push(ts);
      previous = t;
    }
    expect(bad).toEqual([]);
    expect(Date.parse(DAY[0]!['@timestamp'] as string)).toBeLessThan((START_US - DAY_US) / 1000 + 2000);
    expect(previous).toBeLessThan(START_US / 1000);
    expect(previous).toBeGreaterThan(START_US / 1000 - 2000);
  });

  it('yields nothing for a count of 0 and refuses an empty window', () => {
    expect([...generateWindow({ fromUs: 0, toUs: 1, count: 0 })]).toEqual([]);
    expect(() => [...generateWindow({ fromUs: 5, toUs: 5, count: 10 })]).toThrow(/window must be non-empty/);
  });
});

describe('application logs', () => {
  it('mixes levels about 70% INFO, 15% WARN, 10% ERROR, 5% DEBUG', () => {
    expect(APP.length).toBeGreaterThan(65_000);
    const counts = new Map<unknown, number>();
    for (const e of APP) counts.set(e['level'], (counts.get(e['level']) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['DEBUG', 'ERROR', 'INFO', 'WARN']);
    for (const [level, percent] of LEVEL_MIX) {
      expect(Math.abs((100 * counts.get(level)!) / APP.length - percent)).toBeLessThan(1.5);
    }
  });

  it('comes from every service, with hosts, loggers and request ids', () => {
    const services = new Set(APP.map((e) => e['service']));
    expect([...services].sort()).toEqual([
      'api-server',
      'auth-service',
      'cache',
      'database',
      'notification-service',
      'payment-service',
      'web-app',
    ]);
    const web = APP.find((e) => e['service'] === 'web-app' && e['user_id'] !== undefined)!;
    expect(web['host']).toMatch(/^web-app-[1-3]$/);
    expect(web['request_id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(web['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof web['user_id']).toBe('number');
    expect(APP.some((e) => e['logger'] === 'com.example.payment.PaymentController')).toBe(true);
    expect(APP.some((e) => e['logger'] === 'app.views')).toBe(true);
    expect(new Set(APP.map((e) => e['message'])).size).toBeGreaterThan(30_000);
    const timed = APP.filter((e) => typeof e['duration_ms'] === 'number');
    expect(timed.length).toBeGreaterThan(APP.length / 4);
  });

  it('attaches Java and Python stack traces with their exception classes to errors', () => {
    const errors = APP.filter((e) => e['level'] === 'ERROR');
    for (const e of errors) expect(error(e)?.['type']).toBeTruthy();
    const types = new Set(errors.map((e) => error(e)!['type']));
    for (const t of [
      'java.lang.NullPointerException',
      'java.sql.SQLTimeoutException',
      'ConnectionRefusedError',
      'KeyError',
      'psycopg2.OperationalError',
    ]) {
      expect(types).toContain(t);
    }
    const java = errors.find((e) => error(e)!['type'] === 'java.sql.SQLTimeoutException')!;
    expect(error(java)!['stack_trace']).toMatch(
      /^java\.sql\.SQLTimeoutException: Query timed out after 30000 ms\n\tat org\.postgresql\.jdbc\.PgStatement/,
    );
    expect(java['duration_ms']).toBeGreaterThanOrEqual(30_000);
    const python = errors.find((e) => error(e)!['type'] === 'KeyError')!;
    const trace = error(python)!['stack_trace']!;
    expect(trace.startsWith('Traceback (most recent call last):\n  File "')).toBe(true);
    expect(trace.endsWith(`KeyError: ${error(python)!['message']}`)).toBe(true);
    const withTrace = errors.filter((e) => error(e)!['stack_trace'] !== undefined);
    expect(withTrace.length / errors.length).toBeGreaterThan(0.7);
    // PostgreSQL reports its errors with a SQLSTATE instead of a trace.
    const pg = errors.find((e) => e['service'] === 'database')!;
    expect(error(pg)!['code']).toMatch(/^[0-9A-Z]{5}$/);
    expect(error(pg)!['stack_trace']).toBeUndefined();
  });
});

describe('nginx access logs', () => {
  it('answers mostly 200 with redirects, 4xx, 429 and 5xx in the mix', () => {
    const statuses = new Map<number, number>();
    for (const e of NGINX) {
      const s = access(e).http.response.status_code;
      statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    expect(statuses.get(200)! / NGINX.length).toBeGreaterThan(0.6);
    for (const s of [201, 204, 301, 304, 400, 401, 403, 404, 429, 500, 502, 503, 504]) {
      expect(statuses.get(s), `status ${s}`).toBeGreaterThan(0);
    }
  });

  it('puts the combined log line in message, agreeing with the parsed fields', () => {
    const line =
      /^(\S+) - - \[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) \+0000\] "(\w+) (\S+) HTTP\/(1\.1|2\.0)" (\d{3}) (\d+) "([^"]*)" "([^"]*)" (\d+\.\d{3})$/;
    for (const e of NGINX.slice(0, 2000)) {
      const a = access(e);
      const m = line.exec(e['message'] as string);
      expect(m, e['message'] as string).not.toBeNull();
      const [, ip, , , , time, method, target, version, status, bytes, referrer, agent, seconds] = m!;
      expect(ip).toBe(a.client.ip);
      expect((e['@timestamp'] as string).slice(11, 19)).toBe(time);
      expect(method).toBe(a.http.request.method);
      expect(target).toBe(a.url.original);
      expect(target!.split('?')[0]).toBe(a.url.path);
      expect(version).toBe(a.http.version);
      expect(Number(status)).toBe(a.http.response.status_code);
      expect(Number(bytes)).toBe(a.http.response.body.bytes);
      expect(referrer).toBe(a.http.request.referrer ?? '-');
      expect(agent).toBe(a.user_agent.original);
      expect(Math.round(Number(seconds) * 1000)).toBe(a.http.response.time_ms);
      expect(e['service']).toBe('nginx');
    }
  });

  it('has public, private and IPv6 clients, real user agents and a long latency tail', () => {
    const ips = NGINX.map((e) => access(e).client.ip);
    expect(ips.some((ip) => ip.includes(':'))).toBe(true);
    expect(ips.some((ip) => ip.startsWith('10.'))).toBe(true);
    expect(
      ips.filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip) && !ip.startsWith('10.')).length,
    ).toBeGreaterThan(NGINX.length / 2);
    const agents = new Set(NGINX.map((e) => access(e).user_agent.original));
    expect([...agents].some((a) => a.includes('Googlebot'))).toBe(true);
    expect([...agents].some((a) => a.startsWith('curl/'))).toBe(true);
    const times = NGINX.map((e) => access(e).http.response.time_ms).sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)]!;
    const p99 = times[Math.floor(times.length * 0.99)]!;
    expect(p50).toBeLessThan(100);
    expect(p99).toBeGreaterThan(10 * p50);
  });
});

describe('incidents', () => {
  const from = START_US - DAY_US;
  const incidents = incidentsBetween(normalizeSeed(7), from, START_US);

  it('are scheduled from the seed, a few per day', () => {
    expect(incidents.length).toBeGreaterThan(3);
    expect(incidents.length).toBeLessThanOrEqual(24);
    expect(incidentsBetween(normalizeSeed(7), from, START_US)).toEqual(incidents);
    expect(incidentsBetween(normalizeSeed(8), from, START_US)).not.toEqual(incidents);
  });

  it('make a service log mostly errors during an error burst', () => {
    const burst = incidents.find((i) => i.kind === 'error_burst')!;
    expect(burst).toBeDefined();
    // A dense sample inside the burst: 20 events per second.
    const g = createDemoGenerator({ seed: 7, startUs: burst.startUs, rate: 20 });
    const during = g
      .takeUntil(burst.endUs)
      .filter((e) => e['service'] === burst.service && demoEventKind(e) === 'application');
    const errors = during.filter((e) => e['level'] === 'ERROR');
    expect(errors.length / during.length).toBeGreaterThan(0.5);
    // One failure dominates the burst.
    const top = new Map<string, number>();
    for (const e of errors) top.set(error(e)!['type']!, (top.get(error(e)!['type']!) ?? 0) + 1);
    expect(Math.max(...top.values()) / errors.length).toBeGreaterThan(0.9);
  });

  it('slow a service down during a slow spell', () => {
    const spell = incidents.find((i) => i.kind === 'slow_spell')!;
    expect(spell).toBeDefined();
    const median = (events: DemoEvent[]) => {
      const d = events
        .filter((e) => e['service'] === spell.service && typeof e['duration_ms'] === 'number')
        .map((e) => e['duration_ms'] as number)
        .sort((a, b) => a - b);
      return d[Math.floor(d.length / 2)]!;
    };
    const during = createDemoGenerator({ seed: 7, startUs: spell.startUs, rate: 20 }).takeUntil(spell.endUs);
    const calmStart = spell.endUs + 60_000_000;
    const after = createDemoGenerator({ seed: 7, startUs: calmStart, rate: 20, incidents: false }).takeUntil(
      calmStart + (spell.endUs - spell.startUs),
    );
    expect(median(during)).toBeGreaterThan(4 * median(after));
  });
});

describe('incidentSeed', () => {
  it('lets generators with different events share one incident schedule', () => {
    const burst = incidentsBetween(normalizeSeed(7), START_US - DAY_US, START_US).find(
      (i) => i.kind === 'error_burst',
    )!;
    const errorShare = (options: { seed: number; incidentSeed?: number }) => {
      const events = createDemoGenerator({ ...options, startUs: burst.startUs, rate: 20 })
        .takeUntil(burst.endUs)
        .filter((e) => e['service'] === burst.service && demoEventKind(e) === 'application');
      return events.filter((e) => e['level'] === 'ERROR').length / events.length;
    };
    expect(errorShare({ seed: 7 })).toBeGreaterThan(0.5);
    expect(errorShare({ seed: 8, incidentSeed: 7 })).toBeGreaterThan(0.5);
    expect(errorShare({ seed: 8 })).toBeLessThan(0.3);
  });
});
