/**
 * Built-in pipelines are written as users write theirs (Elasticsearch style, decoded JSON) and go
 * through the same validation; these are their shared parts.
 */
export type Definition = { description: string; processors: Record<string, unknown>[] };

export interface BuiltinPipeline {
  id: string;
  /** A line of the format, for the docs and the simulate examples. */
  example: string;
  definition: Definition;
}

/** Parses `timestamp` with the given formats into @timestamp, then drops it. */
export function dateStep(formats: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    date: { field: 'timestamp', formats, remove_field: ['timestamp'], ignore_missing: true, ...extra },
  };
}

/**
 * The same, for a time a grok captured straight into `@metadata.timestamp` (see TIME_TO_METADATA):
 * nothing to remove afterwards, which spares every event a copy of its field map.
 */
export function metadataDateStep(formats: string[]): Record<string, unknown> {
  return { date: { field: '@metadata.timestamp', formats, ignore_missing: true } };
}

/** grok's rename_captures for library patterns that capture the time as `timestamp`. */
export const TIME_TO_METADATA = { timestamp: '@metadata.timestamp' };

export const CLASSIFY: Record<string, unknown> = { classify: {} };

/** Client address, user agent and location for access logs (what Filebeat's modules add). */
export const ACCESS_ENRICHMENT: Record<string, unknown>[] = [
  // Every step skips events without its field, so no `if:` is needed (conditions cost a field scan).
  {
    mutate: {
      gsub: ['nginx.access.remote_ip_list', '[",\\s]+', ','],
      split: { 'nginx.access.remote_ip_list': ',' },
    },
  },
  { client_ip: { field: 'nginx.access.remote_ip_list' } },
  { client_ip: { field: 'client.address', override: false } },
  { user_agent: { field: 'user_agent.original', ignore_missing: true } },
  { geoip: { field: 'client.ip', target: 'client.geo', ignore_missing: true } },
  CLASSIFY,
];

/** Grok's capture of the event's level, mapped through a dictionary into `log.level`. */
export function levelDictionary(field: string, dictionary: Record<string, string>): Record<string, unknown> {
  return { translate: { field, target: 'log.level', dictionary, ignore_missing: true, tag_on_failure: [] } };
}
