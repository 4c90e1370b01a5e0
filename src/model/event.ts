/** A scalar as stored in a typed column. */
export type Scalar = string | number | boolean;
/** A field value after flattening: a scalar or an array of scalars (arrays of objects are flattened per leaf). */
export type FieldValue = Scalar | Scalar[];

/** The value types Cairn infers for a field; each maps to one typed column in a store. */
export type FieldType = 'string' | 'number' | 'boolean' | 'timestamp' | 'ip';

/** Well-known fields with first-class columns (DESIGN.md "Events"). */
export const WELL_KNOWN_FIELDS = ['@timestamp', 'message', 'level', 'service', 'host', 'stream'] as const;
export type WellKnownField = (typeof WELL_KNOWN_FIELDS)[number];

export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * An event ready for a store: flattened (dotted paths), normalised (timestamp, level, service, host),
 * assigned to a stream. `fields` never holds `@timestamp` or `stream`; those are the typed members.
 */
export interface Event {
  /** Microseconds since the Unix epoch (UTC). */
  timestampUs: number;
  stream: string;
  /** Client-supplied id (Elasticsearch `_id`), if any. */
  id?: string;
  fields: Record<string, FieldValue>;
}

export interface TimeRange {
  /** Inclusive lower bound, µs since epoch. */
  fromUs: number;
  /** Exclusive upper bound, µs since epoch. */
  toUs: number;
}
