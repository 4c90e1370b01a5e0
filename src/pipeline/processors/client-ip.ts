import { canonicalIp, ipv4ToInt } from '../../model/ip.js';
import { parseIp } from '../../query/ip.js';
import { getField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface ClientIpConfig extends ProcessorConfigBase {
  kind: 'client_ip';
  /** Addresses: a list, or text separated by commas, spaces or quotes (an X-Forwarded-For chain). */
  field: string;
  target: string;
  /** Also written, when absent: the chosen address, or the last name of a chain without IPs (`localhost`). */
  address_target: string;
  /** false: leave an existing target alone (for a second, fallback source). */
  override: boolean;
  ignore_missing: boolean;
}

/** Whether an address is private, loopback, link-local or otherwise not routed on the internet. */
export function isPrivateIp(text: string): boolean {
  const v4 = ipv4ToInt(text);
  if (v4 !== null) {
    const a = v4 >>> 24;
    const b = (v4 >>> 16) & 255;
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  const ip = parseIp(text);
  if (ip === null || ip.version === 4) return true;
  const g = ip.groups[0]!;
  if (ip.groups.every((x, i) => (i < 7 ? x === 0 : x <= 1))) return true; // :: and ::1
  if (ip.text.startsWith('::ffff:')) return isPrivateIp(ip.text.slice(7));
  return (g & 0xfe00) === 0xfc00 || (g & 0xffc0) === 0xfe80 || (g & 0xff00) === 0xff00;
}

/**
 * Picks the client from a chain of addresses, as Filebeat's nginx module does: the first public
 * address, else the last address of the chain. Names (`localhost`, `unix:`) are skipped; when the
 * chain has no IP at all the processor does nothing.
 */
export const clientIpProcessor: ProcessorComponent<ClientIpConfig> = {
  kind: 'client_ip',
  summary: 'Picks the client address from an X-Forwarded-For style chain (first public, else last)',
  defaultFailureTags: [],
  parse(r: OptionReader) {
    return {
      field: r.requiredField('field'),
      target: r.field('target', 'client.ip'),
      address_target: r.field('address_target', 'client.address'),
      override: r.boolean('override', true),
      ignore_missing: r.boolean('ignore_missing', true),
    };
  },
  build(config) {
    return (doc) => {
      if (!config.override && getField(doc, config.target) !== undefined) return null;
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const items = Array.isArray(value) ? value.map(String) : String(value).split(/[\s,"]+/);
      let chosen: string | null = null;
      let lastName: string | null = null;
      for (const item of items) {
        if (item === '') continue;
        const ip = canonicalIp(item);
        if (ip === null) {
          lastName = item;
          continue;
        }
        chosen = ip;
        if (!isPrivateIp(ip)) break;
      }
      if (getField(doc, config.address_target) === undefined && (chosen ?? lastName) !== null)
        setField(doc, config.address_target, (chosen ?? lastName)!);
      return chosen === null ? null : setField(doc, config.target, chosen);
    };
  },
};
