import { assertNever } from '../../../model/errors.js';
import type { TimeRange } from '../../../model/event.js';
import type { QueryNode } from '../../../query/ast.js';
import { queryError } from '../../../query/errors.js';
import type {
  DedupCommand,
  EvalCommand,
  FieldsCommand,
  PipeCommand,
  RenameCommand,
  SortCommand,
  StatsCommand,
  TopCommand,
} from '../../../query/pipes/ast.js';
import type { FieldResolver } from '../compile-where.js';
import type { SqlParam } from '../connection.js';
import { buildWhere, type QuerySource } from '../query-source.js';
import { aggregateSql } from './compile-aggs.js';
import { ExprCompiler } from './compile-expr.js';
import { Naming } from './naming.js';
import { type Column, lookup, NULL_COLUMN, orderBySql, Params, type Scope } from './scope.js';
import { compileTimechart } from './timechart.js';

export interface PipelineRequest {
  search: QueryNode | null;
  pipes: readonly PipeCommand[];
  /** The events to read, as a FROM target aliased `e` (trusted SQL from the store). */
  from: string;
  resolver: FieldResolver;
  /** The partitions read and their skip index, so that needle searches prune blocks as in search. */
  prune?: Pick<QuerySource, 'partitions' | 'skip'>;
  range: TimeRange;
  /** µs since the epoch, for date math. */
  nowUs: number;
  /** Most rows to return; one more is fetched to tell whether the result was cut. */
  rowLimit: number;
}

export interface OutputColumn {
  name: string;
  column: Column;
  /** A stored field listed because events were returned: dropped when no returned row has it. */
  optional: boolean;
}

export interface CompiledPipeline {
  sql: string;
  params: SqlParam[];
  /** Output columns in order; the SQL names them `c0`, `c1`, … (timestamps as µs since the epoch). */
  columns: OutputColumn[];
}

/** Stored fields shown first when a pipeline returns events; the rest follow by name. */
const LEADING_FIELDS = ['@timestamp', 'stream', 'level', 'service', 'host', 'message'];

/**
 * Compiles a search and its pipe commands to one DuckDB query: the search is the first CTE (time
 * range and compiled WHERE), and each command adds CTEs that read the one before (`FROM sN AS e`).
 * Stages that keep rows pass every input column through (`e.*`), so later stages can still read
 * stored fields and the columns earlier stages defined; `fields`, `rename` and `sort` only change
 * what names resolve to and the order, and cost no stage. Every value from the query text is a
 * bound parameter and every column the pipeline defines gets an internal name, so the text of
 * the query never reaches the SQL.
 */
export function compilePipeline(req: PipelineRequest): CompiledPipeline {
  return new PipelineCompiler(req).compile();
}

class PipelineCompiler {
  private readonly values: SqlParam[] = [];
  private readonly params = new Params(this.values);
  private readonly layers: string[] = [];
  private readonly naming: Naming;
  private scope: Scope = {
    mode: 'events',
    columns: new Map(),
    hidden: new Set(),
    order: [
      { sql: 'e."@timestamp"', desc: true },
      { sql: 'e."_seq"', desc: true },
    ],
  };

  constructor(private readonly req: PipelineRequest) {
    this.naming = new Naming(req.resolver.names());
  }

  compile(): CompiledPipeline {
    const where = buildWhere({
      source: { resolver: this.req.resolver, ...this.req.prune },
      range: this.req.range,
      query: this.req.search,
      params: this.values,
      nowUs: this.req.nowUs,
    });
    this.layers.push(`s0 AS (SELECT e.* FROM ${this.req.from} WHERE ${where})`);
    for (const cmd of this.req.pipes) this.command(cmd);
    return this.finish();
  }

  private command(cmd: PipeCommand): void {
    switch (cmd.kind) {
      case 'where':
        this.layer(`SELECT e.* FROM ${this.input} WHERE ${this.exprs().condition(cmd.condition)}`);
        break;
      case 'eval':
        this.eval(cmd);
        break;
      case 'stats':
        this.stats(cmd);
        break;
      case 'timechart':
        this.scope = compileTimechart(cmd, {
          read: (name) => this.read(name),
          params: this.params,
          naming: this.naming,
          range: this.req.range,
          input: () => this.input,
          layer: (body) => this.layer(body),
          unnest: (cols) => this.unnestLists(cols),
        });
        break;
      case 'top':
      case 'rare':
        this.top(cmd);
        break;
      case 'sort':
        this.sort(cmd);
        break;
      case 'head': {
        const order = this.scope.order.length > 0 ? ` ORDER BY ${orderBySql(this.scope.order)}` : '';
        this.layer(`SELECT e.* FROM ${this.input}${order} LIMIT ${this.params.add(cmd.count, 'BIGINT')}`);
        break;
      }
      case 'fields':
        this.fields(cmd);
        break;
      case 'rename':
        this.rename(cmd);
        break;
      case 'dedup':
        this.dedup(cmd);
        break;
      default:
        assertNever(cmd, 'pipe command');
    }
  }

  private eval(cmd: EvalCommand): void {
    for (const a of cmd.assignments) {
      const value = this.exprs().value(a.value);
      const name = this.naming.next();
      this.layer(`SELECT e.*, ${value.sql} AS "${name}" FROM ${this.input}`);
      this.scope.columns.set(a.field.name, { sql: `e."${name}"`, type: value.type, list: value.list });
    }
  }

  private stats(cmd: StatsCommand): void {
    const by = this.unnestLists(cmd.by.map((f) => this.read(f.name)));
    const aggs = cmd.aggs.map((a) => aggregateSql(a, (n) => this.read(n), this.params));
    const byNames = by.map(() => this.naming.next());
    const aggNames = aggs.map(() => this.naming.next());
    const select = [
      ...by.map((c, i) => `${c.sql} AS "${byNames[i]}"`),
      ...aggs.map((c, i) => `${c.sql} AS "${aggNames[i]}"`),
    ];
    const groupBy = by.length > 0 ? ` GROUP BY ${byNames.map((n) => `"${n}"`).join(', ')}` : '';
    this.layer(`SELECT ${select.join(', ')} FROM ${this.input}${notNullWhere(by)}${groupBy}`);
    const columns = new Map<string, Column>();
    cmd.by.forEach((f, i) => {
      columns.set(f.name, { sql: `e."${byNames[i]}"`, type: by[i]!.type, list: false });
    });
    cmd.aggs.forEach((a, i) => {
      columns.set(a.name, { ...aggs[i]!, sql: `e."${aggNames[i]}"` });
    });
    this.scope = {
      mode: 'table',
      columns,
      hidden: new Set(),
      order: byNames.map((n) => ({ sql: `e."${n}"`, desc: false })),
    };
  }

  /** Counts per value (combination), the top (or rarest) N per `by` group, with percent of the group. */
  private top(cmd: TopCommand): void {
    for (const f of [...cmd.fields, ...cmd.by]) {
      if (f.name === 'count' || f.name === 'percent') {
        throw queryError(
          `Cannot run ${cmd.kind} on a field named "${f.name}": the result has a column of that name; rename the field first (| rename ${f.name} as ${f.name}_value)`,
          { field: f.name, position: f.span.start },
        );
      }
    }
    const by = this.unnestLists(cmd.by.map((f) => this.read(f.name)));
    const fields = this.unnestLists(cmd.fields.map((f) => this.read(f.name)));
    const g = by.map(() => this.naming.next());
    const k = fields.map(() => this.naming.next());
    const [n, pct, rank] = [this.naming.next(), this.naming.next(), this.naming.next()];
    const keys = [...g, ...k].map((x) => `"${x}"`);
    const select = [
      ...by.map((c, i) => `${c.sql} AS "${g[i]}"`),
      ...fields.map((c, i) => `${c.sql} AS "${k[i]}"`),
    ];
    this.layer(
      `SELECT ${select.join(', ')}, count(*) AS "${n}" FROM ${this.input}${notNullWhere([...by, ...fields])} GROUP BY ${keys.join(', ')}`,
    );
    const partition = g.length > 0 ? `PARTITION BY ${g.map((x) => `e."${x}"`).join(', ')}` : '';
    const direction = cmd.kind === 'top' ? 'DESC' : 'ASC';
    const tieBreak = k.map((x) => `, e."${x}" ASC NULLS LAST`).join('');
    this.layer(
      `SELECT e.*, 100 * CAST(e."${n}" AS DOUBLE) / sum(e."${n}") OVER (${partition}) AS "${pct}", row_number() OVER (${partition} ORDER BY e."${n}" ${direction}${tieBreak}) AS "${rank}" FROM ${this.input}`,
    );
    this.layer(`SELECT e.* FROM ${this.input} WHERE e."${rank}" <= ${this.params.add(cmd.limit, 'BIGINT')}`);
    const columns = new Map<string, Column>();
    cmd.by.forEach((f, i) => {
      columns.set(f.name, { sql: `e."${g[i]}"`, type: by[i]!.type, list: false });
    });
    cmd.fields.forEach((f, i) => {
      columns.set(f.name, { sql: `e."${k[i]}"`, type: fields[i]!.type, list: false });
    });
    columns.set('count', { sql: `e."${n}"`, type: 'number', list: false });
    columns.set('percent', { sql: `e."${pct}"`, type: 'number', list: false });
    this.scope = {
      mode: 'table',
      columns,
      hidden: new Set(),
      order: [...g.map((x) => ({ sql: `e."${x}"`, desc: false })), { sql: `e."${rank}"`, desc: false }],
    };
  }

  private sort(cmd: SortCommand): void {
    const keys = cmd.keys
      .map((k) => ({ sql: this.read(k.field.name).sql, desc: k.order === 'desc' }))
      .filter((k) => k.sql !== NULL_COLUMN.sql);
    // Earlier orders break ties, so `sort service` keeps events newest first within a service.
    this.scope.order = [...keys, ...this.scope.order];
  }

  private fields(cmd: FieldsCommand): void {
    if (cmd.mode === 'keep') {
      const columns = new Map<string, Column>();
      for (const f of cmd.fields) columns.set(f.name, this.read(f.name));
      this.scope = { mode: 'table', columns, hidden: new Set(), order: this.scope.order };
      return;
    }
    for (const f of cmd.fields) {
      this.scope.columns.delete(f.name);
      if (this.scope.mode === 'events') this.scope.hidden.add(f.name);
    }
  }

  private rename(cmd: RenameCommand): void {
    for (const { from, to } of cmd.renames) {
      if (from.name === to.name) continue;
      const col = this.read(from.name);
      if (col === NULL_COLUMN) continue; // renaming what is not there changes nothing
      if (this.scope.mode === 'table') {
        const renamed = new Map<string, Column>();
        for (const [name, c] of this.scope.columns) {
          if (name === from.name) renamed.set(to.name, c);
          else if (name !== to.name) renamed.set(name, c);
        }
        this.scope.columns = renamed;
      } else {
        this.scope.columns.delete(from.name);
        this.scope.hidden.add(from.name);
        this.scope.columns.set(to.name, col);
      }
    }
  }

  private dedup(cmd: DedupCommand): void {
    const cols = cmd.fields.map((f) => this.read(f.name));
    const order = this.scope.order.length > 0 ? ` ORDER BY ${orderBySql(this.scope.order)}` : '';
    const partition = cols.map((c) => c.sql).join(', ');
    this.layer(
      `SELECT e.* FROM ${this.input}${notNullWhere(cols)} QUALIFY row_number() OVER (PARTITION BY ${partition}${order}) = 1`,
    );
  }

  /** Group keys that are lists count each element: one row per element (none for an empty list). */
  private unnestLists(cols: Column[]): Column[] {
    return cols.map((c) => {
      if (!c.list) return c;
      const name = this.naming.next();
      this.layer(`SELECT e.*, unnest(${c.sql}) AS "${name}" FROM ${this.input}`);
      return { sql: `e."${name}"`, type: c.type, list: false };
    });
  }

  private finish(): CompiledPipeline {
    const outputs = this.scope.mode === 'table' ? this.tableOutputs() : this.eventOutputs();
    const select =
      outputs.length > 0 ? outputs.map((o, i) => `${outputSql(o.column)} AS c${i}`).join(', ') : 'NULL AS c0';
    const order = this.scope.order.length > 0 ? ` ORDER BY ${orderBySql(this.scope.order)}` : '';
    const limit = this.params.add(this.req.rowLimit + 1, 'BIGINT');
    const sql = `WITH ${this.layers.join(', ')} SELECT ${select} FROM ${this.input}${order} LIMIT ${limit}`;
    return { sql, params: this.values, columns: outputs };
  }

  private tableOutputs(): OutputColumn[] {
    return [...this.scope.columns].map(([name, column]) => ({ name, column, optional: false }));
  }

  /** Rows are still events: every stored field (well-known ones first) and every defined one. */
  private eventOutputs(): OutputColumn[] {
    const stored = new Set(this.req.resolver.names());
    stored.add('@timestamp');
    const names = [
      ...LEADING_FIELDS.filter((n) => stored.has(n)),
      ...[...stored].filter((n) => !LEADING_FIELDS.includes(n)).sort(),
    ];
    const out: OutputColumn[] = [];
    const emitted = new Set<string>();
    for (const name of names) {
      if (this.scope.hidden.has(name)) continue;
      const defined = this.scope.columns.get(name);
      const column = defined ?? lookup(this.scope, this.req.resolver, name);
      out.push({ name, column, optional: !defined && name !== '@timestamp' });
      emitted.add(name);
    }
    for (const [name, column] of this.scope.columns) {
      if (!emitted.has(name)) out.push({ name, column, optional: false });
    }
    return out;
  }

  private read(name: string): Column {
    return lookup(this.scope, this.req.resolver, name);
  }

  private exprs(): ExprCompiler {
    return new ExprCompiler({ read: (n) => this.read(n), params: this.params, nowUs: this.req.nowUs });
  }

  private get input(): string {
    return `s${this.layers.length - 1} AS e`;
  }

  private layer(body: string): void {
    this.layers.push(`s${this.layers.length} AS (${body})`);
  }
}

/** ` WHERE a IS NOT NULL AND …` over group keys (rows lacking a key belong to no group). */
function notNullWhere(cols: readonly Column[]): string {
  if (cols.length === 0) return '';
  if (cols.some((c) => c.type === 'null')) return ' WHERE FALSE';
  return ` WHERE ${cols.map((c) => (c.list ? `len(${c.sql}) > 0` : `${c.sql} IS NOT NULL`)).join(' AND ')}`;
}

/** Timestamps leave DuckDB as µs since the epoch (formatted by the caller). */
function outputSql(c: Column): string {
  if (c.type !== 'timestamp') return c.sql;
  return c.list ? `list_transform(${c.sql}, lambda t: epoch_us(t))` : `epoch_us(${c.sql})`;
}
