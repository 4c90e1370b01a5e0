const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MILLIS: string[] = Array.from({ length: 1000 }, (_, i) => i.toString().padStart(3, '0'));

/**
 * Formats event times. Consecutive events mostly share their second, so the date part is built once
 * per second and reused: `Date#toISOString` per event would be the generator's single biggest cost.
 */
export class TimeFormatter {
  private second = Number.NaN;
  private isoPrefix = '';
  private nginxTime = '';

  /** `2024-05-01T12:00:00.123Z` (UTC, millisecond precision) for a time in µs since the epoch. */
  iso(us: number): string {
    const ms = Math.floor(us / 1000);
    this.load(Math.floor(ms / 1000));
    return this.isoPrefix + MILLIS[ms - this.second * 1000]! + 'Z';
  }

  /** nginx's `$time_local` for UTC servers: `01/May/2024:12:00:00 +0000`. */
  nginx(us: number): string {
    this.load(Math.floor(us / 1_000_000));
    return this.nginxTime;
  }

  private load(second: number): void {
    if (second === this.second) return;
    this.second = second;
    const iso = new Date(second * 1000).toISOString();
    this.isoPrefix = iso.slice(0, 20);
    const month = MONTHS[Number(iso.slice(5, 7)) - 1]!;
    this.nginxTime = `${iso.slice(8, 10)}/${month}/${iso.slice(0, 4)}:${iso.slice(11, 19)} +0000`;
  }
}

/** nginx's `$request_time`: seconds with millisecond resolution, `0.042`. */
export function formatSeconds(ms: number): string {
  const whole = Math.floor(ms / 1000);
  return `${whole}.${MILLIS[ms - whole * 1000]!}`;
}
