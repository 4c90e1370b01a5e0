import type { QueryMeasurement } from './measure.js';

export interface Disagreement {
  query: string;
  message: string;
}

/**
 * Compares each query's answer on both systems: the number of hits and every bucket, group or
 * timestamp line must be equal. Returns one entry per query that differs, saying how.
 */
export function compareAnswers(
  a: { label: string; queries: readonly QueryMeasurement[] },
  b: { label: string; queries: readonly QueryMeasurement[] },
): Disagreement[] {
  const out: Disagreement[] = [];
  for (const qa of a.queries) {
    const qb = b.queries.find((q) => q.id === qa.id);
    if (!qb) {
      out.push({ query: qa.id, message: `${b.label} did not run it` });
      continue;
    }
    const problems: string[] = [];
    if (qa.outcome.hits !== qb.outcome.hits) {
      problems.push(`${a.label} ${qa.outcome.hits} hits, ${b.label} ${qb.outcome.hits}`);
    }
    const onlyA = difference(qa.outcome.detail, qb.outcome.detail);
    const onlyB = difference(qb.outcome.detail, qa.outcome.detail);
    if (onlyA.length > 0 || onlyB.length > 0 || qa.outcome.detail.length !== qb.outcome.detail.length) {
      problems.push(
        `details differ (${qa.outcome.detail.length} vs ${qb.outcome.detail.length} lines); ` +
          `only in ${a.label}: ${sample(onlyA)}; only in ${b.label}: ${sample(onlyB)}`,
      );
    } else if (qa.outcome.detail.some((line, i) => line !== qb.outcome.detail[i])) {
      problems.push('the same lines in a different order');
    }
    if (problems.length > 0) out.push({ query: qa.id, message: problems.join('; ') });
  }
  return out;
}

function difference(xs: readonly string[], ys: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const y of ys) counts.set(y, (counts.get(y) ?? 0) + 1);
  const out: string[] = [];
  for (const x of xs) {
    const n = counts.get(x) ?? 0;
    if (n > 0) counts.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

function sample(lines: readonly string[]): string {
  if (lines.length === 0) return 'none';
  const shown = lines.slice(0, 5).join(', ');
  return lines.length > 5 ? `${shown} … (${lines.length})` : shown;
}
