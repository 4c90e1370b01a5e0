import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/model/event.js';
import { normalizeLevel } from '../../src/model/level.js';
import { DEFAULT_EVENT_LIMITS, normalizeEvent } from '../../src/model/normalize.js';
import { parseCsvLine } from '../../src/pipeline/processors/csv.js';
import { TEST_NOW_US, testCatalog } from '../../src/pipeline/test-support.js';

/*
 * Real logs nobody here wrote (../shared/corpora): every line of each Loghub system and of both
 * access-log files goes through a built-in pipeline and through `auto`. Asserted per system: the
 * failures (events tagged `_…failure`), the format `auto` recognised, that every event got its time
 * from the line, and that the level and the format's fields equal Loghub's own structured parse of
 * the same line (`<System>_2k.log_structured.csv`), with the number of differences.
 */
const CORPORA = join(import.meta.dirname, '../../../shared/corpora');
const catalog = testCatalog();

function lines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
}

function csvRows(path: string): Record<string, string>[] {
  // Quoted values may hold line breaks only where the log line did; Loghub's have none.
  const [header, ...rest] = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const columns = parseCsvLine(header!, ',', '"')!;
  return rest.map((row) => Object.fromEntries(parseCsvLine(row, ',', '"')!.map((v, i) => [columns[i], v])));
}

function run(pipeline: string, text: string[]): Event[] {
  const events = text.map((line) => {
    const r = normalizeEvent(
      { message: line },
      { stream: 'corpus', receivedUs: TEST_NOW_US, limits: DEFAULT_EVENT_LIMITS },
    );
    if (!r.ok) throw new Error(r.reason);
    return r.event;
  });
  return catalog.process(events, { pipeline, limits: DEFAULT_EVENT_LIMITS }).map((o) => {
    if (o.kind !== 'kept') throw new Error(`an event was ${o.kind}`);
    return o.event;
  });
}

function failures(events: Event[]): number {
  return events.filter((e) => {
    const tags = e.fields['tags'];
    return (Array.isArray(tags) ? tags : tags === undefined ? [] : [tags]).some((t) =>
      String(t).startsWith('_'),
    );
  }).length;
}

const str = (v: unknown) => (v === undefined ? undefined : String(v).trim());

interface SystemSpec {
  pipeline: string;
  /** Our field → the structured CSV's column. */
  fields: Record<string, string>;
  /** Loghub's level column, when the format has a level. */
  level?: string;
  /** The CSV level in Cairn's terms (default: normalizeLevel). */
  levelOf?: (csv: string) => string;
  /** The time as the line says it, from the CSV row, and what our event time must format to. */
  time: (row: Record<string, string>) => string;
  /** Adjusts what Loghub's row says where Cairn parses more (explained where used). */
  adjust?: (want: Record<string, string | undefined>) => void;
  /** Lines where Cairn's parse and Loghub's differ (explained where set). */
  differences?: number;
}

/** ISO text to millisecond precision: `…T10:00:00` and `…T10:00:00.5` become `…T10:00:00.000` and `…T10:00:00.500`. */
function toMillis(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(text);
  if (m === null) return text;
  return `${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

const pad = (n: string | number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const month = (name: string) => pad(MONTHS.indexOf(name) + 1);
const ANDROID_LEVELS: Record<string, string> = {
  V: 'TRACE',
  D: 'DEBUG',
  I: 'INFO',
  W: 'WARN',
  E: 'ERROR',
  F: 'FATAL',
};
const iso = (us: number) => new Date(Math.floor(us / 1000)).toISOString();

/*
 * Years a line does not carry come from the clock (2026-11-21), as Logstash guesses them; the
 * expected times below spell that out.
 */
const SYSTEMS: Record<string, SystemSpec> = {
  Android: {
    pipeline: 'android',
    fields: {
      'process.pid': 'Pid',
      'process.thread.id': 'Tid',
      'log.logger': 'Component',
      message: 'Content',
    },
    level: 'Level',
    levelOf: (l) => ANDROID_LEVELS[l]!,
    time: (r) => `2026-${r['Date']}T${r['Time']}`,
  },
  Apache: {
    pipeline: 'apache_error',
    fields: { message: 'Content' },
    level: 'Level',
    // Cairn moves `[client <ip>]` out of the message into client.address.
    adjust: (want) => {
      want['message'] = want['message']?.replace(/^\[client [^\]]+\] /, '');
    },
    time: (r) => {
      const [, mon, day, time, year] = r['Time']!.split(' ');
      return `${year}-${month(mon!)}-${day}T${time}`;
    },
  },
  BGL: {
    pipeline: 'bgl',
    fields: {
      'bgl.alert': 'Label',
      'bgl.epoch': 'Timestamp',
      'host.name': 'Node',
      'bgl.node_repeat': 'NodeRepeat',
      'bgl.type': 'Type',
      'log.logger': 'Component',
      message: 'Content',
    },
    level: 'Level',
    time: (r) =>
      r['Time']!.replace(/^(\d{4}-\d{2}-\d{2})-(\d{2})\.(\d{2})\.(\d{2})\.(\d{3})\d{3}$/, '$1T$2:$3:$4.$5'),
  },
  HDFS: {
    pipeline: 'hdfs',
    fields: { 'process.pid': 'Pid', 'log.logger': 'Component', message: 'Content' },
    level: 'Level',
    time: (r) => {
      const [d, t] = [r['Date']!, r['Time']!];
      return `20${d.slice(0, 2)}-${d.slice(2, 4)}-${d.slice(4)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4)}`;
    },
  },
  HPC: {
    pipeline: 'hpc',
    fields: {
      'hpc.log_id': 'LogId',
      'host.name': 'Node',
      'log.logger': 'Component',
      'hpc.state': 'State',
      'hpc.flag': 'Flag',
      message: 'Content',
    },
    time: (r) => iso(Number(r['Time']) * 1e6),
  },
  Hadoop: {
    pipeline: 'java',
    fields: { 'process.thread.name': 'Process', 'log.logger': 'Component', message: 'Content' },
    level: 'Level',
    time: (r) => `${r['Date']}T${r['Time']!.replace(',', '.')}`,
  },
  HealthApp: {
    pipeline: 'healthapp',
    fields: { 'log.logger': 'Component', 'process.pid': 'Pid', message: 'Content' },
    // Milliseconds are written without leading zeros: `:95` is 95 ms.
    time: (r) =>
      r['Time']!.replace(
        /^(\d{4})(\d{2})(\d{2})-(\d+):(\d+):(\d+):(\d+)$/,
        (_a, y, mo, d, h, mi, s, ms) =>
          `${y}-${mo}-${d}T${pad(h)}:${pad(mi)}:${pad(s)}.${String(ms).padStart(3, '0')}`,
      ),
  },
  Linux: {
    pipeline: 'syslog',
    fields: { 'host.name': 'Level', 'process.name': 'Component', 'process.pid': 'PID', message: 'Content' },
    time: (r) => `2026-${month(r['Month']!)}-${pad(r['Date']!)}T${r['Time']}`,
  },
  Mac: {
    pipeline: 'syslog',
    fields: { 'host.name': 'User', 'process.name': 'Component', 'process.pid': 'PID', message: 'Content' },
    time: (r) => `2026-${month(r['Month']!)}-${pad(r['Date']!)}T${r['Time']}`,
  },
  OpenSSH: {
    pipeline: 'syslog',
    fields: { 'host.name': 'Component', 'process.pid': 'Pid', message: 'Content' },
    time: (r) => `2025-${month(r['Date']!)}-${pad(r['Day']!)}T${r['Time']}`,
  },
  OpenStack: {
    pipeline: 'openstack',
    fields: {
      'log.file.path': 'Logrecord',
      'process.pid': 'Pid',
      'log.logger': 'Component',
      message: 'Content',
    },
    level: 'Level',
    time: (r) => `${r['Date']}T${r['Time']}`,
    // Cairn moves oslo.log's `[instance: <uuid>]` out of the message into openstack.instance_id.
    adjust: (want) => {
      want['message'] = want['message']?.replace(/^\[instance: [0-9a-f-]{36}\] /, '');
    },
  },
  Proxifier: {
    pipeline: 'proxifier',
    fields: { 'process.name': 'Program', message: 'Content' },
    time: (r) => `2026-${r['Time']!.slice(0, 2)}-${r['Time']!.slice(3, 5)}T${r['Time']!.slice(6)}`,
  },
  Spark: {
    pipeline: 'java',
    fields: { 'log.logger': 'Component', message: 'Content' },
    level: 'Level',
    time: (r) => `20${r['Date']!.replace(/\//g, '-')}T${r['Time']}`,
  },
  Thunderbird: {
    pipeline: 'thunderbird',
    fields: {
      'thunderbird.alert': 'Label',
      'host.name': 'User',
      'log.syslog.hostname': 'Location',
      'process.name': 'Component',
      'process.pid': 'PID',
      message: 'Content',
    },
    time: (r) => iso(Number(r['Timestamp']) * 1e6),
    // Loghub reads text before the first colon as a program even with spaces in it ("- User ID",
    // "IA32 emulation $Id"); a syslog program name has none, so Cairn keeps those in the message.
    differences: 7,
  },
  Windows: {
    pipeline: 'windows_cbs',
    fields: { 'log.logger': 'Component', message: 'Content' },
    level: 'Level',
    time: (r) => `${r['Date']}T${r['Time']}`,
  },
  Zookeeper: {
    pipeline: 'java',
    fields: { 'log.origin.file.line': 'Id', message: 'Content' },
    level: 'Level',
    time: (r) => `${r['Date']}T${r['Time']!.replace(',', '.')}`,
  },
};

describe('Loghub: every line of every system', () => {
  for (const [system, spec] of Object.entries(SYSTEMS)) {
    it(`${system}: the ${spec.pipeline} pipeline and auto parse all 2,000 lines like Loghub's structured parse`, () => {
      const dir = join(CORPORA, 'loghub', system);
      const text = lines(join(dir, `${system}_2k.log`));
      const rows = csvRows(join(dir, `${system}_2k.log_structured.csv`));
      expect(text.length).toBe(2000);
      expect(rows.length).toBe(2000);

      const events = run(spec.pipeline, text);
      const auto = run('auto', text);
      expect(failures(events)).toBe(0);
      expect(failures(auto)).toBe(0);
      // auto recognised the same format and parsed the same fields.
      expect(auto.map((e) => e.fields['event.dataset'])).toEqual(
        events.map((e) => e.fields['event.dataset']),
      );
      expect(auto.map((e) => [e.timestampUs, e.fields['message']])).toEqual(
        events.map((e) => [e.timestampUs, e.fields['message']]),
      );

      let differences = 0;
      const examples: string[] = [];
      events.forEach((event, i) => {
        const row = rows[i]!;
        const want: Record<string, string | undefined> = {};
        const got: Record<string, string | undefined> = {};
        for (const [ours, column] of Object.entries(spec.fields)) {
          want[ours] = str(row[column]) || undefined;
          got[ours] = str(event.fields[ours]);
        }
        if (spec.level !== undefined) {
          const csv = row[spec.level]!;
          want['level'] = spec.levelOf ? spec.levelOf(csv) : (normalizeLevel(csv) ?? csv.toUpperCase());
          got['level'] = str(event.fields['level']);
        }
        want['@timestamp'] = toMillis(spec.time(row));
        spec.adjust?.(want);
        got['@timestamp'] = iso(event.timestampUs).slice(0, 23);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          differences++;
          if (examples.length < 3)
            examples.push(`line ${i + 1}: got ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
        }
      });
      expect({ differences, examples }).toEqual({
        differences: spec.differences ?? 0,
        examples: spec.differences ? expect.any(Array) : [],
      });
    });
  }
});

describe('access logs', () => {
  it('Apache combined (elastic/examples): 10,000 lines, no failure, fields as the upstream README counts them', () => {
    const text = lines(join(CORPORA, 'access', 'elastic-examples_apache_logs.log'));
    expect(text.length).toBe(10_000);
    for (const pipeline of ['apache', 'nginx', 'auto']) {
      const events = run(pipeline, text);
      expect(failures(events), pipeline).toBe(0);
      const statuses = new Map<unknown, number>();
      for (const e of events)
        statuses.set(
          e.fields['http.response.status_code'],
          (statuses.get(e.fields['http.response.status_code']) ?? 0) + 1,
        );
      // The status mix the corpus README gives.
      expect(Object.fromEntries(statuses), pipeline).toEqual({
        200: 9126,
        304: 445,
        404: 213,
        301: 164,
        206: 45,
        500: 3,
        416: 2,
        403: 2,
      });
      expect(
        events.every(
          (e) =>
            typeof e.fields['client.ip'] === 'string' && typeof e.fields['http.request.method'] === 'string',
        ),
      ).toBe(true);
      const times = events.map((e) => e.timestampUs);
      expect(iso(Math.min(...times))).toBe('2015-05-17T10:05:00.000Z');
      expect(iso(Math.max(...times))).toBe('2015-05-20T21:05:59.000Z');
    }
    const [first] = run('apache', text.slice(0, 1));
    expect({ ...first!.fields, message: undefined }).toEqual({
      message: undefined,
      'event.dataset': 'apache.access',
      'client.address': '83.149.9.216',
      'client.ip': '83.149.9.216',
      'client.geo.continent_name': 'Europe',
      'client.geo.country_iso_code': 'RU',
      'client.geo.country_name': 'Russia',
      'client.geo.region_name': 'Moscow',
      'client.geo.city_name': 'Moscow',
      'client.geo.location.lat': expect.closeTo(55.76, 1),
      'client.geo.location.lon': expect.closeTo(37.62, 1),
      'http.request.method': 'GET',
      'url.original': '/presentations/logstash-monitorama-2013/images/kibana-search.png',
      'http.version': '1.1',
      'http.response.status_code': 200,
      'http.response.body.bytes': 203023,
      'http.request.referrer': 'http://semicomplete.com/presentations/logstash-monitorama-2013/',
      'user_agent.original':
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36',
      'user_agent.name': 'Chrome',
      'user_agent.version': '32.0.1700',
      'user_agent.os.name': 'Mac OS X',
      'user_agent.os.version': '10.9.1',
      'user_agent.os.full': 'Mac OS X 10.9.1',
      'user_agent.device.name': 'Mac',
    });
  });

  it("Filebeat's nginx edge cases: every line, with the client Filebeat's module picks", () => {
    const text = lines(join(CORPORA, 'access', 'beats_nginx_access_test.log'));
    expect(text.length).toBe(10);
    for (const pipeline of ['nginx', 'auto']) {
      const events = run(pipeline, text);
      expect(failures(events), pipeline).toBe(0);
      expect(
        events.map((e) => [
          e.fields['client.ip'] ?? e.fields['client.address'] ?? null,
          e.fields['http.request.method'] ?? e.fields['http.request.raw'] ?? null,
          e.fields['http.response.status_code'],
          iso(e.timestampUs),
        ]),
        pipeline,
      ).toEqual([
        ['127.0.0.1', 'GET', 200, '2016-12-07T10:05:07.000Z'],
        ['172.17.0.1', 'GET', 404, '2017-05-29T19:02:48.000Z'],
        ['81.2.69.143', 'GET', 200, '2016-12-07T10:05:07.000Z'],
        ['81.2.69.143', 'GET', 200, '2016-12-07T10:05:07.000Z'],
        ['175.16.199.1', 'GET', 200, '2016-01-22T13:18:29.000Z'],
        ['2a02:cf40:10ff:f00f::8000', 'GET', 404, '2016-12-30T06:47:09.000Z'],
        ['127.0.0.1', null, 400, '2018-04-12T07:48:40.000Z'],
        ['unix:', 'hello', 400, '2019-02-26T14:39:42.000Z'],
        ['localhost', 'GET', 200, '2017-05-29T19:02:48.000Z'],
        ['localhost', 'GET', 200, '2017-05-29T19:02:48.000Z'],
      ]);
    }
    // Countries, not cities: the monthly DB-IP data moves city boundaries more often than countries.
    const geo = run('nginx', text).map((e) => e.fields['client.geo.country_iso_code'] ?? null);
    expect(geo).toEqual([null, null, 'GB', 'GB', 'CN', 'DK', null, null, null, null]);
  });
});
