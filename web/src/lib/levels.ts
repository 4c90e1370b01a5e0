/** Log levels in order of severity, with the colours every chart and badge uses. */
export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

const COLORS: Record<string, string> = {
  TRACE: '#8b949e',
  DEBUG: '#6e7ddb',
  INFO: '#3fb0ac',
  WARN: '#e3a008',
  ERROR: '#e5534b',
  FATAL: '#a4312c',
};

/** Colour of a level; events without one are drawn grey. */
export function levelColor(level: string): string {
  return COLORS[level] ?? '#9aa4b2';
}

/** Order for stacks and legends: most severe on top. */
export function levelRank(level: string): number {
  const i = (LEVELS as readonly string[]).indexOf(level);
  return i === -1 ? -1 : i;
}

/** A palette for series that are not levels (services, status codes). */
export const PALETTE = [
  '#4c8bf5',
  '#f29e4c',
  '#3fb0ac',
  '#c66cd1',
  '#e5534b',
  '#8fbf4a',
  '#e3a008',
  '#6e7ddb',
  '#d4708f',
  '#55a8c4',
  '#a98e5f',
  '#7f8c8d',
];

export function seriesColor(name: string, index: number): string {
  return COLORS[name] ?? PALETTE[index % PALETTE.length]!;
}
