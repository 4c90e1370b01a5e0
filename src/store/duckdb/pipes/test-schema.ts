/**
 * A fixed schema for the pipe compiler's tests: a resolver built from plain data (what a partition
 * would report) and the DuckDB table that matches it. Only imported by tests and the benchmark.
 */
import type { FieldResolver, ResolvedField } from '../compile-where.js';

type Column = Omit<ResolvedField, 'name'>;
const col = (sql: string, type: ResolvedField['type'], extra: Partial<Column> = {}): Column => ({
  sql,
  type,
  list: false,
  text: false,
  ...extra,
});

export const TEST_SCHEMA: Readonly<Record<string, Column[]>> = {
  '@timestamp': [col('e."@timestamp"', 'timestamp')],
  stream: [col('e."stream"', 'string')],
  message: [col('e."message"', 'string', { text: true })],
  level: [col('e."level"', 'string')],
  service: [col('e."service"', 'string')],
  status: [col('e."status"', 'number')],
  rt: [col('e."rt"', 'number')],
  clientip: [col('e."clientip"', 'ip')],
  ok: [col('e."ok"', 'boolean')],
  tags: [col('e."tags"', 'string', { list: true })],
  ports: [col('e."ports"', 'number', { list: true })],
  'http.method': [col('e."http.method"', 'string')],
  code: [col('e."code"', 'number'), col(`json_extract_string(e."_extra", '$."code"')`, 'string')],
  'user.name': [col(`json_extract_string(e."_extra", '$."user.name"')`, 'string')],
};

export function testResolver(schema: Readonly<Record<string, Column[]>> = TEST_SCHEMA): FieldResolver {
  const resolve = (name: string) => (schema[name] ?? []).map((c) => ({ name, ...c }));
  return { resolve, names: () => Object.keys(schema), defaultFields: () => resolve('message') };
}

/** DDL of a table matching TEST_SCHEMA (plus the internal `_seq` and `_extra` columns). */
export const TEST_TABLE_DDL = `CREATE TABLE events ("@timestamp" TIMESTAMP, _seq BIGINT, stream VARCHAR, message VARCHAR,
  level VARCHAR, service VARCHAR, status DOUBLE, rt DOUBLE, clientip VARCHAR, ok BOOLEAN, tags VARCHAR[], ports DOUBLE[],
  "http.method" VARCHAR, code DOUBLE, _extra VARCHAR)`;
