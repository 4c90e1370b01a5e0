import { type BuiltinPipeline, CLASSIFY, dateStep, levelDictionary } from './shared.js';

/*
 * Formats of the Loghub collection (github.com/logpai/loghub) that are not covered by a general
 * format: Android logcat, OpenStack (oslo.log), supercomputer logs (BGL, HPC, Thunderbird), a
 * health app, Proxifier and Windows CBS. `auto` recognises them too.
 */

export const ANDROID: BuiltinPipeline = {
  id: 'android',
  example:
    '03-17 16:13:38.819  1702  8671 D PowerManagerService: acquire lock=233570404, flags=0x1, tag="View Lock", name=com.android.systemui, ws=null, uid=10037, pid=2227',
  definition: {
    description: 'Android logcat "threadtime" format: pid, tid, priority letter, tag',
    processors: [
      {
        grok: {
          patterns: [
            '^(?<timestamp>%{MONTHNUM2}-%{MONTHDAY} %{TIME}) +%{INT:process.pid:int} +%{INT:process.thread.id:int} (?<android.log.priority>[VDIWEFA]) (?<log.logger>[^:]*?) ?: %{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'android' },
        },
      },
      levelDictionary('android.log.priority', {
        V: 'TRACE',
        D: 'DEBUG',
        I: 'INFO',
        W: 'WARN',
        E: 'ERROR',
        F: 'FATAL',
        A: 'FATAL',
      }),
      dateStep(['MM-dd HH:mm:ss.SSS']),
      CLASSIFY,
    ],
  },
};

export const OPENSTACK: BuiltinPipeline = {
  id: 'openstack',
  example:
    'nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:04.500 2931 INFO nova.compute.manager [req-3ea4052c-895d-4b64-9e2d-04d64c4d94ab - - - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Started (Lifecycle Event)',
  definition: {
    description: 'OpenStack services (oslo.log): pid, level, logger, request context, instance',
    processors: [
      {
        grok: {
          patterns: [
            '(?s)^(?:%{NOTSPACE:log.file.path} )?%{TIMESTAMP_ISO8601:timestamp} %{INT:process.pid:int} %{LOGLEVEL:log.level} %{NOTSPACE:log.logger} (?:\\[(?:%{NOTSPACE:openstack.request_id}(?: %{DATA:openstack.user_identity})?|-)\\] )?(?:\\[instance: %{UUID:openstack.instance_id}\\] )?%{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'openstack' },
        },
      },
      dateStep(['ISO8601']),
      CLASSIFY,
    ],
  },
};

export const BGL: BuiltinPipeline = {
  id: 'bgl',
  example:
    '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected',
  definition: {
    description: 'Blue Gene/L RAS log: alert category, node, type, component, level',
    processors: [
      {
        grok: {
          patterns: [
            '^%{NOTSPACE:bgl.alert} %{INT:bgl.epoch:int} %{YEAR}\\.%{MONTHNUM2}\\.%{MONTHDAY} %{NOTSPACE:host.name} (?<timestamp>\\d{4}-\\d{2}-\\d{2}-\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{6}) %{NOTSPACE:bgl.node_repeat} %{WORD:bgl.type} %{WORD:log.logger} %{LOGLEVEL:log.level}(?: %{GREEDYDATA:message})?',
          ],
          add_field: { 'event.dataset': 'bgl' },
        },
      },
      dateStep(['yyyy-MM-dd-HH.mm.ss.SSSSSS']),
      CLASSIFY,
    ],
  },
};

export const HPC: BuiltinPipeline = {
  id: 'hpc',
  example:
    '134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: Component \\042alt0\\042 is in the unavailable state (HWID=1973)',
  definition: {
    description: 'HPC cluster event log: log id, node, component, state, epoch time, flag',
    processors: [
      {
        grok: {
          patterns: [
            '^%{INT:hpc.log_id:int} %{NOTSPACE:host.name} %{NOTSPACE:log.logger} %{NOTSPACE:hpc.state} (?<timestamp>\\d{9,10}) %{INT:hpc.flag:int} %{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'hpc' },
        },
      },
      dateStep(['UNIX']),
      CLASSIFY,
    ],
  },
};

export const THUNDERBIRD: BuiltinPipeline = {
  id: 'thunderbird',
  example:
    '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root',
  definition: {
    description: 'Thunderbird supercomputer syslog with its alert and epoch prefix',
    processors: [
      {
        grok: {
          patterns: [
            '^%{NOTSPACE:thunderbird.alert} (?<timestamp>\\d{9,10}) %{YEAR}\\.%{MONTHNUM2}\\.%{MONTHDAY} %{NOTSPACE:host.name} %{MONTH} +%{MONTHDAY} %{TIME} %{NOTSPACE:log.syslog.hostname}(?: %{PROG:process.name}(?:\\[%{NONNEGINT:process.pid:int}\\])?:)? %{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'thunderbird' },
        },
      },
      dateStep(['UNIX']),
      CLASSIFY,
    ],
  },
};

export const HEALTHAPP: BuiltinPipeline = {
  id: 'healthapp',
  example: '20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579',
  definition: {
    description: 'Pipe-separated mobile health app log "yyyyMMdd-HH:mm:ss:SSS|component|pid|message"',
    processors: [
      {
        grok: {
          patterns: [
            '^(?<timestamp>\\d{8}-\\d{1,2}:\\d{1,2}:\\d{1,2}:\\d{1,3})\\|%{DATA:log.logger}\\|%{INT:process.pid:int}\\|%{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'healthapp' },
        },
      },
      // The app writes milliseconds without leading zeros (`:8` is 8 ms, `:95` 95 ms); Joda's SSS
      // reads a fraction of a second, so pad them first.
      { mutate: { gsub: ['timestamp', ':(\\d\\d)$', ':0\\1', 'timestamp', ':(\\d)$', ':00\\1'] } },
      dateStep(['yyyyMMdd-HH:mm:ss:SSS']),
      CLASSIFY,
    ],
  },
};

export const PROXIFIER: BuiltinPipeline = {
  id: 'proxifier',
  example:
    '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
  definition: {
    description: 'Proxifier connection log "[MM.dd HH:mm:ss] program - message"',
    processors: [
      {
        grok: {
          patterns: [
            '^\\[(?<timestamp>%{MONTHNUM2}\\.%{MONTHDAY} %{TIME})\\] %{DATA:process.name} - %{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'proxifier' },
        },
      },
      dateStep(['MM.dd HH:mm:ss']),
      CLASSIFY,
    ],
  },
};

export const WINDOWS_CBS: BuiltinPipeline = {
  id: 'windows_cbs',
  example:
    '2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\cbscore.dll',
  definition: {
    description: 'Windows Component-Based Servicing log (CBS.log) "date time, Level component message"',
    processors: [
      {
        grok: {
          patterns: [
            '^%{TIMESTAMP_ISO8601:timestamp}, %{LOGLEVEL:log.level} +%{WORD:log.logger}(?: +%{GREEDYDATA:message})?',
          ],
          add_field: { 'event.dataset': 'windows_cbs' },
        },
      },
      dateStep(['yyyy-MM-dd HH:mm:ss']),
      CLASSIFY,
    ],
  },
};
