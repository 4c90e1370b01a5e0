import type { AppServiceProfile, MessageTemplate, TemplateContext } from './app-service.js';
import type { Incident } from './incidents.js';
import { hexId, type Rng, uuid, Weighted } from './rng.js';
import { CACHE, DATABASE } from './services-infra.js';
import { API_SERVER, AUTH_SERVICE, PAYMENT_SERVICE } from './services-jvm.js';
import { NOTIFICATION_SERVICE, WEB_APP } from './services-python.js';
import type { TimeFormatter } from './time-format.js';

/** Every service that writes application logs, in a fixed order (the seed depends on it). */
export const APP_SERVICES: readonly AppServiceProfile[] = [
  WEB_APP,
  API_SERVER,
  AUTH_SERVICE,
  PAYMENT_SERVICE,
  DATABASE,
  CACHE,
  NOTIFICATION_SERVICE,
];

type AppLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';

/** The level mix of application logs outside incidents. */
export const LEVEL_MIX: ReadonlyArray<readonly [AppLevel, number]> = [
  ['INFO', 70],
  ['WARN', 15],
  ['ERROR', 10],
  ['DEBUG', 5],
];

// Immutable lookup tables, shared by every generator.
const SERVICES = new Weighted(APP_SERVICES.map((s) => [s, s.weight] as const));
const LEVELS = new Weighted(LEVEL_MIX);
const TEMPLATES = new Map<AppServiceProfile, Record<AppLevel, Weighted<MessageTemplate>>>(
  APP_SERVICES.map((s) => [
    s,
    { INFO: weighted(s.info), WARN: weighted(s.warn), ERROR: weighted(s.error), DEBUG: weighted(s.debug) },
  ]),
);

/** Builds one application log event (the shape a JSON logger such as Logback's or python-json-logger writes). */
export class AppLogBuilder {
  private readonly ctx: TemplateContext = { userId: 0, durationMs: 0 };

  constructor(
    private readonly rng: Rng,
    private readonly time: TimeFormatter,
    private readonly environment: string,
  ) {}

  build(us: number, incident: Incident | null): Record<string, unknown> {
    const r = this.rng;
    const service = SERVICES.pick(r);
    const hit = incident !== null && incident.service === service.name ? incident : null;

    let durationMs = Math.round(r.logNormal(service.latency.medianMs, service.latency.sigma));
    if (r.chance(0.01)) durationMs *= r.between(5, 30);
    const templates = TEMPLATES.get(service)!;
    let level: AppLevel;
    let template: MessageTemplate;
    if (hit?.kind === 'error_burst') {
      const u = r.float();
      level = u < 0.7 ? 'ERROR' : u < 0.88 ? 'WARN' : 'INFO';
      template =
        level === 'ERROR' ? service.error[hit.variant % service.error.length]! : templates[level].pick(r);
    } else if (hit?.kind === 'slow_spell') {
      durationMs *= r.between(6, 20);
      level = r.chance(0.35) ? 'WARN' : LEVELS.pick(r);
      template = level === 'WARN' ? r.pick(service.slow) : templates[level].pick(r);
    } else {
      level = LEVELS.pick(r);
      template = templates[level].pick(r);
    }

    const ex = level === 'ERROR' ? template.exception : undefined;
    if (ex?.timeoutMs !== undefined) durationMs = ex.timeoutMs + r.int(250);
    const ctx = this.ctx;
    ctx.durationMs = durationMs;
    ctx.userId = 10_000 + r.skewed(240_000);
    const event: Record<string, unknown> = {
      '@timestamp': this.time.iso(us),
      level,
      service: service.name,
      host: r.pick(service.hosts),
      logger: template.logger,
      thread: service.thread(r),
      message: template.render(r, ctx),
      environment: this.environment,
      log_type: 'application',
    };
    if (!service.untraced) {
      event['request_id'] = uuid(r);
      event['trace_id'] = hexId(r, 4);
    }
    if (template.user) event['user_id'] = ctx.userId;
    if (template.timed || ex?.timeoutMs !== undefined) event['duration_ms'] = durationMs;
    if (ex !== undefined) {
      const message = ex.message(r);
      const error: Record<string, unknown> = { type: ex.type, message };
      if (ex.code !== undefined) error['code'] = ex.code;
      if (ex.stackTrace !== null) error['stack_trace'] = ex.stackTrace(message);
      event['error'] = error;
    }
    return event;
  }
}

function weighted(templates: readonly MessageTemplate[]): Weighted<MessageTemplate> {
  return new Weighted(templates.map((t) => [t, t.weight ?? 1] as const));
}
