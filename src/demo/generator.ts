import { CairnError } from '../model/errors.js';
import { AccessLogBuilder } from './access-log.js';
import { AppLogBuilder } from './app-log.js';
import { IncidentSchedule } from './incidents.js';
import { hashString, Rng } from './rng.js';
import { TimeFormatter } from './time-format.js';

/** A JSON event as a shipper would send it (nested objects, `@timestamp` in ISO 8601). */
export type DemoEvent = Record<string, unknown>;

/** Which log a demo event belongs to: its `log_type` field, as Filebeat's `fields.log_type` sets it. */
export type DemoEventKind = 'application' | 'nginx';

export interface DemoGeneratorOptions {
  /** Same seed, same events. Default 1. */
  seed?: number | string;
  /** Time of the first event, µs since the epoch. Default: `clock()`. */
  startUs?: number;
  /** Mean events per second of event time. Default 50. */
  rate?: number;
  /** µs since the epoch; only read when `startUs` is not given. Default: the system clock. */
  clock?: () => number;
  /** Share of nginx access-log events, 0..1. Default 0.3 (the rest are application logs). */
  accessShare?: number;
  /** Error bursts and slow spells. Default true. */
  incidents?: boolean;
  /**
   * Seed of the incident schedule. Default: `seed`. Generators that make different events for the same
   * system (a backfill and the live run after it, parallel slices of a corpus) share one, so they agree
   * on when things go wrong.
   */
  incidentSeed?: number | string;
  /** The `environment` field. Default `production`. */
  environment?: string;
}

export interface DemoGenerator {
  /** The next event; its `@timestamp` is `nextTimeUs` as it was before the call. */
  next(): DemoEvent;
  /** The time of the event `next()` returns next, µs since the epoch. Never decreases. */
  readonly nextTimeUs: number;
  /** The events due before `untilUs` (at most `max`), e.g. "everything up to now" in a live demo. */
  takeUntil(untilUs: number, max?: number): DemoEvent[];
}

/** The seed as the 32-bit number the generator and the incident schedule use. */
export function normalizeSeed(seed: number | string): number {
  return typeof seed === 'string' ? hashString(seed) : seed >>> 0;
}

/**
 * A realistic, seeded stream of application and nginx access logs from a small online shop.
 *
 * Event times advance by `1/rate` seconds on average with jitter: the i-th event falls at a random
 * point of the i-th slot, so times never decrease and a window of `n` slots holds exactly `n` events.
 * The generator is pure: no I/O, and the clock is only read for the default start time.
 */
export function createDemoGenerator(options: DemoGeneratorOptions = {}): DemoGenerator {
  const problems: string[] = [];
  const rate = options.rate ?? 50;
  const accessShare = options.accessShare ?? 0.3;
  if (!(Number.isFinite(rate) && rate > 0))
    problems.push(`rate must be a positive number, got ${String(rate)}`);
  if (!(accessShare >= 0 && accessShare <= 1)) {
    problems.push(`accessShare must be between 0 and 1, got ${String(accessShare)}`);
  }
  if (options.startUs !== undefined && !Number.isSafeInteger(options.startUs)) {
    problems.push(`startUs must be an integer number of microseconds, got ${String(options.startUs)}`);
  }
  if (problems.length > 0) {
    throw new CairnError('bad_request', `Cannot create the demo generator: ${problems.join('; ')}`);
  }

  const seed = normalizeSeed(options.seed ?? 1);
  const startUs = options.startUs ?? Math.floor((options.clock ?? (() => Date.now() * 1000))());
  const slotUs = 1_000_000 / rate;
  const rng = new Rng(seed);
  // Times come from their own stream so that event contents do not depend on the rate.
  const timeRng = new Rng(seed ^ 0x5eed_71e5);
  const time = new TimeFormatter();
  const environment = options.environment ?? 'production';
  const app = new AppLogBuilder(rng, time, environment);
  const access = new AccessLogBuilder(rng, time, environment);
  const incidentSeed = options.incidentSeed === undefined ? seed : normalizeSeed(options.incidentSeed);
  const incidents = new IncidentSchedule(incidentSeed, options.incidents ?? true);

  let index = 0;
  let nextUs = startUs + Math.floor(timeRng.float() * slotUs);

  const next = (): DemoEvent => {
    const us = nextUs;
    index++;
    nextUs = startUs + Math.floor((index + timeRng.float()) * slotUs);
    const incident = incidents.at(us);
    return rng.float() < accessShare ? access.build(us, incident) : app.build(us, incident);
  };

  return {
    next,
    get nextTimeUs() {
      return nextUs;
    },
    takeUntil(untilUs, max = Number.POSITIVE_INFINITY) {
      const out: DemoEvent[] = [];
      while (nextUs < untilUs && out.length < max) out.push(next());
      return out;
    },
  };
}

export interface WindowOptions extends Omit<DemoGeneratorOptions, 'startUs' | 'rate' | 'clock'> {
  /** Inclusive, µs since the epoch. */
  fromUs: number;
  /** Exclusive, µs since the epoch. */
  toUs: number;
  count: number;
}

/**
 * Exactly `count` events spread evenly (with jitter) over [fromUs, toUs), oldest first, produced lazily:
 * "10 million events over the last 24 hours" for a benchmark or a backfill.
 */
export function* generateWindow(options: WindowOptions): Generator<DemoEvent, void, undefined> {
  const { fromUs, toUs, count, ...rest } = options;
  if (!(toUs > fromUs) || !Number.isSafeInteger(count) || count < 0) {
    throw new CairnError(
      'bad_request',
      `Cannot generate ${String(count)} events between ${String(fromUs)} and ${String(toUs)}: the window must be non-empty and the count a whole number`,
    );
  }
  if (count === 0) return;
  const generator = createDemoGenerator({
    ...rest,
    startUs: fromUs,
    rate: (count * 1_000_000) / (toUs - fromUs),
  });
  for (let i = 0; i < count; i++) yield generator.next();
}

/** Tells application logs from nginx access logs. */
export function demoEventKind(event: DemoEvent): DemoEventKind {
  return event['log_type'] === 'nginx' ? 'nginx' : 'application';
}
