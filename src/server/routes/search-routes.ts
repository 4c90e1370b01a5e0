import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CairnError } from '../../model/errors.js';
import type { TimeRange } from '../../model/event.js';
import { formatTimestamp } from '../../model/timestamp.js';
import type { QueryNode } from '../../query/ast.js';
import { type ParsedQuery, parseQueryWithPipes } from '../../query/index.js';
import {
  type Aggregation,
  type AggregationResult,
  DEFAULT_QUERY_ROWS,
  type NamedAggregations,
  type SortKey,
} from '../../store/store.js';
import { parseAggregations, renderAggregations } from '../aggregations-dsl.js';
import { decodeBody, parseJsonBody } from '../body.js';
import type { ServerContext } from '../context.js';
import { parseTimeRange } from '../time-range.js';

const DEFAULT_LIMIT = 100;

type Params = Record<string, unknown>;

/** Query parameters for GET, the JSON body for POST: the same names either way. */
function requestParams(req: FastifyRequest, ctx: ServerContext): Params {
  const query = { ...(req.query as Params) };
  if (req.method === 'POST')
    Object.assign(query, parseJsonBody(decodeBody(req, ctx.config.limits.maxBodyBytes)));
  return query;
}

function str(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new CairnError('bad_request', `Parameter "${name}" must be a string`, {
    details: { parameter: name },
  });
}

function int(p: Params, name: string, fallback: number, max: number): number {
  const raw = str(p, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new CairnError('bad_request', `Parameter "${name}" must be a non-negative integer, got "${raw}"`, {
      details: { parameter: name },
    });
  }
  if (n > max) {
    throw new CairnError('bad_request', `Parameter "${name}" is ${n}, above the limit of ${max}`, {
      details: { parameter: name, limit: max },
    });
  }
  return n;
}

function streamsOf(p: Params): string[] | undefined {
  const raw = p['stream'] ?? p['streams'];
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  const names = list.map((s) => s.trim()).filter((s) => s.length > 0);
  return names.length > 0 ? names : undefined;
}

/** `q` (or `query`): a search, optionally followed by pipe commands. */
function parsedQueryOf(p: Params, ctx: ServerContext): ParsedQuery {
  const q = str(p, 'q') ?? str(p, 'query');
  if (q === undefined) return { search: null, pipes: [] };
  if (q.length > ctx.config.limits.maxQueryLength) {
    throw new CairnError(
      'invalid_query',
      `The query is ${q.length} characters long, above the limit of ${ctx.config.limits.maxQueryLength}`,
      { details: { limit: ctx.config.limits.maxQueryLength } },
    );
  }
  return parseQueryWithPipes(q);
}

/** A search without pipes, for routes that answer with something other than a table. */
function queryOf(p: Params, ctx: ServerContext, route: string): QueryNode | null {
  const parsed = parsedQueryOf(p, ctx);
  if (parsed.pipes.length > 0) {
    throw new CairnError(
      'invalid_query',
      `Cannot use pipe commands with ${route}: send the query to /api/v1/search, which answers with a table`,
      { details: { position: parsed.pipes[0]!.span.start } },
    );
  }
  return parsed.search;
}

function rangeOf(p: Params, ctx: ServerContext): TimeRange {
  return parseTimeRange({ from: str(p, 'from'), to: str(p, 'to'), nowUs: ctx.nowUs() });
}

/** `sort=field:asc,-other` or `sort=@timestamp:desc`. */
function sortOf(p: Params): SortKey[] | undefined {
  const raw = str(p, 'sort');
  if (!raw) return undefined;
  return raw.split(',').map((part) => {
    const s = part.trim();
    if (s.startsWith('-')) return { field: s.slice(1), order: 'desc' as const };
    const i = s.lastIndexOf(':');
    if (i === -1) return { field: s, order: 'asc' as const };
    const order = s.slice(i + 1).toLowerCase();
    if (order !== 'asc' && order !== 'desc') {
      throw new CairnError('bad_request', `Cannot sort by "${s}": the order must be asc or desc`, {
        details: { sort: raw },
      });
    }
    return { field: s.slice(0, i), order };
  });
}

export function registerSearchRoutes(app: FastifyInstance, ctx: ServerContext): void {
  /**
   * Records a query's time in the latency histogram and, past `slowQueryMs`, in the log with what it
   * asked (Elasticsearch's search slow log), so that the query behind a slow dashboard can be found.
   */
  const finished = (req: FastifyRequest, kind: string, p: Params, started: number): number => {
    const tookMs = performance.now() - started;
    ctx.metrics.queryDuration.observe({ kind }, tookMs / 1000);
    const slow = ctx.config.slowQueryMs;
    if (slow > 0 && tookMs >= slow) {
      req.log.warn(
        {
          kind,
          tookMs: Math.round(tookMs),
          q: str(p, 'q'),
          from: str(p, 'from'),
          to: str(p, 'to'),
          stream: p['stream'],
          ...(p['aggs'] !== undefined || p['aggregations'] !== undefined
            ? { aggs: p['aggs'] ?? p['aggregations'] }
            : {}),
        },
        `slow ${kind} query: ${Math.round(tookMs)} ms`,
      );
    }
    return tookMs;
  };

  /** A query with pipes answers with one table: `{ columns, rows, truncated, took_ms }`. */
  const table = async (req: FastifyRequest, p: Params, parsed: ParsedQuery, started: number) => {
    if (str(p, 'cursor') !== undefined) {
      throw new CairnError(
        'bad_request',
        'Parameter "cursor" pages through hits, and a query with pipes returns one table: limit it with "| head N" or "limit"',
        { details: { parameter: 'cursor' } },
      );
    }
    const max = ctx.config.limits.maxSearchLimit;
    const streams = streamsOf(p);
    const result = await ctx.store.query({
      query: parsed.search,
      pipes: parsed.pipes,
      range: rangeOf(p, ctx),
      limit: int(p, 'limit', Math.min(DEFAULT_QUERY_ROWS, max), max),
      ...(streams ? { streams } : {}),
    });
    const tookMs = finished(req, 'pipes', p, started);
    return { ...result, took_ms: Math.round(tookMs) };
  };
  const search = async (req: FastifyRequest) => {
    const started = performance.now();
    const p = requestParams(req, ctx);
    const parsed = parsedQueryOf(p, ctx);
    if (parsed.pipes.length > 0) return table(req, p, parsed, started);
    const query = parsed.search;
    const range = rangeOf(p, ctx);
    const limit = int(p, 'limit', DEFAULT_LIMIT, ctx.config.limits.maxSearchLimit);
    const cursor = str(p, 'cursor');
    const sort = sortOf(p);
    const streams = streamsOf(p);
    const result = await ctx.store.search({
      query,
      range,
      limit,
      totalCap: int(p, 'track_total_hits', 10_000, 10_000_000),
      ...(sort ? { sort } : {}),
      ...(cursor ? { cursor } : {}),
      ...(streams ? { streams } : {}),
    });
    const tookMs = finished(req, 'search', p, started);
    return {
      hits: result.hits.map((h) => ({
        _id: h.id,
        stream: h.stream,
        '@timestamp': formatTimestamp(h.timestampUs),
        ...h.fields,
      })),
      total: result.total,
      next_cursor: result.nextCursor,
      took_ms: Math.round(tookMs),
    };
  };
  app.get('/api/v1/search', search);
  app.post('/api/v1/search', search);

  app.post('/api/v1/aggregate', async (req) => {
    const started = performance.now();
    const p = requestParams(req, ctx);
    const aggs: NamedAggregations = parseAggregations(p['aggs'] ?? p['aggregations']);
    const streams = streamsOf(p);
    const result = await ctx.store.aggregate({
      query: queryOf(p, ctx, '/api/v1/aggregate'),
      range: rangeOf(p, ctx),
      aggs,
      ...(streams ? { streams } : {}),
    });
    const tookMs = finished(req, 'aggregate', p, started);
    return {
      total: result.total,
      aggregations: renderAggregations(result.aggs),
      took_ms: Math.round(tookMs),
    };
  });

  app.get('/api/v1/fields', async (req) => {
    const started = performance.now();
    const p = requestParams(req, ctx);
    const streams = streamsOf(p);
    const result = await ctx.store.fields({
      range: rangeOf(p, ctx),
      topValues: int(p, 'top', 5, 100),
      ...(streams ? { streams } : {}),
    });
    const tookMs = finished(req, 'fields', p, started);
    return {
      fields: result.fields.map((f) => ({
        name: f.name,
        type: f.type,
        list: f.list,
        count: f.count,
        top_values: f.topValues,
      })),
      sample_size: result.sampleSize,
      took_ms: Math.round(tookMs),
    };
  });

  app.get('/api/v1/streams', async () => {
    const streams = await ctx.store.streams();
    return {
      streams: streams.map((s) => ({
        name: s.name,
        events: s.events,
        bytes: s.bytes,
        partitions: s.partitions,
        first: s.firstUs === null ? null : formatTimestamp(s.firstUs),
        last: s.lastUs === null ? null : formatTimestamp(s.lastUs),
      })),
    };
  });
}

export type { Aggregation, AggregationResult };
