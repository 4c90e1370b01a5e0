import { getField, removeField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';
import type { UserAgentParser } from '../useragent/uap.js';

export interface UserAgentConfig extends ProcessorConfigBase {
  kind: 'user_agent';
  field: string;
  /** Object the results go below (default `user_agent`). */
  target: string;
  ignore_missing: boolean;
}

/**
 * Browser, operating system and device from a User-Agent header, with Elasticsearch's field names:
 * `<target>.name`, `.version`, `.os.name`, `.os.version`, `.os.full`, `.device.name`; the header
 * itself is kept in `<target>.original`.
 */
export const userAgentProcessor: ProcessorComponent<UserAgentConfig> = {
  kind: 'user_agent',
  summary: 'Browser, OS and device from a User-Agent string (uap-core regexes, as Elasticsearch)',
  defaultFailureTags: ['_useragentparsefailure'],
  parse(r: OptionReader) {
    return {
      field: r.field('field') ?? r.field('source', 'user_agent.original'),
      target: r.field('target') ?? r.field('target_field', 'user_agent'),
      ignore_missing: r.boolean('ignore_missing', false),
    };
  },
  build(config, ctx) {
    let parser: UserAgentParser | null = null;
    const t = config.target;
    const names = {
      original: `${t}.original`,
      name: `${t}.name`,
      version: `${t}.version`,
      osName: `${t}.os.name`,
      osVersion: `${t}.os.version`,
      osFull: `${t}.os.full`,
      device: `${t}.device.name`,
    };
    return (doc) => {
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const text = Array.isArray(value) ? String(value[0]) : String(value);
      parser ??= ctx.resources.userAgent();
      const info = parser.parse(text);
      if (config.field !== names.original) {
        removeField(doc, t);
        setField(doc, names.original, text);
      }
      setField(doc, names.name, info.name);
      if (info.version !== undefined) setField(doc, names.version, info.version);
      if (info.os !== undefined) {
        setField(doc, names.osName, info.os.name);
        if (info.os.version !== undefined) setField(doc, names.osVersion, info.os.version);
        if (info.os.full !== undefined) setField(doc, names.osFull, info.os.full);
      }
      setField(doc, names.device, info.device);
      return null;
    };
  },
};
