import { describe, expect, it } from 'vitest';
import { describeRange, intervalMs, resolveRange, resolveTime } from './time.js';

const now = Date.parse('2026-11-21T10:09:05.106Z');

describe('resolveTime', () => {
  it('reads date math as the server does (UTC, weeks from Monday, rounded ends cover their unit)', () => {
    expect(resolveTime('now', { now })).toBe(now);
    expect(resolveTime('now-15m', { now })).toBe(now - 15 * 60_000);
    expect(resolveTime('now-1d/d', { now })).toBe(Date.parse('2026-11-20T00:00:00Z'));
    expect(resolveTime('now/d', { now, end: true })).toBe(Date.parse('2026-11-22T00:00:00Z'));
    expect(resolveTime('now/w', { now })).toBe(Date.parse('2026-11-16T00:00:00Z'));
    expect(resolveTime('now-1M', { now })).toBe(Date.parse('2026-10-21T10:09:05.106Z'));
  });

  it('reads ISO 8601 (no zone = UTC), dates, and epoch milliseconds', () => {
    expect(resolveTime('2026-11-21T10:00:00Z', { now })).toBe(Date.parse('2026-11-21T10:00:00Z'));
    expect(resolveTime('2026-11-21 10:00', { now })).toBe(Date.parse('2026-11-21T10:00:00Z'));
    expect(resolveTime('2026-11-21', { now, end: true })).toBe(Date.parse('2026-11-22T00:00:00Z'));
    expect(resolveTime('1795255745106', { now })).toBe(1795255745106);
    expect(resolveTime('yesterday', { now })).toBeNull();
  });

  it('refuses a range that ends before it starts', () => {
    expect(resolveRange({ from: 'now', to: 'now-1h' }, now)).toBeNull();
    expect(resolveRange({ from: 'now-1h', to: 'now' }, now)).toEqual({ fromMs: now - 3_600_000, toMs: now });
  });
});

describe('describeRange and intervalMs', () => {
  it('names ranges as people say them', () => {
    expect(describeRange({ from: 'now-15m', to: 'now' })).toBe('Last 15 minutes');
    expect(describeRange({ from: 'now-3h', to: 'now' })).toBe('Last 3 hours');
    expect(describeRange({ from: 'now/d', to: 'now/d' })).toBe('Today');
    expect(describeRange({ from: '2026-11-21T10:00:00.000Z', to: 'now' })).toBe(
      '2026-11-21 10:00:00.000 → now',
    );
  });

  it('reads refresh intervals', () => {
    expect(intervalMs('30s')).toBe(30_000);
    expect(intervalMs('5m')).toBe(300_000);
    expect(intervalMs('')).toBeNull();
    expect(intervalMs('soon')).toBeNull();
  });
});
