import {
  ACCESS_ENRICHMENT,
  type BuiltinPipeline,
  dateStep,
  metadataDateStep,
  TIME_TO_METADATA,
} from './shared.js';

export const NGINX: BuiltinPipeline = {
  id: 'nginx',
  example:
    '81.2.69.143 - - [07/Dec/2016:11:05:07 +0100] "GET /ocelot HTTP/1.1" 200 571 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0"',
  definition: {
    description:
      'nginx access log (combined or common format, X-Forwarded-For chains, $request_time): HTTP fields, client IP, user agent, GeoIP, status tags',
    processors: [
      {
        grok: {
          patterns: ['^%{NGINXACCESS}'],
          rename_captures: TIME_TO_METADATA,
          add_field: { 'event.dataset': 'nginx.access' },
        },
      },
      metadataDateStep(['dd/MMM/yyyy:HH:mm:ss Z']),
      ...ACCESS_ENRICHMENT,
    ],
  },
};

export const APACHE: BuiltinPipeline = {
  id: 'apache',
  example:
    '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36"',
  definition: {
    description:
      'Apache httpd access log (combined, else common format): HTTP fields, client IP, user agent, GeoIP, status tags',
    processors: [
      {
        grok: {
          patterns: ['^%{HTTPD_COMBINEDLOG}', '^%{HTTPD_COMMONLOG}'],
          rename_captures: TIME_TO_METADATA,
          add_field: { 'event.dataset': 'apache.access' },
        },
      },
      metadataDateStep(['dd/MMM/yyyy:HH:mm:ss Z']),
      ...ACCESS_ENRICHMENT,
    ],
  },
};

export const APACHE_ERROR: BuiltinPipeline = {
  id: 'apache_error',
  example: '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
  definition: {
    description: 'Apache httpd error log (2.0 and 2.4 formats): level, module, pid, client',
    processors: [
      { grok: { patterns: ['^%{HTTPD_ERRORLOG}'], add_field: { 'event.dataset': 'apache.error' } } },
      dateStep(['EEE MMM dd HH:mm:ss yyyy', 'EEE MMM dd HH:mm:ss.SSSSSS yyyy']),
      { classify: {} },
    ],
  },
};
