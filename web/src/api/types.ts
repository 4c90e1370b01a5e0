/** Shapes of Cairn's HTTP API as the UI reads them (see /api/v1/openapi.json). */

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; requestId?: string };
}

export type Hit = { _id: string; stream: string; '@timestamp': string } & Record<string, unknown>;

export interface HitsResult {
  hits: Hit[];
  total: { value: number; relation: 'eq' | 'gte' };
  next_cursor: string | null;
  took_ms: number;
}

export type ColumnType = string;

export interface TableColumn {
  name: string;
  type: ColumnType;
}

export interface TableResult {
  columns: TableColumn[];
  rows: unknown[][];
  truncated: boolean;
  took_ms: number;
}

export type SearchResult = HitsResult | TableResult;

export function isTable(r: SearchResult): r is TableResult {
  return 'columns' in r;
}

export interface TermsBucket {
  key: string | number | boolean;
  doc_count: number;
  [sub: string]: unknown;
}

export interface TermsAgg {
  sum_other_doc_count: number;
  buckets: TermsBucket[];
}

export interface HistogramBucket {
  key: number;
  key_as_string: string;
  doc_count: number;
  [sub: string]: unknown;
}

export interface HistogramAgg {
  interval: string;
  buckets: HistogramBucket[];
}

export interface AggregateResult {
  total: number;
  aggregations: Record<string, unknown>;
  took_ms: number;
}

export type FieldType = 'string' | 'number' | 'boolean' | 'timestamp' | 'ip';

export interface TopValue {
  value: string | number | boolean;
  count: number;
}

export interface FieldInfo {
  name: string;
  type: FieldType;
  list: boolean;
  count: number;
  top_values: TopValue[];
}

export interface FieldsResult {
  fields: FieldInfo[];
  sample_size: number;
  took_ms: number;
}

export interface StreamInfo {
  name: string;
  events: number;
  bytes: number;
  partitions: number;
  first: string | null;
  last: string | null;
}

export const PANEL_TYPES = ['timeseries', 'bar', 'donut', 'kpi', 'table', 'heatmap'] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

export interface PanelLayout {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Panel {
  id: string;
  title: string;
  type: PanelType;
  query: string;
  layout: PanelLayout;
  options: { field?: string; unit?: string; stacked?: boolean };
}

export interface DashboardInput {
  title: string;
  description: string;
  time: { from: string; to: string };
  refresh: string | null;
  panels: Panel[];
}

export interface Dashboard extends DashboardInput {
  id: string;
  builtin: boolean;
  created_at: string;
  updated_at: string;
}

export interface DashboardSummary {
  id: string;
  title: string;
  description: string;
  builtin: boolean;
  panels: number;
  updated_at: string;
}
