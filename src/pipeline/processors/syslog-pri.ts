import { getField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface SyslogPriConfig extends ProcessorConfigBase {
  kind: 'syslog_pri';
  /** The PRI number (`<34>` → 34), default `log.syslog.priority`. */
  field: string;
  ignore_missing: boolean;
}

const FACILITIES = [
  'kernel',
  'user-level',
  'mail',
  'daemon',
  'security/authorization',
  'syslogd',
  'line printer',
  'network news',
  'uucp',
  'clock',
  'security/authorization',
  'ftp',
  'ntp',
  'log audit',
  'log alert',
  'clock',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

/**
 * Decodes a syslog priority into facility and severity (Logstash's syslog_pri, ECS names), and the
 * severity name into `log.level` unless the event has one, so the level is derived from it.
 */
export const syslogPriProcessor: ProcessorComponent<SyslogPriConfig> = {
  kind: 'syslog_pri',
  summary: 'Decodes a syslog PRI number into facility and severity',
  defaultFailureTags: ['_syslogpriparsefailure'],
  parse(r: OptionReader) {
    return {
      field: r.field('field', 'log.syslog.priority'),
      ignore_missing: r.boolean('ignore_missing', true),
    };
  },
  build(config) {
    return (doc) => {
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const pri = Number(value);
      if (!Number.isInteger(pri) || pri < 0 || pri > 191)
        return `${JSON.stringify(value)} is not a syslog priority (0-191)`;
      const facility = pri >> 3;
      const severity = pri & 7;
      setField(doc, 'log.syslog.facility.code', facility);
      setField(doc, 'log.syslog.facility.name', FACILITIES[facility]!);
      setField(doc, 'log.syslog.severity.code', severity);
      setField(doc, 'log.syslog.severity.name', SEVERITIES[severity]!);
      if (getField(doc, 'log.level') === undefined && getField(doc, 'level') === undefined)
        setField(doc, 'log.level', SEVERITIES[severity]!);
      return null;
    };
  },
};
