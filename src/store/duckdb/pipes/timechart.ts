import type { TimeRange } from '../../../model/event.js';
import { queryError } from '../../../query/errors.js';
import type { TimechartCommand } from '../../../query/pipes/ast.js';
import { autoInterval, bucketStart, type Interval, nextBucket, parseInterval } from '../intervals.js';
import { aggregateSql, isCount } from './compile-aggs.js';
import type { Naming } from './naming.js';
import type { Column, Params, Scope } from './scope.js';

/** Buckets an automatic span aims for at most (Splunk's default `bins`). */
export const AUTO_BUCKETS = 100;
/** Most buckets a chart may have. */
export const MAX_BUCKETS = 10_000;

const CALENDAR_STEP: Readonly<Record<string, string>> = {
  week: 'INTERVAL 1 WEEK',
  month: 'INTERVAL 1 MONTH',
  quarter: 'INTERVAL 3 MONTH',
  year: 'INTERVAL 1 YEAR',
};

export interface TimechartContext {
  read(name: string): Column;
  params: Params;
  naming: Naming;
  range: TimeRange;
  /** The current input, `sN AS e`. */
  input(): string;
  layer(body: string): void;
  unnest(cols: Column[]): Column[];
}

/**
 * `timechart [span=…] aggs [by f]`: aggregations per time bucket of `@timestamp`. Without `by`, every
 * bucket of the time range is present (counts 0, other aggregations NULL where nothing happened);
 * with `by`, one row per bucket and value that has events. Returns the table scope that follows.
 */
export function compileTimechart(cmd: TimechartCommand, ctx: TimechartContext): Scope {
  const ts = ctx.read('@timestamp');
  if (ts.type !== 'timestamp' || ts.list) {
    const why =
      ts.type === 'null'
        ? 'an earlier command removed it (timechart must come before stats, top, rare or fields)'
        : `it is a ${ts.type}${ts.list ? ' list' : ''}`;
    throw queryError(`Cannot run timechart: it needs "@timestamp" as a date, and ${why}`, {
      position: cmd.span.start,
    });
  }
  const span = cmd.interval
    ? parseInterval(cmd.interval.text)
    : autoInterval(ctx.range.toUs - ctx.range.fromUs, AUTO_BUCKETS);
  const first = bucketStart(span, ctx.range.fromUs);
  checkBucketCount(span, first, ctx.range.toUs);

  const bucket =
    span.kind === 'fixed'
      ? (() => {
          const width = ctx.params.add(span.us, 'BIGINT');
          return `make_timestamp((epoch_us(${ts.sql}) // ${width}) * ${width})`;
        })()
      : `date_trunc('${span.unit}', ${ts.sql})`;
  const by = cmd.by ? ctx.unnest([ctx.read(cmd.by.name)])[0]! : null;
  const aggs = cmd.aggs.map((a) => aggregateSql(a, ctx.read, ctx.params));
  const t = ctx.naming.next();
  const b = by ? ctx.naming.next() : null;
  const names = aggs.map(() => ctx.naming.next());
  const select = [
    `${bucket} AS "${t}"`,
    ...(by && b ? [`${by.sql} AS "${b}"`] : []),
    ...aggs.map((a, i) => `${a.sql} AS "${names[i]}"`),
  ];
  const notNull = [`${ts.sql} IS NOT NULL`];
  if (by) notNull.push(by.type === 'null' ? 'FALSE' : `${by.sql} IS NOT NULL`);
  const groupBy = [`"${t}"`, ...(b ? [`"${b}"`] : [])].join(', ');
  ctx.layer(
    `SELECT ${select.join(', ')} FROM ${ctx.input()} WHERE ${notNull.join(' AND ')} GROUP BY ${groupBy}`,
  );

  if (!by) {
    // Every bucket of the range, joined with the ones that had events.
    const lo = ctx.params.add(first, 'BIGINT');
    const hi = ctx.params.add(ctx.range.toUs, 'BIGINT');
    const series =
      span.kind === 'fixed'
        ? `SELECT make_timestamp(unnest(range(${lo}, ${hi}, ${ctx.params.add(span.us, 'BIGINT')}))) AS k`
        : `SELECT unnest(range(make_timestamp(${lo}), make_timestamp(${hi}), ${CALENDAR_STEP[span.unit]})) AS k`;
    const filled = cmd.aggs.map((a, i) =>
      isCount(a) ? `COALESCE(e."${names[i]}", 0) AS "${names[i]}"` : `e."${names[i]}"`,
    );
    ctx.layer(
      `SELECT COALESCE(e."${t}", b.k) AS "${t}", ${filled.join(', ')} FROM (${series}) AS b FULL JOIN ${ctx.input()} ON e."${t}" = b.k`,
    );
  }

  const columns = new Map<string, Column>();
  columns.set('@timestamp', { sql: `e."${t}"`, type: 'timestamp', list: false });
  if (cmd.by && by && b) columns.set(cmd.by.name, { sql: `e."${b}"`, type: by.type, list: false });
  cmd.aggs.forEach((a, i) => {
    columns.set(a.name, { ...aggs[i]!, sql: `e."${names[i]}"` });
  });
  return {
    mode: 'table',
    columns,
    hidden: new Set(),
    order: [{ sql: `e."${t}"`, desc: false }, ...(b ? [{ sql: `e."${b}"`, desc: false }] : [])],
  };
}

function checkBucketCount(span: Interval, first: number, toUs: number): void {
  let count: number;
  if (span.kind === 'fixed') {
    count = Math.ceil((toUs - first) / span.us);
  } else {
    count = 0;
    for (let t = first; t < toUs && count <= MAX_BUCKETS; t = nextBucket(span, t)) count++;
  }
  if (count > MAX_BUCKETS) {
    throw queryError(
      `Cannot run timechart with span=${span.text} over this time range: it would make ${count > MAX_BUCKETS * 10 ? 'far ' : ''}more than ${MAX_BUCKETS.toLocaleString('en-US')} buckets; use a larger span`,
      { span: span.text, limit: MAX_BUCKETS },
    );
  }
}
