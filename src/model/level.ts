import type { Level } from './event.js';

const NAMES: Readonly<Record<Level, readonly string[]>> = {
  TRACE: ['trace', 'trc', 'finest', 'verbose'],
  DEBUG: ['debug', 'dbg', 'fine'],
  INFO: ['info', 'information', 'informational', 'notice', 'inf'],
  WARN: ['warn', 'warning', 'wrn'],
  ERROR: ['error', 'err', 'eror', 'severe'],
  FATAL: ['fatal', 'critical', 'crit', 'emerg', 'emergency', 'alert', 'panic'],
};

/**
 * Name → level, holding the lower-case, upper-case and capitalised spelling of every name, so the
 * usual spellings are found without allocating a lower-cased copy.
 */
const BY_NAME: ReadonlyMap<string, Level> = (() => {
  const map = new Map<string, Level>();
  for (const [level, names] of Object.entries(NAMES) as [Level, readonly string[]][]) {
    for (const name of names) {
      map.set(name, level);
      map.set(name.toUpperCase(), level);
      map.set(name.charAt(0).toUpperCase() + name.slice(1), level);
    }
  }
  return map;
})();

/** Lower-case names only, for the slow path (odd casing, surrounding spaces). */
const BY_LOWER_NAME: ReadonlyMap<string, Level> = new Map(
  [...BY_NAME].filter(([name]) => name === name.toLowerCase()),
);

const PINO_LEVELS: readonly Level[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const SYSLOG_LEVELS: readonly Level[] = ['FATAL', 'FATAL', 'FATAL', 'ERROR', 'WARN', 'INFO', 'INFO', 'DEBUG'];

function levelFromNumber(n: number): Level | null {
  if (!Number.isInteger(n)) return null;
  // Syslog severities 0 (emergency) … 7 (debug).
  if (n >= 0 && n <= 7) return SYSLOG_LEVELS[n] ?? null;
  // pino / bunyan: 10 trace … 60 fatal; custom levels in between belong to the decade below them.
  if (n >= 10 && n < 70) return PINO_LEVELS[Math.floor(n / 10) - 1] ?? null;
  return null;
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 3) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The canonical level of a level name in any case (`warning`, `WRN`, `Error`, `crit` …), a
 * pino/bunyan number (10-60, custom levels round down to their decade), a syslog severity (0-7),
 * or either number as a string; null when the value is not a level.
 */
export function normalizeLevel(value: unknown): Level | null {
  if (typeof value === 'string') {
    const hit = BY_NAME.get(value);
    if (hit !== undefined) return hit;
    const lower = value.trim().toLowerCase();
    const slow = BY_LOWER_NAME.get(lower);
    if (slow !== undefined) return slow;
    return isDigits(lower) ? levelFromNumber(Number(lower)) : null;
  }
  if (typeof value === 'number') return levelFromNumber(value);
  return null;
}
