import { describe, expect, it } from 'vitest';
import { runPipelineOn } from '../test-support.js';

const geoip = (ip: string, options: Record<string, unknown> = {}) =>
  runPipelineOn({ processors: [{ geoip: options }] }, { message: 'm', 'client.ip': ip }).fields;

describe('geoip (bundled DB-IP City Lite)', () => {
  it('gives continent, country, region, city and location', () => {
    expect(geoip('81.2.69.143')).toEqual({
      message: 'm',
      'client.ip': '81.2.69.143',
      'geoip.continent_name': 'Europe',
      'geoip.country_iso_code': 'GB',
      'geoip.country_name': 'United Kingdom',
      'geoip.region_name': 'England',
      'geoip.city_name': 'London',
      'geoip.location.lat': expect.closeTo(51.51, 1),
      'geoip.location.lon': expect.closeTo(-0.09, 1),
    });
  });

  it('reads IPv6 and writes a chosen target and properties', () => {
    expect(
      geoip('2001:4860:4860::8888', {
        target: 'client.geo',
        properties: ['country_iso_code', 'continent_code'],
      }),
    ).toEqual({
      message: 'm',
      'client.ip': '2001:4860:4860::8888',
      'client.geo.country_iso_code': 'CA',
      'client.geo.continent_code': 'NA',
    });
  });

  it('adds nothing for private addresses, and fails on text that is not an address', () => {
    expect(geoip('10.0.0.1')).toEqual({ message: 'm', 'client.ip': '10.0.0.1' });
    expect(geoip('localhost')['tags']).toEqual(['_geoip_lookup_failure']);
  });
});
