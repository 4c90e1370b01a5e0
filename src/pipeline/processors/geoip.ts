import { canonicalIp } from '../../model/ip.js';
import { getField, setField } from '../doc.js';
import type { GeoIpDatabase, GeoRecord } from '../geoip/database.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export type GeoProperty =
  | 'continent_code'
  | 'continent_name'
  | 'country_iso_code'
  | 'country_name'
  | 'region_name'
  | 'city_name'
  | 'postal_code'
  | 'timezone'
  | 'location';

const PROPERTIES: readonly GeoProperty[] = [
  'continent_code',
  'continent_name',
  'country_iso_code',
  'country_name',
  'region_name',
  'city_name',
  'postal_code',
  'timezone',
  'location',
];

const DEFAULT_PROPERTIES: readonly GeoProperty[] = [
  'continent_name',
  'country_iso_code',
  'country_name',
  'region_name',
  'city_name',
  'location',
];

export interface GeoIpConfig extends ProcessorConfigBase {
  kind: 'geoip';
  field: string;
  /** Object the results go below (default `geoip`, as Elasticsearch). */
  target: string;
  properties: GeoProperty[];
  ignore_missing: boolean;
}

/**
 * Location of an IP address from the bundled DB-IP City Lite database (or a configured MaxMind
 * one), with Elasticsearch's field names: `<target>.country_iso_code`, `.country_name`,
 * `.continent_name`, `.region_name`, `.city_name`, `.location.lat` / `.location.lon`. An address the
 * database does not know (private ranges) adds nothing and is not a failure, as in Elasticsearch;
 * a value that is not an IP address is.
 */
export const geoipProcessor: ProcessorComponent<GeoIpConfig> = {
  kind: 'geoip',
  summary: 'Country, city, continent and location of an IP address (bundled DB-IP City Lite)',
  defaultFailureTags: ['_geoip_lookup_failure'],
  parse(r: OptionReader) {
    const properties: GeoProperty[] = [];
    for (const p of r.strings('properties', DEFAULT_PROPERTIES)) {
      const hit = PROPERTIES.find((x) => x === p);
      if (hit === undefined)
        r.error('properties', `unknown property "${p}" (known: ${PROPERTIES.join(', ')})`);
      else properties.push(hit);
    }
    return {
      field: r.field('field') ?? r.field('source', 'client.ip'),
      target: r.field('target') ?? r.field('target_field', 'geoip'),
      properties,
      ignore_missing: r.boolean('ignore_missing', false),
    };
  },
  build(config, ctx) {
    // Loaded on first use, so validating a pipeline does not read the 130 MB database.
    let db: GeoIpDatabase | null = null;
    const t = config.target;
    const writers: ((record: GeoRecord, set: (name: string, v: string | number) => void) => void)[] = [];
    for (const p of config.properties) {
      const put = (name: string, pick: (r: GeoRecord) => string | number | undefined) =>
        writers.push((r, set) => {
          const v = pick(r);
          if (v !== undefined) set(name, v);
        });
      switch (p) {
        case 'continent_code':
          put(`${t}.continent_code`, (r) => r.continentCode);
          break;
        case 'continent_name':
          put(`${t}.continent_name`, (r) => r.continentName);
          break;
        case 'country_iso_code':
          put(`${t}.country_iso_code`, (r) => r.countryIsoCode);
          break;
        case 'country_name':
          put(`${t}.country_name`, (r) => r.countryName);
          break;
        case 'region_name':
          put(`${t}.region_name`, (r) => r.regionName);
          break;
        case 'city_name':
          put(`${t}.city_name`, (r) => r.cityName);
          break;
        case 'postal_code':
          put(`${t}.postal_code`, (r) => r.postalCode);
          break;
        case 'timezone':
          put(`${t}.timezone`, (r) => r.timezone);
          break;
        case 'location':
          put(`${t}.location.lat`, (r) => (r.lat === undefined || r.lon === undefined ? undefined : r.lat));
          put(`${t}.location.lon`, (r) => (r.lat === undefined || r.lon === undefined ? undefined : r.lon));
          break;
      }
    }
    return (doc) => {
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const text = String(Array.isArray(value) ? value[0] : value);
      const ip = canonicalIp(text);
      if (ip === null) return `${JSON.stringify(text)} in "${config.field}" is not an IP address`;
      db ??= ctx.resources.geoip();
      const record = db.lookup(ip);
      if (record === null) return null;
      const set = (name: string, v: string | number) => setField(doc, name, v);
      for (const w of writers) w(record, set);
      return null;
    };
  },
};
