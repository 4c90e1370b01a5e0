import { type Log, startElasticsearch } from '../engines/elasticsearch.js';
import type { HttpClient } from '../http.js';
import type { CompareQuery, JsonObject } from '../queries.js';
import { indexTemplate } from './es-template.js';
import {
  flattenBuckets,
  type PreparedQuery,
  type QueryOutcome,
  rangeMs,
  type SystemUnderTest,
  type TimeWindow,
} from './system.js';

interface Hit {
  sort?: unknown[];
}

interface SearchAnswer {
  hits: { total?: { value: number }; hits: Hit[] };
  aggregations?: Record<string, { buckets?: Array<{ key: unknown; doc_count: number }> }>;
  pit_id?: string;
}

/** Starts Elasticsearch (see engines/elasticsearch.ts) and adapts the query set to its DSL. */
export async function startElasticsearchSystem(opts: {
  http: HttpClient;
  window: TimeWindow;
  home: string;
  heap: string;
  indices: readonly string[];
  log: Log;
}): Promise<SystemUnderTest> {
  const node = await startElasticsearch({ home: opts.home, heap: opts.heap, log: opts.log });
  const { http, window } = opts;
  const url = node.url;
  const indices = opts.indices.join(',');

  const query = (q: CompareQuery): JsonObject => {
    const { fromMs, toMs } = rangeMs(window, q.range);
    return {
      bool: {
        must: [q.es === '' ? { match_all: {} } : { query_string: { query: q.es, default_operator: 'AND' } }],
        filter: [{ range: { '@timestamp': { gte: fromMs, lt: toMs, format: 'epoch_millis' } } }],
      },
    };
  };
  // The shard request cache would answer repeated aggregations from memory; dashboards with moving
  // time ranges rarely hit it, and Cairn has no such cache, so both compute every answer.
  const search = (body: JsonObject) =>
    http.json<SearchAnswer>({ method: 'POST', url: `${url}/${indices}/_search?request_cache=false`, body });
  const timestamps = (a: SearchAnswer) => a.hits.hits.map((h) => String(h.sort?.[0]));
  const newestFirst = [{ '@timestamp': { order: 'desc' } }];

  return {
    name: 'elasticsearch',
    label: 'Elasticsearch',
    version: node.version,
    url,
    pid: node.pid,
    dataDir: node.dataDir,
    async setUp() {
      await http.json({
        method: 'PUT',
        url: `${url}/_index_template/cairn-bench`,
        body: indexTemplate(opts.indices),
      });
    },
    async countSearchable() {
      const res = await http.send({ method: 'GET', url: `${url}/${indices}/_count?ignore_unavailable=true` });
      if (res.status !== 200) return 0;
      return (JSON.parse(res.text) as { count: number }).count;
    },
    async finalFlush() {
      await http.json({ method: 'POST', url: `${url}/${indices}/_flush` });
      // Merging millions of documents takes minutes: run it as a task and wait for the task.
      const { task } = await http.json<{ task: string }>({
        method: 'POST',
        url: `${url}/${indices}/_forcemerge?max_num_segments=1&wait_for_completion=false`,
      });
      await http.json({ method: 'GET', url: `${url}/_tasks/${task}?wait_for_completion=true&timeout=2h` });
      await http.json({ method: 'POST', url: `${url}/${indices}/_refresh` });
      await http.json({ method: 'POST', url: `${url}/${indices}/_flush` });
    },
    async prepare(q: CompareQuery): Promise<PreparedQuery> {
      const release = async () => {};
      switch (q.kind) {
        case 'hits': {
          const body = { size: 100, track_total_hits: true, sort: newestFirst, query: query(q) };
          return {
            release,
            run: async (): Promise<QueryOutcome> => {
              const a = await search(body);
              return { hits: a.hits.total?.value ?? 0, detail: timestamps(a) };
            },
          };
        }
        case 'aggs': {
          const body = { size: 0, track_total_hits: true, query: query(q), aggs: q.aggs };
          return {
            release,
            run: async () => {
              const a = await search(body);
              return { hits: a.hits.total?.value ?? 0, detail: flattenBuckets(a.aggregations) };
            },
          };
        }
        case 'stats': {
          const body = {
            size: 0,
            track_total_hits: true,
            query: query(q),
            aggs: {
              groups: {
                terms: { field: q.groupBy, size: 1000 },
                aggs: { p: { percentiles: { field: q.field, percents: [q.percent] } } },
              },
            },
          };
          return {
            release,
            run: async () => {
              const a = await search(body);
              let hits = 0;
              const detail = (a.aggregations?.['groups']?.buckets ?? []).map((b) => {
                hits += b.doc_count;
                return `${String(b.key)} ${b.doc_count}`;
              });
              return { hits, detail: detail.sort() };
            },
          };
        }
        case 'page': {
          const pit = await http.json<{ id: string }>({
            method: 'POST',
            url: `${url}/${indices}/_pit?keep_alive=10m`,
          });
          const pageBody = (size: number, after: unknown[] | undefined) => ({
            size,
            track_total_hits: false,
            pit: { id: pit.id, keep_alive: '10m' },
            sort: newestFirst,
            query: query(q),
            ...(after ? { search_after: after } : {}),
          });
          const searchPit = (body: JsonObject) =>
            http.json<SearchAnswer>({ method: 'POST', url: `${url}/_search`, body });
          let after: unknown[] | undefined;
          for (let seen = 0; seen < q.offset; seen += 1000) {
            const a = await searchPit(pageBody(Math.min(1000, q.offset - seen), after));
            after = a.hits.hits.at(-1)?.sort;
            if (after === undefined) break;
          }
          const body = after === undefined ? null : pageBody(q.size, after);
          return {
            release: async () => {
              await http.send({ method: 'DELETE', url: `${url}/_pit`, body: { id: pit.id } });
            },
            run: async () => {
              if (body === null) return { hits: 0, detail: [] };
              const a = await searchPit(body);
              return { hits: a.hits.hits.length, detail: timestamps(a) };
            },
          };
        }
      }
    },
    stop: () => node.stop(),
    destroy: () => node.destroy(),
  };
}
