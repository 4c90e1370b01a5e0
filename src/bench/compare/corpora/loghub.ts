import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, Weighted } from '../../../demo/rng.js';
import { TimeFormatter } from '../../../demo/time-format.js';
import { parseCsv } from './csv.js';
import {
  type Columns,
  LOGHUB_SYSTEMS,
  type LoghubSystem,
  normalizeLevel,
  timeParts,
} from './loghub-systems.js';

/** One line of a Loghub sample: its header columns and its message split at the template's `<*>`. */
interface Sample {
  columns: Columns;
  /** Literal text around the parameters: `parts.length === params.length + 1`. */
  parts: string[];
  /** The values the sample had where the template has `<*>`. */
  params: string[];
}

interface SystemSamples {
  system: LoghubSystem;
  samples: Sample[];
}

/**
 * Unstructured logs of many systems interleaved, built from the Loghub 2k samples: each event takes
 * a random line of a random system (so templates keep the frequencies they have in the sample),
 * keeps its literal text and its header columns, and redraws its parameters — digits, hex ids and
 * IPv4 addresses get new values of the same shape — and its time. The event is the raw line in
 * `message`, plus `service` (the system), and `host` and `level` where the system's lines have them.
 */
export class LoghubGenerator {
  private readonly systems: Weighted<SystemSamples>;
  private readonly ips: string[];
  private readonly time = new TimeFormatter();

  private constructor(systems: SystemSamples[], seed: number) {
    this.systems = new Weighted(systems.map((s) => [s, s.system.weight] as const));
    const r = new Rng(seed ^ 0x10_6b_0b);
    this.ips = Array.from({ length: 4000 }, () => randomIpv4(r));
  }

  /** Reads `<dir>/<System>/<System>_2k.log_structured.csv` of every system. */
  static load(loghubDir: string, seed: number): LoghubGenerator {
    const systems: SystemSamples[] = [];
    for (const system of LOGHUB_SYSTEMS) {
      const file = join(loghubDir, system.name, `${system.name}_2k.log_structured.csv`);
      if (!existsSync(file)) {
        throw new Error(
          `Cannot build the unstructured corpus: ${file} is missing (the Loghub 2k samples; pass --corpora DIR)`,
        );
      }
      const rows = parseCsv(readFileSync(file, 'utf8'));
      systems.push({ system, samples: rows.map(toSample) });
    }
    return new LoghubGenerator(systems, seed);
  }

  build(us: number, r: Rng): Record<string, unknown> {
    const { system, samples } = this.systems.pick(r);
    const sample = samples[r.int(samples.length)]!;
    let content = sample.parts[0]!;
    for (let i = 0; i < sample.params.length; i++) {
      content += this.redraw(sample.params[i]!, r) + sample.parts[i + 1]!;
    }
    const columns: Columns = { ...sample.columns, ...system.time(timeParts(us)) };
    for (const name of system.vary) {
      const v = columns[name];
      if (v) columns[name] = this.redraw(v, r);
    }
    const event: Record<string, unknown> = { '@timestamp': this.time.iso(us), service: system.service };
    if (system.host) {
      const host = columns[system.host];
      if (host) event['host'] = host;
    }
    if (system.level) {
      const level = normalizeLevel(columns[system.level] ?? '');
      if (level) event['level'] = level;
    }
    event['message'] = system.line(columns, content);
    return event;
  }

  /** A new value of the same shape: IPv4 addresses from a pool, hex ids and numbers redrawn digit by digit. */
  private redraw(value: string, r: Rng): string {
    return value.replace(SHAPES, (m: string, ip?: string, prefixed?: string, hex?: string) => {
      if (ip !== undefined) return this.ips[r.skewed(this.ips.length)]!;
      if (prefixed !== undefined) return `0x${randomHex(prefixed, r)}`;
      if (hex !== undefined) {
        if (!/\d/.test(hex)) return hex; // a word such as "facade"
        return /[a-fA-F]/.test(hex) ? randomHex(hex, r) : randomDigits(hex, r);
      }
      return randomDigits(m, r);
    });
  }
}

/** IPv4 addresses, `0x` numbers, standalone hex runs of 6+ characters, digit runs. */
const SHAPES =
  /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?!\d)|\b0x([0-9a-fA-F]+)|(?<![A-Za-z0-9])([0-9a-fA-F]{6,})(?![A-Za-z0-9])|\d+/g;

function toSample(row: Record<string, string>): Sample {
  const content = row['Content'] ?? '';
  const template = row['EventTemplate'] ?? '';
  const { Content: _c, EventTemplate: _t, EventId: _e, LineId: _l, ...columns } = row;
  const literal = template.split('<*>');
  if (literal.length > 1) {
    const source = literal.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)');
    const m = new RegExp(`^${source}$`, 's').exec(content);
    if (m) return { columns, parts: literal, params: m.slice(1) };
  }
  // No parameters, or the template does not match its line: redraw the numbers of the whole line.
  return { columns, parts: ['', ''], params: [content] };
}

function randomDigits(like: string, r: Rng): string {
  if (like.length === 1) return String(r.int(10));
  let s = like[0] === '0' ? '0' : String(1 + r.int(9));
  for (let i = 1; i < like.length; i++) s += String(r.int(10));
  return s;
}

function randomHex(like: string, r: Rng): string {
  const digits = like === like.toUpperCase() ? '0123456789ABCDEF' : '0123456789abcdef';
  let s = '';
  for (let i = 0; i < like.length; i++) s += digits[r.int(16)];
  return s;
}

function randomIpv4(r: Rng): string {
  const u = r.float();
  if (u < 0.45) return `10.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
  if (u < 0.6) return `192.168.${r.int(256)}.${1 + r.int(254)}`;
  return `${1 + r.int(223)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
}
