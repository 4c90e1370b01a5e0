import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, post, startTestServer, type TestServer } from '../support/server.js';

/**
 * Evaluation of the search syntax: a fixed corpus with known field distributions goes through the
 * real server, and the hit count of every query is checked against a plain JS predicate over the
 * same events: an oracle written from the documented semantics, not from Cairn's compiler.
 */

interface Doc {
  '@timestamp': string;
  message: string;
  level: string;
  service: string;
  host: string;
  status?: number;
  response_time: number;
  client: { ip: string };
  user?: { id: string; name: string };
  http: { request: { method: string } };
  url: { path: string };
  tags?: string[];
  cached?: boolean;
  error?: { message: string };
  event: { created: string };
}

const BASE = Date.parse('2024-03-05T10:00:00Z');
const N = 3000;
const STEP_MS = 1200;
const SERVICES = ['payment-service', 'auth-service', 'web', 'api-gateway', 'Payment-Service'];
const NAMES = ['John Smith', 'jane doe', 'Ann', 'Bob Smith'];
const METHODS = ['GET', 'GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = [200, 200, 200, 201, 204, 301, 404, 500, 503];

function corpus(): Doc[] {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((seed / 2_147_483_648) * n);
  };
  const docs: Doc[] = [];
  for (let i = 0; i < N; i++) {
    const t = BASE + i * STEP_MS;
    const roll = next(20);
    const level =
      roll < 10 ? 'INFO' : roll < 14 ? 'DEBUG' : roll < 17 ? 'WARN' : roll < 19 ? 'ERROR' : 'FATAL';
    const hasStatus = next(10) < 9;
    const status = STATUSES[next(STATUSES.length)]!;
    const rt = next(30_000) / 10;
    const ipKind = next(10);
    const ip =
      ipKind < 5
        ? `10.${next(3)}.${next(4)}.${next(256)}`
        : ipKind < 8
          ? `192.168.${next(3)}.${next(256)}`
          : ipKind < 9
            ? `172.16.0.${next(256)}`
            : `2001:db8::${(next(15) + 1).toString(16)}`;
    const uid = next(40);
    const n = next(1000);
    const messages = [
      `Connection refused to db-${n % 5}`,
      `User u${uid} logged in from ${ip}`,
      `Payment FAILED for order ${n}: card declined`,
      `GET /api/v1/orders/${n} ${status}`,
      `timeout after ${Math.round(rt)} ms calling payment-service`,
      `java.lang.NullPointerException at com.example.Foo.bar(Foo.java:${n % 100})`,
      `Café naïve résumé for user_${n % 50}`,
      'Connection-reset while streaming',
      'Refused: quota exceeded (429)',
      'health check ok',
    ];
    const doc: Doc = {
      '@timestamp': new Date(t).toISOString(),
      message: messages[next(messages.length)]!,
      level,
      service: SERVICES[next(SERVICES.length)]!,
      host: next(5) === 4 ? 'db-replica-1' : `web-0${next(4) + 1}`,
      response_time: rt,
      client: { ip },
      http: { request: { method: METHODS[next(METHODS.length)]! } },
      url: { path: ['/api/v1/orders/', '/health', '/login', '/api/v1/cart'][next(4)]! + (next(2) ? n : '') },
      event: { created: new Date(t - next(600) * 1000).toISOString() },
    };
    if (hasStatus) doc.status = status;
    if (next(10) < 7) doc.user = { id: `u${uid}`, name: NAMES[next(NAMES.length)]! };
    const tags = next(10);
    if (tags < 3) doc.tags = ['prod', 'eu'];
    else if (tags < 5) doc.tags = ['prod', 'us'];
    else if (tags < 6) doc.tags = ['staging'];
    if (next(2)) doc.cached = next(2) === 1;
    if (level === 'ERROR' || level === 'FATAL') {
      doc.error = { message: next(2) ? 'Connection reset by peer' : 'Deadline exceeded' };
    }
    docs.push(doc);
  }
  // The first event fixes each field's type: make sure client.ip is an IP and status a number.
  docs[0]!.client.ip = '10.0.0.1';
  docs[0]!.status = 200;
  return docs;
}

const DOCS = corpus();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const body = `${DOCS.map((d) => JSON.stringify(d)).join('\n')}\n`;
  const res = await post(`${server.url}/api/v1/ingest?stream=eval`, body);
  expect(res.status).toBe(200);
  expect(res.body.accepted).toBe(N);
});
afterAll(() => server.close());

async function hits(q: string): Promise<number> {
  const params = new URLSearchParams({
    q,
    from: '2024-03-05T00:00:00Z',
    to: '2024-03-06T00:00:00Z',
    limit: '0',
    track_total_hits: String(N + 1),
  });
  const res = await getJson(`${server.url}/api/v1/search?${params}`);
  expect(res.status, `${q}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body.total.value;
}

// ---------------------------------------------------------------------------------------------
// The oracle's reading of text fields: tokens are runs of letters, digits and `_`, compared
// without case; a phrase is consecutive tokens.

const tokens = (s: string | undefined): string[] =>
  s === undefined ? [] : (s.match(/[\p{L}\p{N}_]+/gu) ?? []).map((t) => t.toLowerCase());

function hasPhrase(text: string | undefined, words: string[]): boolean {
  const ts = tokens(text);
  const ws = words.map((w) => w.toLowerCase());
  for (let i = 0; i + ws.length <= ts.length; i++) {
    if (ws.every((w, j) => ts[i + j] === w)) return true;
  }
  return false;
}

const textOf = (d: Doc) => [d.message, d.error?.message];
/** A bare term or phrase: any default (text) field has the tokens in a row. */
const bare =
  (...words: string[]) =>
  (d: Doc) =>
    textOf(d).some((t) => hasPhrase(t, words));
const tokenMatches = (re: RegExp) => (d: Doc) => tokens(d.message).some((t) => re.test(t));

const at = (iso: string) => Date.parse(iso);
const ms = (d: Doc) => at(d['@timestamp']);
const ipv4 = (ip: string): number | null => {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return m ? ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]) : null;
};
/** The last group of the corpus's IPv6 addresses (`2001:db8::a` → 10); null for IPv4. */
const ipv6Low = (ip: string): number | null =>
  ip.startsWith('2001:db8::') ? Number.parseInt(ip.slice('2001:db8::'.length), 16) : null;
const within = (v: number | null, lo: number, hi: number) => v !== null && v >= lo && v <= hi;
const inCidr = (ip: string, base: string, bits: number) => {
  const v = ipv4(ip);
  const b = ipv4(base)!;
  return v !== null && Math.floor(v / 2 ** (32 - bits)) === Math.floor(b / 2 ** (32 - bits));
};
const not =
  <T>(p: (d: T) => boolean) =>
  (d: T) =>
    !p(d);

type Case = [string, (d: Doc) => boolean];

const CASES: Case[] = [
  // everything, and nothing
  ['', () => true],
  ['*', () => true],
  ['*:*', () => true],
  ['nosuchfield:x', () => false],
  ['NOT nosuchfield:x', () => true],
  // keyword fields: exact, case-sensitive
  ['level:ERROR', (d) => d.level === 'ERROR'],
  ['level:error', () => false],
  ['level:"ERROR"', (d) => d.level === 'ERROR'],
  ['service:payment-service', (d) => d.service === 'payment-service'],
  ['service:Payment-Service', (d) => d.service === 'Payment-Service'],
  ['service:"auth-service"', (d) => d.service === 'auth-service'],
  ['host:web-01', (d) => d.host === 'web-01'],
  ['http.request.method:GET', (d) => d.http.request.method === 'GET'],
  ['user.name:"John Smith"', (d) => d.user?.name === 'John Smith'],
  ['user.name:john', () => false],
  ['user.id:u7', (d) => d.user?.id === 'u7'],
  // text fields: tokens, case-insensitive
  ['message:refused', (d) => tokens(d.message).includes('refused')],
  ['message:REFUSED', (d) => tokens(d.message).includes('refused')],
  ['refused', bare('refused')],
  ['connection', bare('connection')],
  ['Connection', bare('connection')],
  ['reset', bare('reset')],
  ['error.message:reset', (d) => hasPhrase(d.error?.message, ['reset'])],
  ['exceeded', bare('exceeded')],
  ['message:exceeded', (d) => hasPhrase(d.message, ['exceeded'])],
  ['"connection refused"', bare('connection', 'refused')],
  ['"refused connection"', bare('refused', 'connection')],
  ['"card declined"', bare('card', 'declined')],
  ['message:"payment failed"', (d) => hasPhrase(d.message, ['payment', 'failed'])],
  ['connection-reset', bare('connection', 'reset')],
  ['"Connection reset by peer"', bare('connection', 'reset', 'by', 'peer')],
  ['NullPointerException', bare('nullpointerexception')],
  ['java.lang.NullPointerException', bare('java', 'lang', 'nullpointerexception')],
  ['message:café', (d) => tokens(d.message).includes('café')],
  ['message:cafe', () => false],
  ['naïve résumé', (d) => bare('naïve')(d) && bare('résumé')(d)],
  ['user_7', bare('user_7')],
  ['message:user', (d) => tokens(d.message).includes('user')],
  ['message:429', (d) => tokens(d.message).includes('429')],
  ['payment-service', bare('payment', 'service')],
  ['health check ok', (d) => bare('health')(d) && bare('check')(d) && bare('ok')(d)],
  // boolean logic
  ['level:ERROR AND service:web', (d) => d.level === 'ERROR' && d.service === 'web'],
  ['level:ERROR && service:web', (d) => d.level === 'ERROR' && d.service === 'web'],
  ['level:ERROR OR level:FATAL', (d) => d.level === 'ERROR' || d.level === 'FATAL'],
  ['level:ERROR || level:FATAL', (d) => d.level === 'ERROR' || d.level === 'FATAL'],
  ['NOT level:INFO', (d) => d.level !== 'INFO'],
  ['!level:INFO', (d) => d.level !== 'INFO'],
  ['-level:INFO', (d) => d.level !== 'INFO'],
  ['level:WARN service:web', (d) => d.level === 'WARN' && d.service === 'web'],
  ['+level:WARN -service:web', (d) => d.level === 'WARN' && d.service !== 'web'],
  ['refused -quota', (d) => bare('refused')(d) && !bare('quota')(d)],
  [
    '(level:ERROR OR level:FATAL) AND NOT service:web',
    (d) => (d.level === 'ERROR' || d.level === 'FATAL') && d.service !== 'web',
  ],
  [
    'level:ERROR AND service:web OR level:FATAL AND service:web',
    (d) => d.service === 'web' && (d.level === 'ERROR' || d.level === 'FATAL'),
  ],
  ['level:INFO OR NOT service:web', (d) => d.level === 'INFO' && d.service !== 'web'],
  ['NOT (level:INFO OR level:DEBUG)', (d) => d.level !== 'INFO' && d.level !== 'DEBUG'],
  ['NOT NOT level:INFO', (d) => d.level === 'INFO'],
  ['refused AND NOT "connection refused"', (d) => bare('refused')(d) && !bare('connection', 'refused')(d)],
  // field groups
  ['level:(ERROR OR FATAL)', (d) => d.level === 'ERROR' || d.level === 'FATAL'],
  ['level:(ERROR FATAL)', () => false],
  ['status:(404 OR 503)', (d) => d.status === 404 || d.status === 503],
  ['service:(web OR "api-gateway")', (d) => d.service === 'web' || d.service === 'api-gateway'],
  ['message:(refused OR timeout)', (d) => ['refused', 'timeout'].some((w) => tokens(d.message).includes(w))],
  [
    'message:(connection AND reset)',
    (d) => hasPhrase(d.message, ['connection']) && hasPhrase(d.message, ['reset']),
  ],
  ['user.name:(Ann OR "Bob Smith")', (d) => d.user?.name === 'Ann' || d.user?.name === 'Bob Smith'],
  // missing fields and NOT
  ['status:200', (d) => d.status === 200],
  ['NOT status:200', (d) => d.status !== 200],
  ['NOT status:*', (d) => d.status === undefined],
  ['NOT user.name:Ann', (d) => d.user?.name !== 'Ann'],
  ['NOT cached:true', (d) => d.cached !== true],
  ['NOT tags:prod', (d) => !(d.tags ?? []).includes('prod')],
  ['NOT error.message:reset', (d) => !hasPhrase(d.error?.message, ['reset'])],
  // existence
  ['_exists_:status', (d) => d.status !== undefined],
  ['status:*', (d) => d.status !== undefined],
  ['_exists_:user.id', (d) => d.user !== undefined],
  ['_exists_:user.*', (d) => d.user !== undefined],
  ['NOT _exists_:user.id', (d) => d.user === undefined],
  ['_exists_:error.message', (d) => d.error !== undefined],
  ['_exists_:tags', (d) => d.tags !== undefined],
  ['_exists_:cached', (d) => d.cached !== undefined],
  ['_exists_:nosuch', () => false],
  ['status:[* TO *]', (d) => d.status !== undefined],
  // wildcards
  ['service:pay*', (d) => d.service.startsWith('pay')],
  ['service:*-service', (d) => d.service.endsWith('-service')],
  ['service:*ay*', (d) => d.service.includes('ay')],
  ['host:web-0?', (d) => /^web-0.$/.test(d.host)],
  ['host:db-replica-?', (d) => d.host === 'db-replica-1'],
  ['user.name:*Smith', (d) => (d.user?.name ?? '').endsWith('Smith')],
  ['message:conn*', tokenMatches(/^conn/)],
  ['message:*fuse*', tokenMatches(/fuse/)],
  ['message:?ava', tokenMatches(/^.ava$/)],
  ['conn*', (d) => textOf(d).some((t) => tokens(t).some((x) => x.startsWith('conn')))],
  ['url.path:\\/api\\/v1\\/orders\\/*', (d) => d.url.path.startsWith('/api/v1/orders/')],
  ['url.path:"/health"', (d) => d.url.path === '/health'],
  ['client.ip:10.0.*', (d) => d.client.ip.startsWith('10.0.')],
  // regular expressions
  ['service:/pay.*/', (d) => /^pay.*$/s.test(d.service)],
  ['service:/.*-service/', (d) => /^.*-service$/s.test(d.service)],
  ['service:/[Pp]ayment-[Ss]ervice/', (d) => /^[Pp]ayment-[Ss]ervice$/.test(d.service)],
  ['host:/web-0[12]/', (d) => /^web-0[12]$/.test(d.host)],
  [
    'message:/time.*/',
    (d) => /^time.*$/is.test(d.message) || tokens(d.message).some((t) => /^time.*$/is.test(t)),
  ],
  [
    'message:/.*declined/',
    (d) => /^.*declined$/is.test(d.message) || tokens(d.message).some((t) => /^.*declined$/is.test(t)),
  ],
  ['message:/u[0-9]+/', (d) => tokens(d.message).some((t) => /^u[0-9]+$/i.test(t))],
  ['url.path:/\\/api\\/v1\\/cart[0-9]*/', (d) => /^\/api\/v1\/cart[0-9]*$/.test(d.url.path)],
  // numeric ranges and comparisons
  ['status:>=500', (d) => (d.status ?? 0) >= 500],
  ['status:[500 TO 599]', (d) => d.status !== undefined && d.status >= 500 && d.status <= 599],
  ['status:{200 TO 404}', (d) => d.status !== undefined && d.status > 200 && d.status < 404],
  ['status:[200 TO 404}', (d) => d.status !== undefined && d.status >= 200 && d.status < 404],
  ['status:[404 TO *]', (d) => d.status !== undefined && d.status >= 404],
  ['status:<300', (d) => d.status !== undefined && d.status < 300],
  ['status >= 500', (d) => (d.status ?? 0) >= 500],
  ['status>=500', (d) => (d.status ?? 0) >= 500],
  ['response_time:>1000', (d) => d.response_time > 1000],
  ['response_time:[100 TO 500]', (d) => d.response_time >= 100 && d.response_time <= 500],
  ['response_time:{100 TO 500}', (d) => d.response_time > 100 && d.response_time < 500],
  ['response_time<10', (d) => d.response_time < 10],
  ['response_time:[* TO 0.5]', (d) => d.response_time <= 0.5],
  ['response_time:>=2.5e3', (d) => d.response_time >= 2500],
  ['status:2e2', (d) => d.status === 200],
  ['status:200.0', (d) => d.status === 200],
  ['response_time:>1000 AND status:>=500', (d) => d.response_time > 1000 && (d.status ?? 0) >= 500],
  // string ranges compare by code point
  ['service:[a TO m]', (d) => d.service >= 'a' && d.service <= 'm'],
  ['service:{P TO p}', (d) => d.service > 'P' && d.service < 'p'],
  ['host:>=web-03', (d) => d.host >= 'web-03'],
  // dates and date math
  [
    '@timestamp:[2024-03-05T10:00:00Z TO 2024-03-05T10:10:00Z}',
    (d) => ms(d) >= at('2024-03-05T10:00:00Z') && ms(d) < at('2024-03-05T10:10:00Z'),
  ],
  [
    '@timestamp:[2024-03-05T10:00:00Z TO 2024-03-05T10:10:00Z]',
    (d) => ms(d) >= at('2024-03-05T10:00:00Z') && ms(d) <= at('2024-03-05T10:10:00Z'),
  ],
  ['@timestamp:>=2024-03-05T10:30:00Z', (d) => ms(d) >= at('2024-03-05T10:30:00Z')],
  // Outside a range `||` is the OR operator, so an anchored comparison is quoted.
  ['@timestamp:>"2024-03-05T10:30:00Z||-5m"', (d) => ms(d) > at('2024-03-05T10:25:00Z')],
  [
    '@timestamp:[2024-03-05T10:15:30Z||/h TO 2024-03-05T10:15:30Z||/h]',
    (d) => ms(d) >= at('2024-03-05T10:00:00Z') && ms(d) < at('2024-03-05T11:00:00Z'),
  ],
  [
    '@timestamp:[2024-03-05T10:20:00Z||+1m/m TO 2024-03-05T10:25:00Z||-1m/m}',
    (d) => ms(d) >= at('2024-03-05T10:21:00Z') && ms(d) < at('2024-03-05T10:24:00Z'),
  ],
  [
    '@timestamp:[2024-03-05T10:20 TO 2024-03-05T10:20]',
    (d) => ms(d) >= at('2024-03-05T10:20:00Z') && ms(d) < at('2024-03-05T10:21:00Z'),
  ],
  ['@timestamp:2024-03-05', () => true],
  ['@timestamp:2024-03-04', () => false],
  ['@timestamp:"2024-03-05T10:00:01.200Z"', (d) => ms(d) === at('2024-03-05T10:00:01.200Z')],
  ['@timestamp:<2024-03-05T10:00:12Z', (d) => ms(d) < at('2024-03-05T10:00:12Z')],
  ['@timestamp:[now-10y TO now]', () => true],
  ['@timestamp:>now-1d', () => false],
  ['@timestamp:<now/d', () => true],
  ['event.created:[2024-03-05T10:30:00Z TO *]', (d) => at(d.event.created) >= at('2024-03-05T10:30:00Z')],
  ['event.created:<"2024-03-05T10:00:00Z||+10m"', (d) => at(d.event.created) < at('2024-03-05T10:10:00Z')],
  // IPs and CIDR blocks
  ['client.ip:10.0.0.1', (d) => d.client.ip === '10.0.0.1'],
  ['client.ip:10.0.0.0/8', (d) => inCidr(d.client.ip, '10.0.0.0', 8)],
  ['client.ip:192.168.1.0/24', (d) => inCidr(d.client.ip, '192.168.1.0', 24)],
  ['client.ip:172.16.0.0/12', (d) => inCidr(d.client.ip, '172.16.0.0', 12)],
  ['NOT client.ip:10.0.0.0/8', (d) => !inCidr(d.client.ip, '10.0.0.0', 8)],
  [
    'client.ip:[10.1.0.0 TO 10.1.255.255]',
    (d) => {
      const v = ipv4(d.client.ip);
      return v !== null && v >= ipv4('10.1.0.0')! && v <= ipv4('10.1.255.255')!;
    },
  ],
  ['client.ip:>=192.168.0.0', (d) => (ipv4(d.client.ip) ?? -1) >= ipv4('192.168.0.0')!],
  ['client.ip:"2001:db8::1"', (d) => d.client.ip === '2001:db8::1'],
  ['client.ip:2001:db8::a', (d) => d.client.ip === '2001:db8::a'],
  ['client.ip:2001:0DB8:0:0::A', (d) => d.client.ip === '2001:db8::a'],
  ['client.ip:2001:db8::/32', (d) => d.client.ip.startsWith('2001:db8::')],
  ['NOT client.ip:2001:db8::/32', (d) => !d.client.ip.startsWith('2001:db8::')],
  ['client.ip:"2001:db8::8/125"', (d) => (ipv6Low(d.client.ip) ?? -1) >= 8],
  ['client.ip:[2001:db8::3 TO 2001:db8::6]', (d) => within(ipv6Low(d.client.ip), 3, 6)],
  ['client.ip:{2001:db8::3 TO 2001:db8::6}', (d) => within(ipv6Low(d.client.ip), 4, 5)],
  ['client.ip:>2001:db8::c', (d) => (ipv6Low(d.client.ip) ?? -1) > 12],
  ['client.ip:<=2001:db8::2', (d) => within(ipv6Low(d.client.ip), 0, 2)],
  // booleans and lists
  ['cached:true', (d) => d.cached === true],
  ['cached:FALSE', (d) => d.cached === false],
  ['tags:prod', (d) => (d.tags ?? []).includes('prod')],
  ['tags:(eu OR us)', (d) => (d.tags ?? []).some((t) => t === 'eu' || t === 'us')],
  ['tags:prod AND tags:eu', (d) => (d.tags ?? []).includes('prod') && (d.tags ?? []).includes('eu')],
  ['tags:stag*', (d) => (d.tags ?? []).some((t) => t.startsWith('stag'))],
  // escaping and reserved characters
  ['url.path:\\/health', (d) => d.url.path === '/health'],
  ['message:"Refused: quota"', (d) => hasPhrase(d.message, ['refused', 'quota'])],
  ['message:Refused\\:', (d) => tokens(d.message).includes('refused')],
  ['message:\\(429\\)', (d) => tokens(d.message).includes('429')],
  ['"(429)"', bare('429')],
  // wildcard field names
  ['*:Ann', (d) => d.user?.name === 'Ann'],
  ['user.\\*:Ann', (d) => d.user?.name === 'Ann'],
  ['http.*:DELETE', (d) => d.http.request.method === 'DELETE'],
  // combinations a person would type
  [
    'level:ERROR AND service:payment-service AND "card declined"',
    (d) => d.level === 'ERROR' && d.service === 'payment-service' && bare('card', 'declined')(d),
  ],
  [
    '(level:ERROR OR level:FATAL) AND client.ip:10.0.0.0/8 AND response_time:>500',
    (d) =>
      (d.level === 'ERROR' || d.level === 'FATAL') &&
      inCidr(d.client.ip, '10.0.0.0', 8) &&
      d.response_time > 500,
  ],
  [
    'service:pay* AND NOT status:[200 TO 299] AND _exists_:user.id',
    (d) =>
      d.service.startsWith('pay') &&
      !(d.status !== undefined && d.status >= 200 && d.status <= 299) &&
      d.user !== undefined,
  ],
  [
    'timeout AND @timestamp:[2024-03-05T10:00:00Z TO 2024-03-05T10:30:00Z}',
    (d) => bare('timeout')(d) && ms(d) < at('2024-03-05T10:30:00Z'),
  ],
  ['reset OR exceeded', (d) => bare('reset')(d) || bare('exceeded')(d)],
  ['host:db-replica-1 OR host:web-04', (d) => d.host === 'db-replica-1' || d.host === 'web-04'],
];

describe('search evaluation against an oracle', () => {
  it('has at least 100 queries, and the corpus is not degenerate', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    // Most queries must select something but not everything, or they prove little.
    const selective = CASES.filter(([, p]) => {
      const n = DOCS.filter(p).length;
      return n > 0 && n < N;
    });
    expect(selective.length).toBeGreaterThan(CASES.length * 0.8);
  });

  it.each(CASES)('%s', async (query, predicate) => {
    expect(await hits(query)).toBe(DOCS.filter(predicate).length);
  });

  it('matches the oracle on negations of every query', async () => {
    const sample = CASES.filter((_, i) => i % 7 === 0 && CASES[i]![0] !== '');
    for (const [query, predicate] of sample) {
      expect(await hits(`NOT (${query})`), `NOT (${query})`).toBe(DOCS.filter(not(predicate)).length);
    }
  });
});
