/**
 * Cairn's grok pattern library: the standard names users know from Logstash and Elasticsearch,
 * written for JavaScript's regex engine. Captures inside the composite patterns use Elastic Common
 * Schema names (as Logstash 8 does with `ecs_compatibility => v8`), except that access logs name the
 * peer `client.address` like Cairn's own nginx events; the field list is in docs/pipelines.md.
 *
 * The patterns avoid nested unbounded repetition, so a line that does not match fails in linear
 * time; a custom pattern can still backtrack badly, and JavaScript has no regex timeout.
 */
export type PatternFamily = Readonly<Record<string, string>>;

export const BASE_PATTERNS: PatternFamily = {
  USERNAME: '[a-zA-Z0-9._-]+',
  USER: '%{USERNAME}',
  EMAILLOCALPART: "[a-zA-Z0-9!#$%&'*+\\-/=?^_`{|}~]{1,64}(?:\\.[a-zA-Z0-9!#$%&'*+\\-/=?^_`{|}~]{1,62}){0,63}",
  EMAILADDRESS: '%{EMAILLOCALPART}@%{HOSTNAME}',
  INT: '(?:[+-]?[0-9]+)',
  BASE10NUM: '(?<![0-9.+-])(?:[+-]?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+))',
  NUMBER: '(?:%{BASE10NUM})',
  BASE16NUM: '(?<![0-9A-Fa-f])(?:[+-]?(?:0x)?[0-9A-Fa-f]+)',
  BASE16FLOAT: '\\b(?<![0-9A-Fa-f.])(?:[+-]?(?:0x)?(?:[0-9A-Fa-f]+(?:\\.[0-9A-Fa-f]*)?|\\.[0-9A-Fa-f]+))\\b',
  POSINT: '\\b(?:[1-9][0-9]*)\\b',
  NONNEGINT: '\\b(?:[0-9]+)\\b',
  WORD: '\\b\\w+\\b',
  NOTSPACE: '\\S+',
  SPACE: '\\s*',
  DATA: '.*?',
  GREEDYDATA: '.*',
  QUOTEDSTRING: '(?:"(?:[^"\\\\]|\\\\.)*"|\'(?:[^\'\\\\]|\\\\.)*\'|`(?:[^`\\\\]|\\\\.)*`)',
  QS: '%{QUOTEDSTRING}',
  UUID: '[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}',
  URN: "urn:[0-9A-Za-z][0-9A-Za-z-]{0,31}:(?:%[0-9a-fA-F]{2}|[0-9A-Za-z()+,.:=@;$_!*'/?#-])+",
  CISCOMAC: '(?:(?:[A-Fa-f0-9]{4}\\.){2}[A-Fa-f0-9]{4})',
  WINDOWSMAC: '(?:(?:[A-Fa-f0-9]{2}-){5}[A-Fa-f0-9]{2})',
  COMMONMAC: '(?:(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2})',
  MAC: '(?:%{CISCOMAC}|%{WINDOWSMAC}|%{COMMONMAC})',
  LOGLEVEL:
    '(?:[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo(?:rmation)?|INFO(?:RMATION)?|[Ww]arn(?:ing)?|WARN(?:ING)?|[Ee]rr(?:or)?|ERR(?:OR)?|[Cc]rit(?:ical)?|CRIT(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)',
};

const H = '[0-9A-Fa-f]{1,4}';
const IPV6 = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){6}%{IPV4}`,
  `(?:${H}:){1,4}:%{IPV4}`,
  `::(?:[Ff]{4}(?::0{1,4})?:)?%{IPV4}`,
  `(?:${H}:){1,6}:${H}`,
  `(?:${H}:){1,5}(?::${H}){1,2}`,
  `(?:${H}:){1,4}(?::${H}){1,3}`,
  `(?:${H}:){1,3}(?::${H}){1,4}`,
  `(?:${H}:){1,2}(?::${H}){1,5}`,
  `${H}:(?::${H}){1,6}`,
  `[Ff][Ee]80:(?::${H}){0,4}%[0-9A-Za-z]+`,
  `(?:${H}:){1,7}:`,
  `:(?:(?::${H}){1,7}|:)`,
].join('|');

export const NETWORK_PATTERNS: PatternFamily = {
  IPV4: '(?<![0-9])(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]{1,2})\\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]{1,2})(?![0-9])',
  IPV6: `(?:${IPV6})(?![0-9A-Fa-f:])`,
  IP: '(?:%{IPV6}|%{IPV4})',
  HOSTNAME: '\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(?:\\.?|\\b)',
  IPORHOST: '(?:%{IP}|%{HOSTNAME})',
  HOSTPORT: '%{IPORHOST}:%{POSINT}',
  UNIXPATH: '(?:/[\\w%!$@:.,+~-]*)+',
  TTY: '(?:/dev/(?:pts|tty[pq]?)(?:\\w+)?/?(?:[0-9]+))',
  WINPATH: '(?:[A-Za-z]+:|\\\\)(?:\\\\[^\\\\?*]*)+',
  PATH: '(?:%{UNIXPATH}|%{WINPATH})',
  URIPROTO: '[A-Za-z][A-Za-z0-9+.-]+',
  URIHOST: '%{IPORHOST}(?::%{POSINT})?',
  URIPATH: "(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_-]*)+",
  URIQUERY: "[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\\-\\[\\]<>]*",
  URIPARAM: '\\?%{URIQUERY}',
  URIPATHPARAM: '%{URIPATH}(?:\\?%{URIQUERY})?',
  URI: '%{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATH}(?:\\?%{URIQUERY})?)?',
};

export const TIME_PATTERNS: PatternFamily = {
  MONTH:
    '\\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|ä)?r(?:ch|z)?|[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|[Oo][ck]t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)\\b',
  MONTHNUM: '(?:0?[1-9]|1[0-2])',
  MONTHNUM2: '(?:0[1-9]|1[0-2])',
  MONTHDAY: '(?:0[1-9]|[12][0-9]|3[01]|[1-9])',
  DAY: '(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)',
  YEAR: '(?:\\d\\d){1,2}',
  HOUR: '(?:2[0123]|[01]?[0-9])',
  MINUTE: '(?:[0-5][0-9])',
  SECOND: '(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)',
  TIME: '(?<![0-9])%{HOUR}:%{MINUTE}(?::%{SECOND})(?![0-9])',
  DATE_US: '%{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}',
  DATE_EU: '%{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}',
  ISO8601_TIMEZONE: '(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))',
  ISO8601_SECOND: '%{SECOND}',
  TIMESTAMP_ISO8601:
    '%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?',
  DATE: '%{DATE_US}|%{DATE_EU}',
  DATESTAMP: '%{DATE}[- ]%{TIME}',
  TZ: '(?:[APMCE][SD]T|UTC|GMT|CES?T|EES?T|WES?T|BST|IST|JST|KST|MSK)',
  DATESTAMP_RFC822: '%{DAY} %{MONTH} %{MONTHDAY} %{YEAR} %{TIME} %{TZ}',
  DATESTAMP_RFC2822: '%{DAY}, %{MONTHDAY} %{MONTH} %{YEAR} %{TIME} %{ISO8601_TIMEZONE}',
  DATESTAMP_OTHER: '%{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{TZ} %{YEAR}',
  DATESTAMP_EVENTLOG: '%{YEAR}%{MONTHNUM2}%{MONTHDAY}%{HOUR}%{MINUTE}%{SECOND}',
  HTTPDATE: '%{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}',
  SYSLOGTIMESTAMP: '%{MONTH} +%{MONTHDAY} %{TIME}',
  HTTPDERROR_DATE: '%{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{YEAR}',
};

export const SYSLOG_PATTERNS: PatternFamily = {
  PROG: '[\\x21-\\x5a\\x5c\\x5e-\\x7e]+',
  SYSLOGPROG: '%{PROG:process.name}(?:\\[%{NONNEGINT:process.pid:int}\\])?',
  SYSLOGHOST: '%{IPORHOST}',
  SYSLOGFACILITY: '<%{NONNEGINT:log.syslog.facility.code:int}.%{NONNEGINT:log.syslog.priority:int}>',
  SYSLOGPRI: '<%{NONNEGINT:log.syslog.priority:int}>',
  SYSLOGBASE: '%{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:host.name} %{SYSLOGPROG}:',
  SYSLOGLINE:
    '(?:%{SYSLOGPRI})?(?:%{SYSLOGTIMESTAMP:timestamp}|%{TIMESTAMP_ISO8601:timestamp}) (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:host.name}(?: %{SYSLOGPROG}:)? ?%{GREEDYDATA:message}',
  SYSLOG5424PRINTASCII: '[!-~]+',
  SYSLOG5424PRI: '<%{NONNEGINT:log.syslog.priority:int}>',
  SYSLOG5424SD: '(?:\\[(?:[^\\]\\\\]|\\\\.)*\\])+',
  SYSLOG5424BASE:
    '%{SYSLOG5424PRI}%{NONNEGINT:log.syslog.version:int} +(?:-|%{TIMESTAMP_ISO8601:timestamp}) +(?:-|%{IPORHOST:host.name}) +(?:-|%{SYSLOG5424PRINTASCII:process.name}) +(?:-|%{POSINT:process.pid:int}|%{SYSLOG5424PRINTASCII:log.syslog.procid}) +(?:-|%{SYSLOG5424PRINTASCII:log.syslog.msgid}) +(?:-|%{SYSLOG5424SD:log.syslog.structured_data})',
  SYSLOG5424LINE: '%{SYSLOG5424BASE}(?: +%{GREEDYDATA:message})?',
};

export const HTTPD_PATTERNS: PatternFamily = {
  HTTPDUSER: '(?:%{EMAILADDRESS}|%{USER})',
  HTTP_REQUEST_LINE:
    '(?:%{WORD:http.request.method} %{NOTSPACE:url.original}(?: HTTP/%{NUMBER:http.version})?|%{DATA:http.request.raw})',
  HTTPD_COMMONLOG:
    '%{IPORHOST:client.address} (?:-|%{HTTPDUSER:apache.access.user.identity}) (?:-|%{HTTPDUSER:user.name}) \\[%{HTTPDATE:timestamp}\\] "%{HTTP_REQUEST_LINE}" (?:-|%{INT:http.response.status_code:int}) (?:-|%{INT:http.response.body.bytes:int})',
  HTTPD_COMBINEDLOG:
    '%{HTTPD_COMMONLOG} "(?:-|%{DATA:http.request.referrer})" "(?:-|%{DATA:user_agent.original})"',
  COMMONAPACHELOG: '%{HTTPD_COMMONLOG}',
  COMBINEDAPACHELOG: '%{HTTPD_COMBINEDLOG}',
  HTTPD20_ERRORLOG:
    '\\[%{HTTPDERROR_DATE:timestamp}\\] \\[%{LOGLEVEL:log.level}\\] (?:\\[client %{IPORHOST:client.address}\\] )?%{GREEDYDATA:message}',
  HTTPD24_ERRORLOG:
    '\\[%{HTTPDERROR_DATE:timestamp}\\] \\[(?:%{WORD:apache.error.module})?:%{LOGLEVEL:log.level}\\] \\[pid %{POSINT:process.pid:int}(?::tid %{INT:process.thread.id:int})?\\](?: \\(%{POSINT:apache.error.proxy.error.code}\\)%{DATA:apache.error.proxy.error.message}:)?(?: \\[client %{IPORHOST:client.address}(?::%{POSINT:client.port:int})?\\])?(?: (?<error.code>AH\\d+):)? %{GREEDYDATA:message}',
  HTTPD_ERRORLOG: '%{HTTPD20_ERRORLOG}|%{HTTPD24_ERRORLOG}',
  NGINX_ADDRESS_LIST: '(?:%{IP}|%{WORD})(?:"?,?\\s*(?:%{IP}|%{WORD}))*',
  NGINX_HOST: '(?:%{IP}|[^\\t ,:"]+)(?::%{POSINT})?',
  NGINXACCESS:
    '(?:%{NGINX_HOST:destination.address} )?"?(?:%{NGINX_ADDRESS_LIST:nginx.access.remote_ip_list}|%{NOTSPACE:client.address}) - (?:-|%{DATA:user.name}) \\[%{HTTPDATE:timestamp}\\] "%{HTTP_REQUEST_LINE}" %{INT:http.response.status_code:int} (?:-|%{INT:http.response.body.bytes:int})(?: "(?:-|%{DATA:http.request.referrer})" "(?:-|%{DATA:user_agent.original})")?(?: (?:%{NUMBER:nginx.access.request_time:float}|%{GREEDYDATA:nginx.access.extra}))?',
  NGINX_ERRORLOG:
    '%{YEAR}/%{MONTHNUM2}/%{MONTHDAY} %{TIME} \\[%{LOGLEVEL:log.level}\\] %{POSINT:process.pid:int}#%{NONNEGINT:process.thread.id:int}: (?:\\*%{NONNEGINT:nginx.error.connection_id:int} )?%{GREEDYDATA:message}',
};

export const HAPROXY_PATTERNS: PatternFamily = {
  HAPROXYTIME: '(?<![0-9])%{HOUR}:%{MINUTE}(?::%{SECOND})(?![0-9])',
  HAPROXYDATE: '%{MONTHDAY}/%{MONTH}/%{YEAR}:%{HAPROXYTIME}\\.%{INT}',
  HAPROXYCAPTUREDREQUESTHEADERS: '%{DATA:haproxy.http.request.captured_headers}',
  HAPROXYCAPTUREDRESPONSEHEADERS: '%{DATA:haproxy.http.response.captured_headers}',
  HAPROXYURI:
    '(?:%{URIPROTO:url.scheme}://)?(?:%{USER:url.username}(?::[^@]*)?@)?(?:%{IPORHOST:url.domain}(?::%{POSINT:url.port:int})?)?(?:%{URIPATH:url.path}(?:\\?%{URIQUERY:url.query})?)?',
  HAPROXYHTTPREQUESTLINE:
    '(?:<BADREQ>|(?:%{WORD:http.request.method} %{HAPROXYURI:url.original}(?: HTTP/%{NUMBER:http.version})?))',
  HAPROXYHTTPBASE:
    '%{IP:client.ip}:%{INT:client.port:int} \\[%{HAPROXYDATE:haproxy.request_date}\\] %{NOTSPACE:haproxy.frontend_name} %{NOTSPACE:haproxy.backend_name}/(?:<NOSRV>|%{NOTSPACE:haproxy.server_name}) (?:-1|%{INT:haproxy.http.request.time_wait_ms:int})/(?:-1|%{INT:haproxy.total_waiting_time_ms:int})/(?:-1|%{INT:haproxy.connection_wait_time_ms:int})/(?:-1|%{INT:haproxy.http.request.time_wait_without_data_ms:int})/%{NOTSPACE:haproxy.total_time_ms} %{INT:http.response.status_code:int} %{INT:http.response.bytes:int} (?:-|%{DATA:haproxy.http.request.captured_cookie}) (?:-|%{DATA:haproxy.http.response.captured_cookie}) %{NOTSPACE:haproxy.termination_state} %{INT:haproxy.connections.active:int}/%{INT:haproxy.connections.frontend:int}/%{INT:haproxy.connections.backend:int}/%{INT:haproxy.connections.server:int}/%{INT:haproxy.connections.retries:int} %{INT:haproxy.server_queue:int}/%{INT:haproxy.backend_queue:int}(?: \\{%{HAPROXYCAPTUREDREQUESTHEADERS}\\}(?: \\{%{HAPROXYCAPTUREDRESPONSEHEADERS}\\})?)?(?: "%{HAPROXYHTTPREQUESTLINE}"?)?',
  HAPROXYHTTP:
    '(?:%{SYSLOGTIMESTAMP:timestamp}|%{TIMESTAMP_ISO8601:timestamp}) %{IPORHOST:host.name} %{SYSLOGPROG}: %{HAPROXYHTTPBASE}',
  HAPROXYTCP:
    '(?:%{SYSLOGTIMESTAMP:timestamp}|%{TIMESTAMP_ISO8601:timestamp}) %{IPORHOST:host.name} %{SYSLOGPROG}: %{IP:client.ip}:%{INT:client.port:int} \\[%{HAPROXYDATE:haproxy.request_date}\\] %{NOTSPACE:haproxy.frontend_name} %{NOTSPACE:haproxy.backend_name}/(?:<NOSRV>|%{NOTSPACE:haproxy.server_name}) (?:-1|%{INT:haproxy.total_waiting_time_ms:int})/(?:-1|%{INT:haproxy.connection_wait_time_ms:int})/%{NOTSPACE:haproxy.total_time_ms} %{NOTSPACE:source.bytes} %{NOTSPACE:haproxy.termination_state} %{INT:haproxy.connections.active:int}/%{INT:haproxy.connections.frontend:int}/%{INT:haproxy.connections.backend:int}/%{INT:haproxy.connections.server:int}/%{INT:haproxy.connections.retries:int} %{INT:haproxy.server_queue:int}/%{INT:haproxy.backend_queue:int}',
};

export const JAVA_PATTERNS: PatternFamily = {
  JAVACLASS: '(?:[a-zA-Z$_][a-zA-Z$_0-9]*\\.)*[a-zA-Z$_][a-zA-Z$_0-9]*',
  JAVAFILE: '(?:[a-zA-Z$_0-9. -]+)',
  JAVAMETHOD: '(?:<(?:cl)?init>|[a-zA-Z$_][a-zA-Z$_0-9]*)',
  JAVASTACKTRACEPART:
    '%{SPACE}at %{JAVACLASS:java.log.origin.class.name}\\.%{JAVAMETHOD:log.origin.function}\\(%{JAVAFILE:log.origin.file.name}(?::%{INT:log.origin.file.line:int})?\\)',
  JAVATHREAD: '(?:[A-Z]{2}-Processor[\\d]+)',
  JAVALOGMESSAGE: '(?:.*)',
  JAVAEXCEPTION: '%{JAVACLASS}(?:Exception|Error|Throwable)',
  JAVACAUSEDBY: 'Caused by: %{JAVAEXCEPTION:error.cause.type}(?:: %{GREEDYDATA:error.cause.message})?',
  CATALINA_DATESTAMP: '%{MONTH} %{MONTHDAY}, %{YEAR} %{HOUR}:%{MINUTE}:%{SECOND} (?:AM|PM)',
  TOMCAT_DATESTAMP: '%{YEAR}-%{MONTHNUM}-%{MONTHDAY} %{HOUR}:?%{MINUTE}(?::?%{SECOND}) %{ISO8601_TIMEZONE}',
  CATALINALOG:
    '%{CATALINA_DATESTAMP:timestamp} %{JAVACLASS:java.log.origin.class.name}(?: %{JAVAMETHOD:log.origin.function})?\\s*(?:%{LOGLEVEL:log.level}:)? %{JAVALOGMESSAGE:message}',
  TOMCATLOG:
    '%{TOMCAT_DATESTAMP:timestamp} \\| %{LOGLEVEL:log.level} \\| %{JAVACLASS:java.log.origin.class.name} - %{JAVALOGMESSAGE:message}',
};

export const DATABASE_PATTERNS: PatternFamily = {
  POSTGRESQL_LEVEL:
    '(?:DEBUG[1-5]|LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION)',
  POSTGRESQL:
    '%{TIMESTAMP_ISO8601:timestamp}(?: %{TZ:event.timezone})? \\[%{POSINT:process.pid:int}\\](?:: \\[%{INT:postgresql.log.session_line_number:int}(?:-%{INT})?\\])?(?: (?:user=)?%{USERNAME:user.name}?[@,](?:db=)?%{USERNAME:postgresql.log.database}?)? %{POSTGRESQL_LEVEL:log.level}: +%{GREEDYDATA:message}',
  REDISTIMESTAMP: '%{MONTHDAY} %{MONTH} %{TIME}',
  REDISTIMESTAMP_FULL: '%{MONTHDAY} %{MONTH} %{YEAR} %{TIME}',
  REDIS_ROLE: '[MSCX]',
  REDIS_LEVEL: '[.\\-*#]',
  REDISLOG:
    '(?:%{POSINT:process.pid:int}:%{REDIS_ROLE:redis.log.role} %{REDISTIMESTAMP_FULL:timestamp}|\\[%{POSINT:process.pid:int}\\] %{REDISTIMESTAMP:timestamp}) %{REDIS_LEVEL:redis.log.level} %{GREEDYDATA:message}',
  REDISMONLOG:
    '%{NUMBER:timestamp} \\[%{INT:redis.database.id:int} %{IPORHOST:client.address}:%{POSINT:client.port:int}\\] "%{WORD:redis.command.name}"\\s?%{GREEDYDATA:redis.command.args}',
};

/** Every family, in the order their names are looked up (no name appears twice). */
export const PATTERN_FAMILIES: Readonly<Record<string, PatternFamily>> = {
  base: BASE_PATTERNS,
  network: NETWORK_PATTERNS,
  time: TIME_PATTERNS,
  syslog: SYSLOG_PATTERNS,
  httpd: HTTPD_PATTERNS,
  haproxy: HAPROXY_PATTERNS,
  java: JAVA_PATTERNS,
  database: DATABASE_PATTERNS,
};

export const GROK_LIBRARY: ReadonlyMap<string, string> = new Map(
  Object.values(PATTERN_FAMILIES).flatMap((family) => Object.entries(family)),
);
