import type { SearchParams } from '../../api/client.js';
import { pipeStart } from '../../lib/query-text.js';
import { href } from '../../lib/router.js';
import { DEFAULT_RANGE } from '../../lib/time.js';

/** Everything that makes a Discover view, kept in the URL so a link reproduces it. */
export interface DiscoverState {
  q: string;
  from: string;
  to: string;
  /** Auto-refresh interval, '' for off. */
  refresh: string;
  /** Columns of the results table after the time. */
  cols: string[];
  /** `@timestamp:desc` (default) or `@timestamp:asc`. */
  sort: string;
  /** Comma-separated streams, '' for all. */
  stream: string;
  live: boolean;
  /** Chart type of a pipe result ('' = automatic). */
  viz: string;
  /** Id of the document open in the flyout. */
  doc: string;
}

export const DEFAULT_COLUMNS = ['level', 'service', 'message'];
/** `cols` when no column is chosen: the table shows each document as a summary of its fields. */
const SUMMARY = '_source';

export function readState(params: URLSearchParams): DiscoverState {
  const cols = params.get('cols');
  return {
    q: params.get('q') ?? '',
    from: params.get('from') ?? DEFAULT_RANGE.from,
    to: params.get('to') ?? DEFAULT_RANGE.to,
    refresh: params.get('refresh') ?? '',
    cols: cols === null ? DEFAULT_COLUMNS : cols === SUMMARY ? [] : cols.split(',').filter(Boolean),
    sort: params.get('sort') === '@timestamp:asc' ? '@timestamp:asc' : '@timestamp:desc',
    stream: params.get('stream') ?? '',
    live: params.get('live') === '1',
    viz: params.get('viz') ?? '',
    doc: params.get('doc') ?? '',
  };
}

/** The newest documents shown first (more load as the table scrolls). */
export const FIRST_PAGE = 200;

/** The search that fills Discover for a state: one page of hits, or the whole table of a pipe query. */
export function firstSearch(s: DiscoverState): SearchParams {
  return {
    q: s.q,
    from: s.from,
    to: s.to,
    sort: s.sort,
    ...(pipeStart(s.q) !== -1 ? {} : { limit: FIRST_PAGE, track_total_hits: 0 }),
    ...(s.stream ? { stream: s.stream } : {}),
  };
}

/** The URL of a state; defaults are left out so links stay short. */
export function discoverUrl(s: Partial<DiscoverState>): string {
  const cols = s.cols ? s.cols.join(',') || SUMMARY : undefined;
  return href('/discover', {
    q: s.q || undefined,
    from: s.from && s.from !== DEFAULT_RANGE.from ? s.from : undefined,
    to: s.to && s.to !== DEFAULT_RANGE.to ? s.to : undefined,
    refresh: s.refresh || undefined,
    cols: cols !== undefined && cols !== DEFAULT_COLUMNS.join(',') ? cols : undefined,
    sort: s.sort && s.sort !== '@timestamp:desc' ? s.sort : undefined,
    stream: s.stream || undefined,
    live: s.live ? '1' : undefined,
    viz: s.viz || undefined,
    doc: s.doc || undefined,
  });
}
