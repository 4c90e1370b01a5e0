import { createHash } from 'node:crypto';
import { getField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export type FingerprintMethod = 'SHA1' | 'SHA256' | 'SHA512' | 'MD5';

export interface FingerprintConfig extends ProcessorConfigBase {
  kind: 'fingerprint';
  fields: string[];
  /** `_id` (the default) sets the event id, so a resent event is stored once; else a field. */
  target: string;
  method: FingerprintMethod;
  /** Prepended to the hashed text (Elasticsearch's salt). */
  salt: string;
  ignore_missing: boolean;
}

const HASHES: Readonly<Record<FingerprintMethod, string>> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
  MD5: 'md5',
};

/**
 * A hash of the named fields, by default as the event id (Elasticsearch's `_id`), so an event sent
 * twice carries the same id both times and can be recognised as a duplicate (Kafka redelivery,
 * shipper retries). Each field is hashed as its name and JSON value, so `{a:"b c"}` and
 * `{a:"b", c:…}` differ.
 */
export const fingerprintProcessor: ProcessorComponent<FingerprintConfig> = {
  kind: 'fingerprint',
  summary: 'Hashes fields into the event id (de-duplication) or a field',
  defaultFailureTags: ['_fingerprintfailure'],
  parse(r: OptionReader) {
    const fields = r.fields('fields');
    if (fields.length === 0) r.error('fields', 'is required: name the fields that identify an event');
    const method = r.string('method', 'SHA1').toUpperCase().replace('-', '');
    if (!(method in HASHES)) r.error('method', `expected SHA1, SHA256, SHA512 or MD5, got "${method}"`);
    return {
      fields,
      target: r.field('target') ?? r.field('target_field', '_id'),
      method: (method in HASHES ? method : 'SHA1') as FingerprintMethod,
      salt: r.string('salt', ''),
      ignore_missing: r.boolean('ignore_missing', false),
    };
  },
  build(config) {
    const algorithm = HASHES[config.method];
    return (doc) => {
      const hash = createHash(algorithm).update(config.salt);
      let found = 0;
      for (const field of config.fields) {
        const value = getField(doc, field);
        if (value === undefined) continue;
        found++;
        hash.update(`${JSON.stringify(field)}:${JSON.stringify(value)}|`);
      }
      if (found === 0)
        return config.ignore_missing ? null : `none of the fields ${config.fields.join(', ')} is present`;
      return setField(doc, config.target, hash.digest('hex'));
    };
  },
};
