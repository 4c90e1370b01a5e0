import { normalizeLevel } from '../../model/level.js';
import { addTags, getField, getString, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export type DurationUnit = 'ns' | 'us' | 'ms' | 's';

export interface ClassifyConfig extends ProcessorConfigBase {
  kind: 'classify';
  /** The first of these that holds a level decides the level tag. */
  level_fields: string[];
  /** The first of these that holds a number is the HTTP status. */
  status_fields: string[];
  /** Duration fields with their units; the first present is compared with the threshold. */
  duration_fields: [string, DurationUnit][];
  slow_threshold_ms: number;
  /** Text searched for an exception class name, in order. */
  error_fields: string[];
  /** Extract exception classes only from ERROR and FATAL events (else from every event). */
  errors_only: boolean;
  error_type_field: string;
  error_class_field: string;
}

const UNIT_MS: Readonly<Record<DurationUnit, number>> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000 };

/** The class name of an exception or error: a word ending in Exception, Error or Fault, package dropped. */
const ERROR_CLASS = /(?:^|[^\w$])(?:[A-Za-z_$][\w$]*\.)*([A-Z][\w$]*?(Exception|Error|Fault))(?![\w$])/;

/**
 * The seeds' Logstash rules as one processor:
 *
 * - tags `error` (ERROR, FATAL), `warning` (WARN), `info` (INFO), `debug` (DEBUG, TRACE) from the level;
 * - tags `client_error` (400-499), `server_error` (500-599), and also `rate_limited` (429) from the
 *   HTTP status;
 * - tag `slow_response` when the duration is above `slow_threshold_ms` (default 5000);
 * - on error events, `error_class` (`NullPointerException`) and `error_type` (its kind: Exception,
 *   Error or Fault) from the first exception class name in the error or message text.
 */
export const classifyProcessor: ProcessorComponent<ClassifyConfig> = {
  kind: 'classify',
  summary: 'Tags events by level, HTTP status class, rate limiting and slowness; extracts exception classes',
  defaultFailureTags: [],
  parse(r: OptionReader) {
    const durations: [string, DurationUnit][] = [];
    const raw = r.stringMap('duration_fields');
    for (const [field, unit] of raw) {
      if (unit in UNIT_MS) durations.push([field, unit as DurationUnit]);
      else r.error(`duration_fields.${field}`, `expected a unit: ns, us, ms or s, got "${unit}"`);
    }
    return {
      level_fields: r.fields('level_fields', ['level', 'log.level']),
      status_fields: r.fields('status_fields', ['http.response.status_code', 'response', 'status']),
      duration_fields:
        raw.length > 0
          ? durations
          : [
              ['http.response.time_ms', 'ms'],
              ['duration_ms', 'ms'],
              ['responsetime', 'ms'],
              ['nginx.access.request_time', 's'],
              ['event.duration', 'ns'],
            ],
      slow_threshold_ms: r.number('slow_threshold_ms', 5000, { min: 0 }),
      error_fields: r.fields('error_fields', [
        'error.type',
        'error.message',
        'error.stack_trace',
        'message',
        'log_message',
      ]),
      errors_only: r.boolean('errors_only', true),
      error_type_field: r.field('error_type_field', 'error_type'),
      error_class_field: r.field('error_class_field', 'error_class'),
    };
  },
  build(config) {
    return (doc) => {
      const tags: string[] = [];
      let isError = false;
      for (const field of config.level_fields) {
        const level = normalizeLevel(getField(doc, field));
        if (level === null) continue;
        isError = level === 'ERROR' || level === 'FATAL';
        tags.push(isError ? 'error' : level === 'WARN' ? 'warning' : level === 'INFO' ? 'info' : 'debug');
        break;
      }
      for (const field of config.status_fields) {
        const status = Number(getField(doc, field));
        if (!Number.isInteger(status) || status < 100 || status > 599) continue;
        if (status >= 400 && status < 500) tags.push('client_error');
        else if (status >= 500) tags.push('server_error');
        if (status === 429) tags.push('rate_limited');
        break;
      }
      for (const [field, unit] of config.duration_fields) {
        const value = getField(doc, field);
        if (value === undefined) continue;
        const ms = Number(value) * UNIT_MS[unit];
        if (Number.isFinite(ms) && ms > config.slow_threshold_ms) tags.push('slow_response');
        break;
      }
      addTags(doc, tags);
      if ((isError || !config.errors_only) && getField(doc, config.error_class_field) === undefined) {
        for (const field of config.error_fields) {
          const text = getString(doc, field);
          if (text === undefined) continue;
          const m = ERROR_CLASS.exec(text);
          if (m === null) continue;
          setField(doc, config.error_class_field, m[1]!);
          setField(doc, config.error_type_field, m[2]!);
          break;
        }
      }
      return null;
    };
  },
};
