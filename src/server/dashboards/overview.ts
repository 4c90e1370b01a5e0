import type { DashboardInput, Panel } from './dashboard.js';

/** Response time of a request, whichever log it comes from: app logs say `duration_ms`, nginx `http.response.time_ms`. */
const RESPONSE_TIME = 'coalesce(duration_ms, http.response.time_ms)';

const panels: Panel[] = [
  {
    id: 'total-events',
    title: 'Total events',
    type: 'kpi',
    query: '| stats count() as events',
    layout: { x: 0, y: 0, w: 3, h: 3 },
    options: {},
  },
  {
    id: 'errors',
    title: 'Errors',
    type: 'kpi',
    query: 'level:(ERROR OR FATAL) | stats count() as errors',
    layout: { x: 3, y: 0, w: 3, h: 3 },
    options: {},
  },
  {
    id: 'error-rate',
    title: 'Error rate',
    type: 'kpi',
    query:
      '| eval is_error = if(level in ("ERROR", "FATAL"), 1, 0) | stats sum(is_error) as errors, count() as events | eval error_rate = round(100 * errors / events, 2)',
    layout: { x: 6, y: 0, w: 3, h: 3 },
    options: { field: 'error_rate', unit: '%' },
  },
  {
    id: 'services',
    title: 'Services',
    type: 'kpi',
    query: '| stats dc(service) as services',
    layout: { x: 9, y: 0, w: 3, h: 3 },
    options: {},
  },
  {
    id: 'volume-by-level',
    title: 'Volume over time by level',
    type: 'timeseries',
    query: '| timechart count() by level',
    layout: { x: 0, y: 3, w: 8, h: 6 },
    options: { stacked: true },
  },
  {
    id: 'level-donut',
    title: 'Levels',
    type: 'donut',
    query: '| stats count() by level',
    layout: { x: 8, y: 3, w: 4, h: 6 },
    options: {},
  },
  {
    id: 'logs-by-service',
    title: 'Logs by service',
    type: 'bar',
    query: '| stats count() by service | sort -count',
    layout: { x: 0, y: 9, w: 4, h: 6 },
    options: {},
  },
  {
    id: 'service-level-heatmap',
    title: 'Service × level',
    type: 'heatmap',
    query: '_exists_:level | stats count() by service, level',
    layout: { x: 4, y: 9, w: 4, h: 6 },
    options: {},
  },
  {
    id: 'http-status',
    title: 'HTTP status codes',
    type: 'bar',
    query:
      '_exists_:http.response.status_code | stats count() by http.response.status_code | sort -count | head 15',
    layout: { x: 8, y: 9, w: 4, h: 6 },
    options: {},
  },
  {
    id: 'p95-by-service',
    title: 'p95 response time by service',
    type: 'bar',
    query: `| eval response_ms = ${RESPONSE_TIME} | where response_ms is not null | stats p95(response_ms) as p95_ms by service | eval p95_ms = round(p95_ms) | sort -p95_ms`,
    layout: { x: 0, y: 15, w: 6, h: 6 },
    options: { unit: 'ms' },
  },
  {
    id: 'top-error-classes',
    title: 'Top error classes',
    type: 'bar',
    query: 'level:(ERROR OR FATAL) | top 10 error.type | fields error.type, count',
    layout: { x: 6, y: 15, w: 6, h: 6 },
    options: {},
  },
  {
    id: 'latest-errors',
    title: 'Latest errors',
    type: 'table',
    query: 'level:(ERROR OR FATAL) | head 50 | fields @timestamp, service, host, error.type, message',
    layout: { x: 0, y: 21, w: 12, h: 7 },
    options: {},
  },
];

/** The dashboard Cairn creates on first start: the questions asked of logs every morning. */
export const OVERVIEW_DASHBOARD: DashboardInput = {
  title: 'Overview',
  description: 'Volume, errors and latency across every stream.',
  time: { from: 'now-24h', to: 'now' },
  refresh: null,
  panels,
};

export const OVERVIEW_ID = 'overview';
