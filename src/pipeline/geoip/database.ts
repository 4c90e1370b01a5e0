import { continents, countries } from 'countries-list';
import { Reader, type Response } from 'maxmind';
import { isPlainObject } from '../options.js';

/** What the geoip processor writes, for one address (absent parts unknown). */
export interface GeoRecord {
  countryIsoCode?: string;
  countryName?: string;
  continentCode?: string;
  continentName?: string;
  regionName?: string;
  cityName?: string;
  postalCode?: string;
  timezone?: string;
  lat?: number;
  lon?: number;
}

export interface GeoIpDatabase {
  /** Where the data comes from, for the API and docs (attribution). */
  readonly description: string;
  /** The record for an IP address, or null when the database knows nothing of it (private ranges). */
  lookup(ip: string): GeoRecord | null;
}

/**
 * Reads MaxMind-format (MMDB) databases from memory, in either of two layouts:
 *
 * - MaxMind GeoIP2 / GeoLite2 City (`country.iso_code`, `city.names.en`, `location.latitude`…);
 * - the flat layout of the ip-location-db packages (`country_code`, `state1`, `city`, `latitude`…),
 *   such as DB-IP's IP to City Lite (CC BY 4.0) that Cairn ships, one file per IP version.
 *
 * Country and continent names come from the countries-list package when the database has only
 * codes. Buffers may be views of a SharedArrayBuffer, so worker threads share one copy.
 */
export function createGeoIpDatabase(opts: {
  buffers: Buffer[];
  description: string;
  cacheSize?: number;
}): GeoIpDatabase {
  const readers = opts.buffers.map((b) => new Reader<Response>(b));
  const v4 = readers.find((r) => r.metadata.ipVersion === 4) ?? readers[0];
  const v6 = readers.find((r) => r.metadata.ipVersion === 6) ?? readers[0];
  const cacheSize = opts.cacheSize ?? 50_000;
  const cache = new Map<string, GeoRecord | null>();
  return {
    description: opts.description,
    lookup(ip: string): GeoRecord | null {
      const hit = cache.get(ip);
      if (hit !== undefined) return hit;
      const reader = ip.includes(':') ? v6 : v4;
      let record: GeoRecord | null = null;
      if (reader !== undefined) {
        try {
          record = toRecord(reader.get(ip));
        } catch {
          record = null; // an address the reader rejects
        }
      }
      if (cache.size >= cacheSize) cache.clear();
      cache.set(ip, record);
      return record;
    },
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function englishName(value: unknown): string | undefined {
  return isPlainObject(value) && isPlainObject(value['names']) ? str(value['names']['en']) : undefined;
}

/** Where countries-list's main continent differs from the one MaxMind's databases give. */
const CONTINENT_OVERRIDES: Readonly<Record<string, string>> = { RU: 'EU' };

function toRecord(raw: unknown): GeoRecord | null {
  if (!isPlainObject(raw)) return null;
  const record: GeoRecord = {};
  if (typeof raw['country_code'] === 'string') {
    // ip-location-db layout.
    record.countryIsoCode = str(raw['country_code']);
    record.regionName = str(raw['state1']);
    record.cityName = str(raw['city']);
    record.postalCode = str(raw['postcode']);
    record.timezone = str(raw['timezone']);
    record.lat = num(raw['latitude']);
    record.lon = num(raw['longitude']);
  } else {
    // GeoIP2 layout.
    const country = isPlainObject(raw['country'])
      ? raw['country']
      : isPlainObject(raw['registered_country'])
        ? raw['registered_country']
        : {};
    record.countryIsoCode = str(country['iso_code']);
    record.countryName = englishName(country);
    const continent = isPlainObject(raw['continent']) ? raw['continent'] : {};
    record.continentCode = str(continent['code']);
    record.continentName = englishName(continent);
    const subdivisions = raw['subdivisions'];
    if (Array.isArray(subdivisions)) record.regionName = englishName(subdivisions[0]);
    record.cityName = englishName(raw['city']);
    if (isPlainObject(raw['postal'])) record.postalCode = str(raw['postal']['code']);
    if (isPlainObject(raw['location'])) {
      record.lat = num(raw['location']['latitude']);
      record.lon = num(raw['location']['longitude']);
      record.timezone = str(raw['location']['time_zone']);
    }
  }
  const code = record.countryIsoCode;
  if (code !== undefined && (record.countryName === undefined || record.continentCode === undefined)) {
    const info = (countries as Record<string, { name: string; continent: string } | undefined>)[code];
    if (info !== undefined) {
      record.countryName ??= info.name;
      record.continentCode ??= CONTINENT_OVERRIDES[code] ?? info.continent;
    }
  }
  if (record.continentCode !== undefined && record.continentName === undefined) {
    record.continentName = (continents as Record<string, string | undefined>)[record.continentCode];
  }
  return record;
}
