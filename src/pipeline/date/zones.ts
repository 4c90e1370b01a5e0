/**
 * Time zones for the date processor: fixed offsets (`+01:00`, `-0800`, `UTC`, `Z`), common
 * abbreviations (`CET`, `PST`…) and IANA names (`Europe/Berlin`) through the ICU data built into
 * Node.js, so daylight saving time is right for any date.
 */
export interface Zone {
  readonly name: string;
  /** Offset from UTC, in ms, in effect at the UTC instant `utcMs`. */
  offsetAt(utcMs: number): number;
}

const MS_PER_MINUTE = 60_000;

function fixed(name: string, minutes: number): Zone {
  const ms = minutes * MS_PER_MINUTE;
  return { name, offsetAt: () => ms };
}

export const UTC: Zone = fixed('UTC', 0);

/**
 * Abbreviations seen in logs. They are ambiguous in general (IST is India, Israel and Ireland);
 * these are the readings Java's and PostgreSQL's defaults give.
 */
const ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  IST: 330,
  SGT: 480,
  HKT: 480,
  AWST: 480,
  JST: 540,
  KST: 540,
  ACST: 570,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  HST: -600,
  AKST: -540,
  AKDT: -480,
  PST: -480,
  PDT: -420,
  MST: -420,
  MDT: -360,
  CST: -360,
  CDT: -300,
  EST: -300,
  EDT: -240,
  AST: -240,
  ADT: -180,
  NST: -210,
  NDT: -150,
};

/** `+01:00`, `+0100`, `+01`, `-08:00`, or null. Returns minutes east of UTC. */
export function parseOffset(text: string): number | null {
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text);
  if (m === null) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 18 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function ianaZone(name: string): Zone | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  // Offsets change at most a few times a year: remember them per quarter hour of UTC time.
  const cache = new Map<number, number>();
  return {
    name,
    offsetAt(utcMs: number): number {
      const slot = Math.floor(utcMs / (15 * MS_PER_MINUTE));
      const hit = cache.get(slot);
      if (hit !== undefined) return hit;
      const parts: Record<string, number> = {};
      for (const p of format.formatToParts(new Date(slot * 15 * MS_PER_MINUTE))) {
        if (p.type !== 'literal') parts[p.type] = Number(p.value);
      }
      const local = Date.UTC(
        parts['year']!,
        parts['month']! - 1,
        parts['day']!,
        parts['hour']!,
        parts['minute']!,
        parts['second']!,
      );
      const offset = local - slot * 15 * MS_PER_MINUTE;
      if (cache.size > 10_000) cache.clear();
      cache.set(slot, offset);
      return offset;
    },
  };
}

const resolved = new Map<string, Zone | null>();

/** A zone by name (IANA, abbreviation or offset), or null when the name is unknown. */
export function resolveZone(name: string): Zone | null {
  const cached = resolved.get(name);
  if (cached !== undefined) return cached;
  let zone: Zone | null = null;
  const abbreviation = ABBREVIATIONS[name.toUpperCase()];
  if (abbreviation !== undefined) zone = fixed(name, abbreviation);
  else {
    const offset = parseOffset(name);
    zone = offset !== null ? fixed(name, offset) : ianaZone(name);
  }
  if (resolved.size < 1000) resolved.set(name, zone);
  return zone;
}

/** The UTC instant of a wall-clock time in `zone` (the earlier one when a DST change repeats it). */
export function localToUtcMs(localMs: number, zone: Zone): number {
  const first = localMs - zone.offsetAt(localMs);
  const second = localMs - zone.offsetAt(first);
  return second;
}
