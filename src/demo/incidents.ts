import { hash2 } from './rng.js';

export type IncidentKind = 'error_burst' | 'slow_spell';

/** A stretch of time during which one service misbehaves. */
export interface Incident {
  kind: IncidentKind;
  service: string;
  startUs: number;
  /** Exclusive. */
  endUs: number;
  /** Error bursts: which of the service's ERROR templates dominates, so one failure stands out. */
  variant: number;
}

const HOUR_US = 3_600_000_000;
const MINUTE_US = 60_000_000;
/** Services that can have an incident; weighted by listing some twice. */
const INCIDENT_SERVICES = [
  'api-server',
  'api-server',
  'payment-service',
  'payment-service',
  'auth-service',
  'web-app',
  'database',
  'cache',
  'notification-service',
];

/**
 * At most one incident per clock hour, decided by hashing (seed, hour) rather than by drawing from the
 * event stream: the same seed shows the same incidents at the same times whatever the event rate,
 * and a backfill and a live run agree.
 */
export function incidentInHour(seed: number, hour: number): Incident | null {
  const h1 = hash2(seed, hour);
  if (h1 % 100 >= 50) return null;
  const h2 = hash2(h1, 0x1ced);
  const durationMin = 3 + (h2 % 13);
  const startMin = (h2 >>> 8) % (60 - durationMin);
  const startUs = hour * HOUR_US + startMin * MINUTE_US;
  return {
    kind: (h1 >>> 8) % 100 < 60 ? 'error_burst' : 'slow_spell',
    service: INCIDENT_SERVICES[(h1 >>> 16) % INCIDENT_SERVICES.length]!,
    startUs,
    endUs: startUs + durationMin * MINUTE_US,
    variant: h2 >>> 24,
  };
}

/** The incidents that overlap [fromUs, toUs), oldest first. */
export function incidentsBetween(seed: number, fromUs: number, toUs: number): Incident[] {
  const out: Incident[] = [];
  for (let hour = Math.floor(fromUs / HOUR_US); hour * HOUR_US < toUs; hour++) {
    const incident = incidentInHour(seed, hour);
    if (incident && incident.endUs > fromUs && incident.startUs < toUs) out.push(incident);
  }
  return out;
}

/** Answers "what is going wrong at time t" in O(1) for the mostly increasing times of a generator. */
export class IncidentSchedule {
  private hour = Number.NaN;
  private current: Incident | null = null;

  constructor(
    private readonly seed: number,
    private readonly enabled: boolean,
  ) {}

  at(us: number): Incident | null {
    if (!this.enabled) return null;
    const hour = Math.floor(us / HOUR_US);
    if (hour !== this.hour) {
      this.hour = hour;
      this.current = incidentInHour(this.seed, hour);
    }
    const c = this.current;
    return c !== null && us >= c.startUs && us < c.endUs ? c : null;
  }
}
