import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../../model/event.js';
import { parsed } from '../test-support.js';
import { compileGrok } from './compile.js';
import { GROK_LIBRARY, PATTERN_FAMILIES } from './library.js';

const lookup = (name: string) => GROK_LIBRARY.get(name);
const matches = (pattern: string, text: string) => compileGrok(`^(?:${pattern})$`, lookup).regex.test(text);
const grok = (pattern: string, line: string) => parsed([{ grok: { patterns: [pattern] } }], line);

describe('every library pattern', () => {
  for (const [family, patterns] of Object.entries(PATTERN_FAMILIES)) {
    it(`compiles: ${family}`, () => {
      for (const name of Object.keys(patterns))
        expect(() => compileGrok(`%{${name}}`, lookup), name).not.toThrow();
    });
  }
});

/** [pattern, text that must match whole, text that must not]. */
const SCALARS: [string, string, string][] = [
  ['INT', '-42', '4.2'],
  ['NUMBER', '3.14', 'pi'],
  ['BASE16NUM', '0x1F', 'xyz'],
  ['POSINT', '8080', '0'],
  ['NONNEGINT', '0', '-1'],
  ['WORD', 'hello_1', 'two words'],
  ['NOTSPACE', 'a/b?c=d', 'a b'],
  ['QUOTEDSTRING', '"say \\"hi\\""', '"open'],
  ['UUID', '6f1c7c5e-8c2b-4e1a-9a55-2f0f2b0e8a11', '6f1c7c5e-8c2b-4e1a-9a55'],
  ['EMAILADDRESS', 'ops+alerts@example.com', 'ops@'],
  ['MAC', '00:1A:2b:3C:4d:5E', '00:1A:2b'],
  ['CISCOMAC', '001a.2b3c.4d5e', '001a.2b3c'],
  ['LOGLEVEL', 'WARNING', 'LOUD'],
  ['IPV4', '192.168.0.1', '256.1.1.1'],
  ['IPV6', '2001:db8::8a2e:370:7334', '2001:db8:::1'],
  ['IPV6', '::ffff:10.0.0.1', ':::'],
  ['IPV6', 'fe80::1%eth0', 'fe80::g'],
  ['IP', '::1', '1.2.3'],
  ['HOSTNAME', 'api-1.eu-west.example.com', '-bad.example'],
  ['IPORHOST', 'localhost', 'a b'],
  ['HOSTPORT', 'db.internal:5432', 'db.internal:'],
  ['UNIXPATH', '/var/log/nginx/access.log', 'var/log'],
  ['WINPATH', 'C:\\Windows\\System32\\cbscore.dll', 'C:Windows'],
  ['URIPATHPARAM', '/search?q=cairn&page=2', 'search?q'],
  ['URI', 'https://user@shop.example.com:8443/cart?id=7', 'shop.example.com/cart'],
  ['MONTH', 'Dec', 'Dex'],
  ['TIME', '23:59:60', '24:00:00'],
  ['TIMESTAMP_ISO8601', '2024-01-15T10:00:00.123+01:00', '2024-13-15T10:00:00'],
  ['TIMESTAMP_ISO8601', '2015-10-18 18:01:47,978', '2015-10-18'],
  ['HTTPDATE', '17/May/2015:10:05:03 +0000', '17/May/2015 10:05:03'],
  ['SYSLOGTIMESTAMP', 'Jul  1 09:00:55', 'Jul 1 9'],
  ['DATESTAMP_RFC2822', 'Mon, 15 Jan 2024 10:00:00 +0100', 'Mon 15 Jan 2024'],
  ['HTTPDERROR_DATE', 'Sun Dec 04 04:47:44 2005', 'Dec 04 04:47:44'],
  ['JAVACLASS', 'org.apache.hadoop.mapreduce.v2.app.MRAppMaster', '9lives'],
  ['JAVAMETHOD', '<init>', 'a.b'],
];

describe('scalar patterns match what they name and nothing else', () => {
  for (const [pattern, good, bad] of SCALARS) {
    it(`${pattern}: ${good}`, () => {
      expect(matches(`%{${pattern}}`, good)).toBe(true);
      expect(matches(`%{${pattern}}`, bad)).toBe(false);
    });
  }
});

/** A line a real program wrote, the pattern family that reads it, and every field it must give. */
const LINES: { family: string; pattern: string; line: string; want: Record<string, FieldValue> }[] = [
  {
    family: 'httpd',
    pattern: '%{COMBINEDAPACHELOG}',
    line: '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36"',
    want: {
      'client.address': '83.149.9.216',
      timestamp: '17/May/2015:10:05:03 +0000',
      'http.request.method': 'GET',
      'url.original': '/presentations/logstash-monitorama-2013/images/kibana-search.png',
      'http.version': '1.1',
      'http.response.status_code': 200,
      'http.response.body.bytes': 203023,
      'http.request.referrer': 'http://semicomplete.com/presentations/logstash-monitorama-2013/',
      'user_agent.original':
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36',
    },
  },
  {
    family: 'httpd',
    pattern: '%{COMMONAPACHELOG}',
    line: '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
    want: {
      'client.address': '127.0.0.1',
      'user.name': 'frank',
      timestamp: '10/Oct/2000:13:55:36 -0700',
      'http.request.method': 'GET',
      'url.original': '/apache_pb.gif',
      'http.version': '1.0',
      'http.response.status_code': 200,
      'http.response.body.bytes': 2326,
    },
  },
  {
    family: 'httpd',
    pattern: '^%{NGINXACCESS}',
    line: '"10.5.102.222, 175.16.199.1, 204.246.1.1" 10.2.1.185 - - [22/Jan/2016:13:18:29 +0000] "GET /assets/xxxx?q=100 HTTP/1.1" 200 25507 "-" "Amazon CloudFront"',
    want: {
      'nginx.access.remote_ip_list': '10.5.102.222, 175.16.199.1, 204.246.1.1" 10.2.1.185',
      timestamp: '22/Jan/2016:13:18:29 +0000',
      'http.request.method': 'GET',
      'url.original': '/assets/xxxx?q=100',
      'http.version': '1.1',
      'http.response.status_code': 200,
      'http.response.body.bytes': 25507,
      'user_agent.original': 'Amazon CloudFront',
    },
  },
  {
    family: 'httpd',
    pattern: '^%{NGINXACCESS}',
    line: 'unix: - - [26/Feb/2019:15:39:42 +0100] "hello" 400 173 "-" "-"',
    want: {
      'client.address': 'unix:',
      timestamp: '26/Feb/2019:15:39:42 +0100',
      'http.request.raw': 'hello',
      'http.response.status_code': 400,
      'http.response.body.bytes': 173,
    },
  },
  {
    family: 'httpd',
    pattern: '^%{HTTPD_ERRORLOG}',
    line: '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
    want: {
      timestamp: 'Sun Dec 04 04:47:44 2005',
      'log.level': 'error',
      message: 'mod_jk child workerEnv in error state 6',
    },
  },
  {
    family: 'httpd',
    pattern: '^%{HTTPD_ERRORLOG}',
    line: '[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5432] File does not exist: /usr/local/apache2/htdocs/favicon.ico',
    want: {
      timestamp: 'Wed Oct 11 14:32:52.123456 2000',
      'apache.error.module': 'core',
      'log.level': 'error',
      'process.pid': 35708,
      'process.thread.id': 4328636416,
      'client.address': '72.15.99.187',
      'client.port': 5432,
      message: 'File does not exist: /usr/local/apache2/htdocs/favicon.ico',
    },
  },
  {
    family: 'httpd',
    pattern: '^%{NGINX_ERRORLOG}',
    line: '2024/01/15 10:00:00 [error] 1234#0: *5 connect() failed (111: Connection refused) while connecting to upstream',
    want: {
      'log.level': 'error',
      'process.pid': 1234,
      'process.thread.id': 0,
      'nginx.error.connection_id': 5,
      message: 'connect() failed (111: Connection refused) while connecting to upstream',
    },
  },
  {
    family: 'syslog',
    pattern: '^%{SYSLOGLINE}',
    line: 'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186',
    want: {
      timestamp: 'Dec 10 06:55:46',
      'host.name': 'LabSZ',
      'process.name': 'sshd',
      'process.pid': 24200,
      message: 'Invalid user webmaster from 173.234.31.186',
    },
  },
  {
    family: 'syslog',
    pattern: '^%{SYSLOGBASE} %{GREEDYDATA:message}',
    line: 'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
    want: {
      timestamp: 'Jun 14 15:16:01',
      'host.name': 'combo',
      'process.name': 'sshd(pam_unix)',
      'process.pid': 19939,
      message: 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
    },
  },
  {
    family: 'syslog',
    pattern: '^%{SYSLOG5424LINE}',
    line: '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry...',
    want: {
      'log.syslog.priority': 165,
      'log.syslog.version': 1,
      timestamp: '2003-10-11T22:14:15.003Z',
      'host.name': 'mymachine.example.com',
      'process.name': 'evntslog',
      'log.syslog.msgid': 'ID47',
      'log.syslog.structured_data': '[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]',
      message: 'An application event log entry...',
    },
  },
  {
    family: 'haproxy',
    pattern: '^%{HAPROXYHTTP}',
    line: 'Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"',
    want: {
      timestamp: 'Feb  6 12:14:14',
      'host.name': 'localhost',
      'process.name': 'haproxy',
      'process.pid': 14389,
      'client.ip': '10.0.1.2',
      'client.port': 33317,
      'haproxy.request_date': '06/Feb/2009:12:14:14.655',
      'haproxy.frontend_name': 'http-in',
      'haproxy.backend_name': 'static',
      'haproxy.server_name': 'srv1',
      'haproxy.http.request.time_wait_ms': 10,
      'haproxy.total_waiting_time_ms': 0,
      'haproxy.connection_wait_time_ms': 30,
      'haproxy.http.request.time_wait_without_data_ms': 69,
      'haproxy.total_time_ms': '109',
      'http.response.status_code': 200,
      'http.response.bytes': 2750,
      'haproxy.termination_state': '----',
      'haproxy.connections.active': 1,
      'haproxy.connections.frontend': 1,
      'haproxy.connections.backend': 1,
      'haproxy.connections.server': 1,
      'haproxy.connections.retries': 0,
      'haproxy.server_queue': 0,
      'haproxy.backend_queue': 0,
      'haproxy.http.request.captured_headers': '1wt.eu',
      'http.request.method': 'GET',
      'url.original': '/index.html',
      'url.path': '/index.html',
      'http.version': '1.1',
    },
  },
  {
    family: 'java',
    pattern: '^%{JAVASTACKTRACEPART}',
    line: '\tat com.example.orders.OrderController.create(OrderController.java:42)',
    want: {
      'java.log.origin.class.name': 'com.example.orders.OrderController',
      'log.origin.function': 'create',
      'log.origin.file.name': 'OrderController.java',
      'log.origin.file.line': 42,
    },
  },
  {
    family: 'java',
    pattern: '^%{JAVACAUSEDBY}',
    line: 'Caused by: java.net.SocketTimeoutException: Read timed out',
    want: { 'error.cause.type': 'java.net.SocketTimeoutException', 'error.cause.message': 'Read timed out' },
  },
  {
    family: 'java',
    pattern: '^%{CATALINALOG}',
    line: 'Jan 15, 2024 10:00:00 AM org.apache.catalina.startup.Catalina start INFO: Server startup in 1234 ms',
    want: {
      timestamp: 'Jan 15, 2024 10:00:00 AM',
      'java.log.origin.class.name': 'org.apache.catalina.startup.Catalina',
      'log.origin.function': 'start',
      'log.level': 'INFO',
      message: 'Server startup in 1234 ms',
    },
  },
  {
    family: 'database',
    pattern: '^%{POSTGRESQL}',
    line: '2024-01-15 10:00:00.123 UTC [12345] postgres@orders ERROR:  duplicate key value violates unique constraint "orders_pkey"',
    want: {
      timestamp: '2024-01-15 10:00:00.123',
      'event.timezone': 'UTC',
      'process.pid': 12345,
      'user.name': 'postgres',
      'postgresql.log.database': 'orders',
      'log.level': 'ERROR',
      message: 'duplicate key value violates unique constraint "orders_pkey"',
    },
  },
  {
    family: 'database',
    pattern: '^%{REDISLOG}',
    line: '1:M 15 Jan 2024 10:00:00.123 * Ready to accept connections tcp',
    want: {
      'process.pid': 1,
      'redis.log.role': 'M',
      timestamp: '15 Jan 2024 10:00:00.123',
      'redis.log.level': '*',
      message: 'Ready to accept connections tcp',
    },
  },
  {
    family: 'database',
    pattern: '^%{REDISLOG}',
    line: '[4018] 14 Nov 07:01:22.119 * Background saving terminated with success',
    want: {
      'process.pid': 4018,
      timestamp: '14 Nov 07:01:22.119',
      'redis.log.level': '*',
      message: 'Background saving terminated with success',
    },
  },
  {
    family: 'database',
    pattern: '^%{REDISMONLOG}',
    line: '1705312800.123456 [0 127.0.0.1:52000] "SET" "user:1" "cairn"',
    want: {
      timestamp: '1705312800.123456',
      'redis.database.id': 0,
      'client.address': '127.0.0.1',
      'client.port': 52000,
      'redis.command.name': 'SET',
      'redis.command.args': '"user:1" "cairn"',
    },
  },
];

describe('composite patterns on real lines give exactly these fields', () => {
  for (const c of LINES) {
    it(`${c.family}: ${c.pattern} ${c.line.slice(0, 50)}…`, () => {
      // level, host and service are derived by normalisation (finish.test.ts), not by the patterns.
      const { level: _level, host: _host, service: _service, ...fields } = grok(c.pattern, c.line);
      expect(fields).toEqual(c.want);
    });
  }
});
