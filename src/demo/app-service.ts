import type { ExceptionSpec } from './exceptions.js';
import type { Rng } from './rng.js';

/** What a message template may refer to, so the text agrees with the event's fields. */
export interface TemplateContext {
  userId: number;
  durationMs: number;
}

export interface MessageTemplate {
  logger: string;
  render: (r: Rng, c: TemplateContext) => string;
  /** The message reports how long something took: the event gets `duration_ms`. */
  timed?: boolean;
  /** The message is about a user: the event gets `user_id`. */
  user?: boolean;
  /** ERROR templates: the exception behind the message (`error.*`). */
  exception?: ExceptionSpec;
  /** Relative frequency among the templates of its level. Default 1. */
  weight?: number;
}

export interface AppServiceProfile {
  name: string;
  /** Share of application events. */
  weight: number;
  hosts: readonly string[];
  thread: (r: Rng) => string;
  /** Typical request or operation latency, for `duration_ms`. */
  latency: { medianMs: number; sigma: number };
  info: readonly MessageTemplate[];
  warn: readonly MessageTemplate[];
  error: readonly MessageTemplate[];
  debug: readonly MessageTemplate[];
  /** WARNs logged during a slow spell. */
  slow: readonly MessageTemplate[];
  /** The service logs outside any request (a database server): no `request_id`/`trace_id`. */
  untraced?: boolean;
}

/** `web-app-1`, `web-app-2`, … */
export const hostNames = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

export const orderId = (r: Rng): string => `ORD-${r.between(1_000_000, 9_999_999)}`;
/** Product ids follow a popularity curve: a few best sellers, a long tail. */
export const productId = (r: Rng): number => 1000 + r.skewed(40_000);
export const amount = (r: Rng): string => (r.between(199, 49_999) / 100).toFixed(2);
export const currency = (r: Rng): string => (r.chance(0.7) ? 'USD' : r.chance(0.6) ? 'EUR' : 'GBP');
