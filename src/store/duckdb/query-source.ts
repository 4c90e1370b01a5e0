import type { TimeRange } from '../../model/event.js';
import type { QueryNode } from '../../query/ast.js';
import { hasWildcard } from '../../query/wildcard.js';
import {
  type Catalog,
  type ColumnDef,
  type Partition,
  quoteIdent,
  quoteLiteral,
  sqlType,
  TEXT_FIELDS,
} from './catalog.js';
import { compileWhere, type FieldResolver, type ResolvedField } from './compile-where.js';
import type { SqlParam } from './connection.js';
import { type CandidateRanges, requiredTokens, type SkipIndex } from './skip-index.js';

/**
 * What a query reads: the partitions overlapping its time range, unioned by column name (a partition
 * lacks the fields it never saw; DuckDB fills them with NULL), and the resolver that maps field
 * names to the columns those partitions have.
 */
export interface QuerySource {
  partitions: Partition[];
  skip: SkipIndex | null;
  /** `FROM …` target, without the FROM keyword. */
  from: string;
  /** Set by buildWhere when the skip index narrowed the query (`from` then reads only these). */
  narrowed?: CandidateRanges;
  /**
   * Rows of `from` stand for `e._n` events each (a rollup relation, see rollup-source.ts) rather
   * than one: counts sum that column.
   */
  weighted?: boolean;
  resolver: SourceResolver;
  /**
   * Column types by name (the catalog's registry), for the columns of partitions a narrowed query
   * leaves out (see `unionOf`). Rollup relations, which are never narrowed, have none.
   */
  fields?: ReadonlyMap<string, ColumnDef>;
}

/** Maps field names to the columns a source has. */
export interface SourceResolver extends FieldResolver {
  column(name: string): ColumnDef | undefined;
  allColumns(): ColumnDef[];
}

/**
 * The sources a read draws from: the partitions overlapping `range` (of `streams`). With `query`,
 * partitions that lack a field every match must have are left out, as Elasticsearch's can-match
 * phase skips shards: `status:>=500` reads no application-log partition, whose events have no status.
 */
export function buildSource(
  catalog: Catalog,
  overflow: ReadonlySet<string>,
  range: TimeRange,
  streams: string[] | undefined,
  skip: SkipIndex | null,
  prune: { query: QueryNode | null; nowUs: number } | null = null,
): QuerySource {
  const inRange = catalog.select(range, streams);
  const required = [...requiredFields(prune?.query ?? null)].filter((f) => !overflow.has(f));
  let partitions = inRange.filter((p) => required.every((f) => p.columns.has(f)));
  // None left: the answer is empty either way, and reading them lets DuckDB report a bad regex.
  if (partitions.length === 0) partitions = inRange;
  if (prune?.query && partitions.length < inRange.length) {
    // The query is still checked against every field in range, so a value of the wrong type is
    // reported (400) as it would be without the skipped partitions.
    compileWhere(prune.query, {
      resolver: new PartitionResolver(catalog, inRange, overflow),
      params: [],
      nowUs: prune.nowUs,
    });
  }
  return {
    partitions,
    from: unionOf(partitions, null),
    skip,
    resolver: new PartitionResolver(catalog, partitions, overflow),
    fields: catalog.fields,
  };
}

/**
 * Fields an event must have to match `node`: those a positive leaf names (no field patterns, not
 * under NOT), every one of an AND's children's, and those all of an OR's children require.
 */
export function requiredFields(node: QueryNode | null): Set<string> {
  if (!node) return new Set();
  switch (node.kind) {
    case 'and': {
      const out = new Set<string>();
      for (const c of node.children) for (const f of requiredFields(c)) out.add(f);
      return out;
    }
    case 'or': {
      const [first, ...rest] = node.children.map(requiredFields);
      if (!first) return new Set();
      return new Set([...first].filter((f) => rest.every((r) => r.has(f))));
    }
    case 'not':
    case 'match_all':
      return new Set();
    case 'exists':
    case 'term':
    case 'phrase':
    case 'regex':
    case 'range':
      return node.field === null || hasWildcard(node.field) ? new Set() : new Set([node.field]);
  }
}

/** Column of `taggedFrom`: the index of the row's partition. Not a field name (see catalog.ts). */
export const PARTITION_TAG = '_cairn_partition';

/**
 * The same rows as `source.from`, each with the index in `source.partitions` of the partition it
 * lives in, as column `PARTITION_TAG`: searches fetch their hits from that one table.
 */
export function taggedFrom(source: QuerySource): string {
  return unionOf(source.partitions, source.narrowed?.byPartition ?? null, true, source.fields);
}

/**
 * `source.from` without the partitions `keep` rejects (their columns stay defined, see `unionOf`);
 * skip-index narrowing is kept.
 */
export function fromOnly(source: QuerySource, keep: (p: Partition) => boolean): string {
  if (source.partitions.every(keep)) return source.from;
  const byPartition = new Map(source.narrowed?.byPartition ?? []);
  for (const p of source.partitions) if (!keep(p)) byPartition.set(partitionKey(p), []);
  return unionOf(source.partitions, byPartition, false, source.fields);
}

function partitionKey(p: Partition): string {
  return `${p.stream}\u0000${p.dayUs}`;
}

/**
 * The partitions as one relation. With skip-index ranges each partition reads only its own candidate
 * `_seq` ranges, and one without candidates is left out: DuckDB binds every branch of a union, about
 * 0.3 ms per partition table, which over a month of partitions cost more than the search. The
 * columns only left-out partitions have stay defined (as NULL, through an empty branch typed from
 * `fields`), so a query naming them still compiles and the relation keeps the same columns.
 */
function unionOf(
  partitions: readonly Partition[],
  byPartition: ReadonlyMap<string, [number, number][]> | null,
  tagged = false,
  fields?: ReadonlyMap<string, ColumnDef>,
): string {
  const branches: string[] = [];
  const kept = new Set<string>();
  const dropped = new Set<string>();
  partitions.forEach((p, i) => {
    const ranges = byPartition?.get(partitionKey(p));
    if (ranges && ranges.length === 0 && fields) {
      for (const c of p.columns) dropped.add(c);
      return;
    }
    for (const c of p.columns) kept.add(c);
    const select = `SELECT *${tagged ? `, ${i} AS ${PARTITION_TAG}` : ''} FROM ${quoteIdent(p.table)}`;
    if (!ranges) branches.push(select);
    else {
      const where =
        ranges.length === 0 ? 'FALSE' : ranges.map(([lo, hi]) => `_seq BETWEEN ${lo} AND ${hi}`).join(' OR ');
      branches.push(`${select} WHERE ${where}`);
    }
  });
  const missing = [...dropped].filter((c) => !kept.has(c));
  if (missing.length > 0 && fields) {
    const columns = missing.map((c) => {
      const def = fields.get(c) ?? { name: c, type: 'string' as const, list: false };
      return `CAST(NULL AS ${sqlType(def)}) AS ${quoteIdent(c)}`;
    });
    if (tagged && branches.length === 0) columns.push(`CAST(NULL AS INTEGER) AS ${PARTITION_TAG}`);
    branches.push(`SELECT ${columns.join(', ')} WHERE FALSE`);
  }
  if (branches.length === 1 && partitions.length === 1 && !byPartition && !tagged)
    return `${quoteIdent(partitions[0]!.table)} AS e`;
  return `(${branches.join(' UNION ALL BY NAME ')}) AS e`;
}

export class PartitionResolver implements SourceResolver {
  private readonly columns = new Map<string, ColumnDef>();

  constructor(
    catalog: Catalog,
    partitions: readonly Partition[],
    private readonly overflow: ReadonlySet<string>,
  ) {
    for (const p of partitions) {
      for (const name of p.columns) {
        const def = catalog.fields.get(name);
        if (def && name !== '_seq' && name !== '_extra' && name !== '_id') this.columns.set(name, def);
      }
    }
  }

  column(name: string): ColumnDef | undefined {
    return this.columns.get(name);
  }

  allColumns(): ColumnDef[] {
    return [...this.columns.values()];
  }

  resolve(name: string): ResolvedField[] {
    const out: ResolvedField[] = [];
    const col = this.columns.get(name);
    if (col)
      out.push({
        name,
        sql: `e.${quoteIdent(name)}`,
        type: col.type,
        list: col.list,
        text: TEXT_FIELDS.has(name),
      });
    if (this.overflow.has(name)) {
      const path = `$."${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
      out.push({
        name,
        sql: `json_extract_string(e."_extra", ${quoteLiteral(path)})`,
        type: 'string',
        list: false,
        text: TEXT_FIELDS.has(name),
      });
    }
    return out;
  }

  names(): string[] {
    const names = new Set(this.columns.keys());
    for (const n of this.overflow) names.add(n);
    return [...names].sort();
  }

  defaultFields(): ResolvedField[] {
    const out: ResolvedField[] = [];
    for (const name of TEXT_FIELDS) out.push(...this.resolve(name));
    return out;
  }
}

/** `buildWhere` over a read's source (which it may narrow), with parameters of its own. */
export function whereOf(
  read: { source: QuerySource; nowUs: number },
  range: TimeRange,
  query: QueryNode | null,
): { where: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const where = buildWhere({ source: read.source, range, query, params, nowUs: read.nowUs });
  return { where, params };
}

/** The WHERE clause of a query: time range first (it prunes row groups), then the compiled query. */
export function buildWhere(opts: {
  source: { resolver: FieldResolver; from?: string } & Partial<
    Pick<QuerySource, 'partitions' | 'skip' | 'narrowed' | 'fields'>
  >;
  range: TimeRange;
  query: QueryNode | null;
  params: SqlParam[];
  nowUs: number;
}): string {
  const { params } = opts;
  params.push(Math.trunc(opts.range.fromUs), Math.trunc(opts.range.toUs));
  const clauses = [
    `e."@timestamp" >= make_timestamp($${params.length - 1}::BIGINT)`,
    `e."@timestamp" < make_timestamp($${params.length}::BIGINT)`,
  ];
  if (opts.query) {
    const { skip, partitions } = opts.source;
    const candidates =
      skip && partitions ? skip.candidateRanges(partitions, requiredTokens(opts.query)) : null;
    // Sequence numbers are ours (integers), so the ranges are written inline.
    if (candidates) {
      const { ranges } = candidates;
      clauses.push(
        ranges.length === 0
          ? 'FALSE'
          : `(${ranges.map(([lo, hi]) => `e._seq BETWEEN ${lo} AND ${hi}`).join(' OR ')})`,
      );
      // Narrow each partition to its own ranges too, for callers that read `from` after this.
      if (partitions && opts.source.from !== undefined) {
        opts.source.from = unionOf(partitions, candidates.byPartition, false, opts.source.fields);
        opts.source.narrowed = candidates;
      }
    }
    clauses.push(
      `(${compileWhere(opts.query, { resolver: opts.source.resolver, params, nowUs: opts.nowUs })})`,
    );
  }
  return clauses.join(' AND ');
}
