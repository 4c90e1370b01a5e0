import { isPlainObject } from '../options.js';

/**
 * A user-agent parser over the ua-parser project's regexes (uap-core's regexes.yaml, Apache-2.0),
 * the same database Elasticsearch's user_agent processor uses, so the fields agree with it. The
 * rules of the format (first matching regex wins, `$1` in replacements, "Other" when nothing
 * matches) follow uap-core's docs/specification.md.
 */
export interface UserAgentInfo {
  name: string;
  version: string | undefined;
  os: { name: string; version: string | undefined; full: string | undefined } | undefined;
  device: string;
}

export interface UserAgentParser {
  parse(userAgent: string): UserAgentInfo;
}

interface Rule {
  regex: RegExp;
  replacements: (string | undefined)[];
}

/** The decoded regexes.yaml. */
export interface UapRegexes {
  user_agent_parsers: Record<string, unknown>[];
  os_parsers: Record<string, unknown>[];
  device_parsers: Record<string, unknown>[];
}

export function isUapRegexes(value: unknown): value is UapRegexes {
  return (
    isPlainObject(value) &&
    Array.isArray(value['user_agent_parsers']) &&
    Array.isArray(value['os_parsers']) &&
    Array.isArray(value['device_parsers'])
  );
}

function compileRules(list: Record<string, unknown>[], keys: readonly string[]): Rule[] {
  const rules: Rule[] = [];
  for (const entry of list) {
    const source = entry['regex'];
    if (typeof source !== 'string') continue;
    const flags = entry['regex_flag'] === 'i' ? 'i' : '';
    let regex: RegExp;
    try {
      regex = new RegExp(source, flags);
    } catch {
      continue; // A regex JavaScript cannot compile; the ones after it still apply.
    }
    rules.push({
      regex,
      replacements: keys.map((k) => (typeof entry[k] === 'string' ? (entry[k] as string) : undefined)),
    });
  }
  return rules;
}

function substitute(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\d)/g, (_all, n: string) => m[Number(n)] ?? '');
}

/** A replacement with $N filled in, else capture `group`; empty means absent. */
function pick(template: string | undefined, m: RegExpExecArray, group: number): string | undefined {
  const value = template !== undefined ? substitute(template, m) : m[group];
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function joinVersion(parts: (string | undefined)[]): string | undefined {
  const out: string[] = [];
  for (const p of parts) {
    if (p === undefined) break;
    out.push(p);
  }
  return out.length === 0 ? undefined : out.join('.');
}

const UA_KEYS = ['family_replacement', 'v1_replacement', 'v2_replacement', 'v3_replacement'];
const OS_KEYS = [
  'os_replacement',
  'os_v1_replacement',
  'os_v2_replacement',
  'os_v3_replacement',
  'os_v4_replacement',
];
const DEVICE_KEYS = ['device_replacement'];

export function createUserAgentParser(
  regexes: UapRegexes,
  options: { cacheSize?: number } = {},
): UserAgentParser {
  const agents = compileRules(regexes.user_agent_parsers, UA_KEYS);
  const systems = compileRules(regexes.os_parsers, OS_KEYS);
  const devices = compileRules(regexes.device_parsers, DEVICE_KEYS);
  const cacheSize = options.cacheSize ?? 10_000;
  // Logs repeat a few hundred agents endlessly; a bounded memo makes the 1,000-regex walk rare.
  const cache = new Map<string, UserAgentInfo>();

  const first = (rules: Rule[], text: string): { rule: Rule; m: RegExpExecArray } | null => {
    for (const rule of rules) {
      const m = rule.regex.exec(text);
      if (m !== null) return { rule, m };
    }
    return null;
  };

  const parse = (text: string): UserAgentInfo => {
    const ua = first(agents, text);
    const name = ua === null ? 'Other' : (pick(ua.rule.replacements[0], ua.m, 1) ?? 'Other');
    const version =
      ua === null ? undefined : joinVersion([1, 2, 3].map((k) => pick(ua.rule.replacements[k], ua.m, k + 1)));
    const os = first(systems, text);
    let osInfo: UserAgentInfo['os'];
    if (os !== null) {
      const osName = pick(os.rule.replacements[0], os.m, 1);
      if (osName !== undefined) {
        const osVersion = joinVersion([1, 2, 3, 4].map((k) => pick(os.rule.replacements[k], os.m, k + 1)));
        osInfo = {
          name: osName,
          version: osVersion,
          full: osVersion === undefined ? osName : `${osName} ${osVersion}`,
        };
      }
    }
    const device = first(devices, text);
    const deviceName =
      device === null ? 'Other' : (pick(device.rule.replacements[0], device.m, 1) ?? 'Other');
    return { name, version, os: osInfo, device: deviceName };
  };

  return {
    parse(userAgent: string): UserAgentInfo {
      const hit = cache.get(userAgent);
      if (hit !== undefined) return hit;
      const info = parse(userAgent);
      if (cache.size >= cacheSize) cache.clear();
      cache.set(userAgent, info);
      return info;
    },
  };
}
