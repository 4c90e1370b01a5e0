import { parseArgs } from 'node:util';
import { type CliIo, type Command, serverUrl } from '../command.js';
import { formatCount, formatTable, type TableColumn, terminalWidth } from '../format-table.js';
import { serverErrorMessage, usageError } from './ingest.js';
import {
  formatResultNdjson,
  formatResultTable,
  isTablePage,
  type TablePage,
  tableFooter,
} from './search-table.js';

const usage = `Usage: cairn search [QUERY] [options]

Searches a Cairn server and prints the matching events, newest first, as a table (time, level,
service, message cut to the terminal width). QUERY uses the query-string syntax, e.g.
  level:ERROR AND service:payment-service
  "connection refused" AND NOT host:db-replica-*
  http.response.status_code:>=500
Without QUERY every event in the time range matches. Several words are joined into one query.
Pipe commands after the search turn the result into a table, printed as such:
  'level:ERROR | stats count() by service'
  '| timechart span=5m count() by level'
  'status:>=500 | top 5 url.path'

Options:
  --from TIME      Start of the time range: ISO 8601 or date math such as now-1h (server default: now-15m)
  --to TIME        End of the time range (server default: now)
  --limit N        Events (or table rows) to print (default: 50); large limits are fetched page by page
  --sort SORT      Order, e.g. @timestamp:asc (default: newest first)
  --stream NAMES   Only these streams (comma-separated)
  --json           Print the hits (or table rows) as NDJSON, one object per line, instead of a table
  --url URL        Server to ask (default: $CAIRN_URL, else http://localhost:9280)
  -h, --help       Show this help

The number of hits (or rows) goes to stderr. Exit status: 0 on success (also with no hits), 1 when the server
refused the search (the message says why, e.g. where a query has a syntax error), 2 on bad usage.
`;

/** Hits asked for per request; larger limits follow `next_cursor`. */
const PAGE_SIZE = 1000;

interface Hit {
  _id?: string;
  stream?: string;
  '@timestamp'?: string;
  [field: string]: unknown;
}

interface SearchPage {
  hits: Hit[];
  total?: { value?: number; relation?: string };
  next_cursor?: string | null;
  took_ms?: number;
}

const COLUMNS: readonly TableColumn[] = [
  { header: 'TIME' },
  { header: 'LEVEL', maxWidth: 5 },
  { header: 'SERVICE', maxWidth: 24 },
  { header: 'MESSAGE', flex: true },
];

/** Fields shown in their own column or not at all; the rest stand in for a missing message. */
const NOT_MESSAGE = new Set(['_id', 'stream', '@timestamp', 'level', 'service']);

export const searchCommand: Command = {
  name: 'search',
  summary: 'Search events and print them as a table or NDJSON',
  usage,
  run: runSearch,
};

async function runSearch(args: string[], io: CliIo): Promise<number> {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(args);
  } catch (err) {
    io.stderr.write(usageError('search', err));
    return 2;
  }
  if (opts.help) {
    io.stdout.write(usage);
    return 0;
  }
  const base = serverUrl(opts.url, io.env);
  const hits: Hit[] = [];
  let first: SearchPage | undefined;
  let tookMs = 0;
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams();
    if (opts.query !== '') params.set('q', opts.query);
    if (opts.from !== undefined) params.set('from', opts.from);
    if (opts.to !== undefined) params.set('to', opts.to);
    const want = Math.min(PAGE_SIZE, opts.limit - hits.length);
    params.set('limit', String(want));
    if (opts.sort !== undefined) params.set('sort', opts.sort);
    if (opts.stream !== undefined) params.set('stream', opts.stream);
    if (cursor !== null) params.set('cursor', cursor);
    const result = await getJson(`${base}/api/v1/search?${params}`, io.signal);
    if (result.kind === 'aborted') return 130;
    if (result.kind === 'failed') {
      io.stderr.write(`cairn search: ${result.message}\n`);
      return 1;
    }
    if (result.kind === 'table') {
      const table = result.table;
      if (opts.json) io.stdout.write(formatResultNdjson(table));
      else if (table.rows.length > 0) io.stdout.write(formatResultTable(table, terminalWidth(io)));
      io.stderr.write(tableFooter(table));
      return 0;
    }
    const page = result.page;
    first ??= page;
    tookMs += page.took_ms ?? 0;
    hits.push(...page.hits);
    if (opts.json) for (const hit of page.hits) io.stdout.write(`${JSON.stringify(hit)}\n`);
    cursor = page.hits.length >= want ? (page.next_cursor ?? null) : null;
  } while (cursor !== null && hits.length < opts.limit);

  if (!opts.json && hits.length > 0) {
    io.stdout.write(formatTable(hits.map(toRow), { columns: COLUMNS, width: terminalWidth(io) }));
  }
  io.stderr.write(footer(hits.length, first?.total, tookMs, opts.from === undefined));
  return 0;
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string', default: '50' },
      sort: { type: 'string' },
      stream: { type: 'string' },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`Option --limit must be a whole number of at least 1, got "${values.limit}"`);
  }
  return {
    help: values.help,
    query: positionals.join(' ').trim(),
    from: values.from,
    to: values.to,
    limit,
    sort: values.sort,
    stream: values.stream,
    json: values.json,
    url: values.url,
  };
}

type Fetched =
  | { kind: 'page'; page: SearchPage }
  | { kind: 'table'; table: TablePage }
  | { kind: 'failed'; message: string }
  | { kind: 'aborted' };

async function getJson(url: string, signal: AbortSignal): Promise<Fetched> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal });
    text = await res.text();
  } catch (err) {
    if (signal.aborted) return { kind: 'aborted' };
    const cause = (err as { cause?: unknown }).cause;
    const why = cause instanceof Error ? cause.message : (err as Error).message;
    return { kind: 'failed', message: `Cannot reach the Cairn server at ${new URL(url).origin}: ${why}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.status !== 200) return { kind: 'failed', message: serverErrorMessage(res.status, body, text) };
  if (isTablePage(body)) return { kind: 'table', table: body };
  if (typeof body !== 'object' || body === null || !Array.isArray((body as SearchPage).hits)) {
    return { kind: 'failed', message: `The server's answer has no "hits" list: ${text.slice(0, 200)}` };
  }
  return { kind: 'page', page: body as SearchPage };
}

function toRow(hit: Hit): string[] {
  return [text(hit['@timestamp']), text(hit['level']), text(hit['service']), messageOf(hit)];
}

function messageOf(hit: Hit): string {
  if (hit['message'] !== undefined && hit['message'] !== null) return text(hit['message']);
  const rest: string[] = [];
  for (const [key, value] of Object.entries(hit))
    if (!NOT_MESSAGE.has(key)) rest.push(`${key}=${text(value)}`);
  return rest.join(' ');
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function footer(shown: number, total: SearchPage['total'], tookMs: number, defaultRange: boolean): string {
  const took = `took ${formatCount(tookMs)} ms`;
  if (shown === 0) {
    const hint = defaultRange
      ? ' Only the last 15 minutes were searched; widen the range with --from now-24h.'
      : '';
    return `No hits (${took}).${hint}\n`;
  }
  const value = total?.value ?? shown;
  const of = `${formatCount(value)}${total?.relation === 'gte' ? '+' : ''}`;
  return `${formatCount(shown)} of ${of} ${value === 1 ? 'hit' : 'hits'} (${took})\n`;
}
