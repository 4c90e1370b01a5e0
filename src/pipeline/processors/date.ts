import { formatTimestamp } from '../../model/timestamp.js';
import { compileDateFormat, type DateParser } from '../date/joda.js';
import { getField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface DateConfig extends ProcessorConfigBase {
  kind: 'date';
  field: string;
  /** Joda/Java patterns or ISO8601, UNIX, UNIX_MS, TAI64N, tried in order. */
  formats: string[];
  /** Zone of times written without one (IANA name, abbreviation or offset; default UTC). */
  timezone: string | undefined;
  /** Where the time goes (default `@timestamp`: the event time); other fields get ISO 8601 text. */
  target: string;
  locale: string;
  ignore_missing: boolean;
}

export const dateProcessor: ProcessorComponent<DateConfig> = {
  kind: 'date',
  summary: 'Parses a date with Joda patterns (dd/MMM/yyyy:HH:mm:ss Z, ISO8601, UNIX…) into @timestamp',
  defaultFailureTags: ['_dateparsefailure'],
  parse(r: OptionReader) {
    let field = r.field('field', 'timestamp');
    let formats = r.strings('formats');
    // Logstash's form: match => [ "timestamp", "dd/MMM/yyyy:HH:mm:ss Z", … ].
    const match = r.strings('match');
    if (match.length > 0) {
      if (match.length < 2) r.error('match', 'expected the field name followed by at least one format');
      else {
        field = match[0]!;
        formats = [...match.slice(1), ...formats];
      }
    }
    if (formats.length === 0) r.error('formats', 'is required: give at least one format');
    const locale = r.string('locale', 'en');
    if (!/^en(?:[-_][A-Za-z]+)?$/i.test(locale))
      r.error('locale', `only English month and day names are supported, got "${locale}"`);
    return {
      field,
      formats,
      timezone: r.string('timezone'),
      target: r.field('target') ?? r.field('target_field', '@timestamp'),
      locale,
      ignore_missing: r.boolean('ignore_missing', false),
    };
  },
  build(config, ctx) {
    const parsers: DateParser[] = [];
    const errors: string[] = [];
    config.formats.forEach((format, i) => {
      try {
        parsers.push(compileDateFormat(format, config.timezone));
      } catch (err) {
        errors.push(`formats[${i}] "${format}": ${(err as Error).message}`);
      }
    });
    if (errors.length > 0) return { errors };
    return (doc) => {
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const text = String(Array.isArray(value) ? value[0] : value).trim();
      const now = ctx.nowUs();
      for (const parser of parsers) {
        const us = parser.parse(text, now);
        if (us === null || !Number.isFinite(us)) continue;
        if (config.target === '@timestamp') doc.event.timestampUs = us;
        else setField(doc, config.target, formatTimestamp(us));
        return null;
      }
      return `the value ${JSON.stringify(text)} of "${config.field}" matches none of the formats ${config.formats.map((f) => `"${f}"`).join(', ')}`;
    };
  },
};
