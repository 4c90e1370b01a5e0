/**
 * The 16 Loghub systems: how each writes a line (its header before the message, as logparser's
 * `log_format` describes it), which columns hold the time, the host and the level. A line is rebuilt
 * from the columns of `<System>_2k.log_structured.csv`, so the format can be checked against the raw
 * `<System>_2k.log` (see the round-trip test).
 */

/** Normalised level, as Cairn stores it. */
export type Level = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

export interface TimeParts {
  epochSeconds: number;
  yyyy: string;
  yy: string;
  MM: string;
  M: string;
  dd: string;
  d: string;
  HH: string;
  H: string;
  mm: string;
  m: string;
  ss: string;
  s: string;
  SSS: string;
  /** Microseconds within the second, 6 digits. */
  micros: string;
  mon: string;
  dow: string;
}

export type Columns = Record<string, string>;

export interface LoghubSystem {
  /** Directory and file prefix under loghub/. */
  name: string;
  /** The `service` field. */
  service: string;
  /** Relative share of events. */
  weight: number;
  /** The time columns of a line at this time. */
  time(t: TimeParts): Columns;
  /** Columns whose digits are redrawn per event (process ids, node numbers). */
  vary: readonly string[];
  /** The raw line from its columns and message. */
  line(c: Columns, content: string): string;
  /** Column that names the host, for systems whose lines carry one. */
  host?: string;
  /** Column that holds the level, for systems whose lines carry one. */
  level?: string;
}

const LEVELS: Record<string, Level> = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARN',
  WARNING: 'WARN',
  ERROR: 'ERROR',
  SEVERE: 'ERROR',
  FATAL: 'FATAL',
  FAILURE: 'FATAL',
  notice: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  Info: 'INFO',
  Warning: 'WARN',
  Error: 'ERROR',
  V: 'TRACE',
  D: 'DEBUG',
  I: 'INFO',
  W: 'WARN',
  E: 'ERROR',
  F: 'FATAL',
};

/** A system's own level name as a normalised level; undefined when it has no equivalent. */
export function normalizeLevel(raw: string): Level | undefined {
  return LEVELS[raw.trim()];
}

const withPid = (pid: string | undefined) => (pid ? `[${pid}]` : '');

export const LOGHUB_SYSTEMS: readonly LoghubSystem[] = [
  {
    name: 'HDFS',
    service: 'hdfs',
    weight: 12,
    time: (t) => ({ Date: t.yy + t.MM + t.dd, Time: t.HH + t.mm + t.ss }),
    vary: ['Pid'],
    line: (c, m) => `${c['Date']} ${c['Time']} ${c['Pid']} ${c['Level']} ${c['Component']}: ${m}`,
    level: 'Level',
  },
  {
    name: 'Hadoop',
    service: 'hadoop',
    weight: 8,
    time: (t) => ({ Date: `${t.yyyy}-${t.MM}-${t.dd}`, Time: `${t.HH}:${t.mm}:${t.ss},${t.SSS}` }),
    vary: [],
    line: (c, m) => `${c['Date']} ${c['Time']} ${c['Level']} [${c['Process']}] ${c['Component']}: ${m}`,
    level: 'Level',
  },
  {
    name: 'Spark',
    service: 'spark',
    weight: 8,
    time: (t) => ({ Date: `${t.yy}/${t.MM}/${t.dd}`, Time: `${t.HH}:${t.mm}:${t.ss}` }),
    vary: [],
    line: (c, m) => `${c['Date']} ${c['Time']} ${c['Level']} ${c['Component']}: ${m}`,
    level: 'Level',
  },
  {
    name: 'Zookeeper',
    service: 'zookeeper',
    weight: 5,
    time: (t) => ({ Date: `${t.yyyy}-${t.MM}-${t.dd}`, Time: `${t.HH}:${t.mm}:${t.ss},${t.SSS}` }),
    vary: [],
    line: (c, m) =>
      `${c['Date']} ${c['Time']} - ${c['Level']!.padEnd(5)} [${c['Node']}:${c['Component']}@${c['Id']}] - ${m}`,
    level: 'Level',
  },
  {
    name: 'BGL',
    service: 'bgl',
    weight: 8,
    time: (t) => ({
      Timestamp: String(t.epochSeconds),
      Date: `${t.yyyy}.${t.MM}.${t.dd}`,
      Time: `${t.yyyy}-${t.MM}-${t.dd}-${t.HH}.${t.mm}.${t.ss}.${t.micros}`,
    }),
    vary: ['Node'],
    line: (c, m) =>
      `${c['Label']} ${c['Timestamp']} ${c['Date']} ${c['Node']} ${c['Time']} ${c['Node']} ${c['Type']} ${c['Component']} ${c['Level']} ${m}`,
    host: 'Node',
    level: 'Level',
  },
  {
    name: 'HPC',
    service: 'hpc',
    weight: 5,
    time: (t) => ({ Time: String(t.epochSeconds) }),
    vary: ['LogId', 'Node'],
    line: (c, m) =>
      `${c['LogId']} ${c['Node']} ${c['Component']} ${c['State']} ${c['Time']} ${c['Flag']} ${m}`,
    host: 'Node',
  },
  {
    name: 'Thunderbird',
    service: 'thunderbird',
    weight: 8,
    time: (t) => ({
      Timestamp: String(t.epochSeconds),
      Date: `${t.yyyy}.${t.MM}.${t.dd}`,
      Month: t.mon,
      Day: t.d,
      Time: `${t.HH}:${t.mm}:${t.ss}`,
    }),
    vary: ['PID'],
    line: (c, m) =>
      `${c['Label']} ${c['Timestamp']} ${c['Date']} ${c['User']} ${c['Month']} ${c['Day']} ${c['Time']} ${c['Location']} ${c['Component']}${withPid(c['PID'])}: ${m}`,
    host: 'User',
  },
  {
    name: 'Windows',
    service: 'windows',
    weight: 5,
    time: (t) => ({ Date: `${t.yyyy}-${t.MM}-${t.dd}`, Time: `${t.HH}:${t.mm}:${t.ss}` }),
    vary: [],
    line: (c, m) => `${c['Date']} ${c['Time']}, ${c['Level']!.padEnd(22)}${c['Component']!.padEnd(7)}${m}`,
    level: 'Level',
  },
  {
    name: 'Linux',
    service: 'linux',
    weight: 6,
    time: (t) => ({ Month: t.mon, Date: t.d, Time: `${t.HH}:${t.mm}:${t.ss}` }),
    vary: ['PID'],
    // logparser calls the host column "Level".
    line: (c, m) =>
      `${c['Month']} ${c['Date']!.padStart(2)} ${c['Time']} ${c['Level']} ${c['Component']}${withPid(c['PID'])}: ${m}`,
    host: 'Level',
  },
  {
    name: 'Android',
    service: 'android',
    weight: 8,
    time: (t) => ({ Date: `${t.MM}-${t.dd}`, Time: `${t.HH}:${t.mm}:${t.ss}.${t.SSS}` }),
    vary: ['Pid', 'Tid'],
    line: (c, m) =>
      `${c['Date']} ${c['Time']} ${c['Pid']!.padStart(5)} ${c['Tid']!.padStart(5)} ${c['Level']} ${c['Component']}: ${m}`,
    level: 'Level',
  },
  {
    name: 'HealthApp',
    service: 'healthapp',
    weight: 6,
    time: (t) => ({ Time: `${t.yyyy}${t.MM}${t.dd}-${t.H}:${t.m}:${t.s}:${t.SSS}` }),
    vary: [],
    line: (c, m) => `${c['Time']}|${c['Component']}|${c['Pid']}|${m}`,
  },
  {
    name: 'Apache',
    service: 'apache',
    weight: 4,
    time: (t) => ({ Time: `${t.dow} ${t.mon} ${t.dd} ${t.HH}:${t.mm}:${t.ss} ${t.yyyy}` }),
    vary: [],
    line: (c, m) => `[${c['Time']}] [${c['Level']}] ${m}`,
    level: 'Level',
  },
  {
    name: 'Proxifier',
    service: 'proxifier',
    weight: 3,
    time: (t) => ({ Time: `${t.MM}.${t.dd} ${t.HH}:${t.mm}:${t.ss}` }),
    vary: [],
    line: (c, m) => `[${c['Time']}] ${c['Program']} - ${m}`,
  },
  {
    name: 'OpenSSH',
    service: 'openssh',
    weight: 8,
    time: (t) => ({ Date: t.mon, Day: t.d, Time: `${t.HH}:${t.mm}:${t.ss}` }),
    vary: ['Pid'],
    line: (c, m) => `${c['Date']} ${c['Day']} ${c['Time']} ${c['Component']} sshd[${c['Pid']}]: ${m}`,
    host: 'Component',
  },
  {
    name: 'OpenStack',
    service: 'openstack',
    weight: 6,
    time: (t) => ({ Date: `${t.yyyy}-${t.MM}-${t.dd}`, Time: `${t.HH}:${t.mm}:${t.ss}.${t.SSS}` }),
    vary: ['Pid', 'ADDR'],
    line: (c, m) =>
      `${c['Logrecord']} ${c['Date']} ${c['Time']} ${c['Pid']} ${c['Level']} ${c['Component']} [${c['ADDR']}] ${m}`,
    level: 'Level',
  },
  {
    name: 'Mac',
    service: 'mac',
    weight: 4,
    time: (t) => ({ Month: t.mon, Date: t.d, Time: `${t.HH}:${t.mm}:${t.ss}` }),
    vary: ['PID'],
    line: (c, m) =>
      `${c['Month']} ${c['Date']!.padStart(2)} ${c['Time']} ${c['User']} ${c['Component']}${withPid(c['PID'])}${c['Address'] ? ` (${c['Address']})` : ''}: ${m}`,
    host: 'User',
  },
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Splits a time (µs since the epoch, UTC) into the pieces the formats use. */
export function timeParts(us: number): TimeParts {
  const ms = Math.floor(us / 1000);
  const date = new Date(ms);
  const yyyy = String(date.getUTCFullYear());
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  const h = date.getUTCHours();
  const m = date.getUTCMinutes();
  const s = date.getUTCSeconds();
  return {
    epochSeconds: Math.floor(ms / 1000),
    yyyy,
    yy: yyyy.slice(2),
    MM: pad2(month + 1),
    M: String(month + 1),
    dd: pad2(day),
    d: String(day),
    HH: pad2(h),
    H: String(h),
    mm: pad2(m),
    m: String(m),
    ss: pad2(s),
    s: String(s),
    SSS: String(ms % 1000).padStart(3, '0'),
    micros: String(((us % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0'),
    mon: MONTHS[month]!,
    dow: DAYS[date.getUTCDay()]!,
  };
}
