import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '../../server-process.js';
import type { HttpClient } from '../http.js';
import type { CompareQuery } from '../queries.js';
import {
  flattenBuckets,
  type PreparedQuery,
  type QueryOutcome,
  rangeMs,
  type SystemUnderTest,
  type TimeWindow,
} from './system.js';

interface SearchAnswer {
  hits: Array<{ '@timestamp': string }>;
  total: { value: number; relation: string };
  next_cursor: string | null;
}

interface TableAnswer {
  columns: Array<{ name: string }>;
  rows: unknown[][];
}

interface AggregateAnswer {
  total: number;
  aggregations: unknown;
}

/** The most exact hits `track_total_hits` may ask for. */
const MAX_TOTAL = 10_000_000;

/** Starts `cairn serve` (the built dist/, default settings) in a fresh data directory. */
export async function startCairn(opts: { http: HttpClient; window: TimeWindow }): Promise<SystemUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-compare-'));
  // Default settings; `info` because startServerProcess waits for the `listening` log line.
  const server = await startServerProcess({ dataDir, args: ['--log-level', 'info'] }).catch(async (err) => {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  const pkg = JSON.parse(await readFile(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const { http, window } = opts;
  const url = server.url;

  const params = (q: CompareQuery, extra: Record<string, string> = {}) => {
    const { fromMs, toMs } = rangeMs(window, q.range);
    return new URLSearchParams({
      q: q.cairn,
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      ...extra,
    }).toString();
  };
  const search = (query: string) =>
    http.json<SearchAnswer>({ method: 'GET', url: `${url}/api/v1/search?${query}` });
  const timestamps = (a: SearchAnswer) => a.hits.map((h) => String(Date.parse(h['@timestamp'])));

  return {
    name: 'cairn',
    label: 'Cairn',
    version: pkg.version,
    url,
    pid: server.pid,
    dataDir,
    async setUp() {},
    async countSearchable() {
      const q = new URLSearchParams({
        q: '| stats count() as n',
        from: new Date(window.fromUs / 1000).toISOString(),
        to: new Date(window.toUs / 1000).toISOString(),
      });
      const t = await http.json<TableAnswer>({ method: 'GET', url: `${url}/api/v1/search?${q}` });
      return Number(t.rows[0]?.[0] ?? 0);
    },
    async finalFlush() {
      await http.json({ method: 'POST', url: `${url}/_flush` });
    },
    async prepare(q: CompareQuery): Promise<PreparedQuery> {
      const release = async () => {};
      switch (q.kind) {
        case 'hits': {
          const query = params(q, { limit: '100', track_total_hits: String(MAX_TOTAL) });
          return {
            release,
            run: async (): Promise<QueryOutcome> => {
              const a = await search(query);
              return { hits: a.total.value, detail: timestamps(a) };
            },
          };
        }
        case 'aggs': {
          const { fromMs, toMs } = rangeMs(window, q.range);
          const body = {
            q: q.cairn,
            from: new Date(fromMs).toISOString(),
            to: new Date(toMs).toISOString(),
            aggs: q.aggs,
          };
          return {
            release,
            run: async () => {
              const a = await http.json<AggregateAnswer>({
                method: 'POST',
                url: `${url}/api/v1/aggregate`,
                body,
              });
              return { hits: a.total, detail: flattenBuckets(a.aggregations) };
            },
          };
        }
        case 'stats': {
          const query = params(q);
          return {
            release,
            run: async () => {
              const t = await http.json<TableAnswer>({ method: 'GET', url: `${url}/api/v1/search?${query}` });
              const group = t.columns.findIndex((c) => c.name === q.groupBy);
              const events = t.columns.findIndex((c) => c.name === 'events');
              if (group === -1 || events === -1) throw new Error(`Unexpected table from Cairn for ${q.id}`);
              let hits = 0;
              const detail = t.rows.map((row) => {
                hits += Number(row[events]);
                return `${String(row[group])} ${Number(row[events])}`;
              });
              return { hits, detail: detail.sort() };
            },
          };
        }
        case 'page': {
          // Walk to the page with 1,000-event pages, untimed; the timed request is the page itself.
          let cursor: string | null = null;
          for (let seen = 0; seen < q.offset; seen += 1000) {
            const a: SearchAnswer = await search(
              params(q, { limit: String(Math.min(1000, q.offset - seen)), ...(cursor ? { cursor } : {}) }),
            );
            cursor = a.next_cursor;
            if (cursor === null) break;
          }
          const query = cursor === null ? null : params(q, { limit: String(q.size), cursor });
          return {
            release,
            run: async () => {
              if (query === null) return { hits: 0, detail: [] };
              const a = await search(query);
              return { hits: a.hits.length, detail: timestamps(a) };
            },
          };
        }
      }
    },
    async stop() {
      const code = await server.stop();
      if (code !== 0) throw new Error(`cairn serve exited with ${code}:\n${server.output().slice(-3000)}`);
    },
    async destroy() {
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
