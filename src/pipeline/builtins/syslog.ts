import { type BuiltinPipeline, dateStep } from './shared.js';

/**
 * RFC 5424, then RFC 3164 (BSD) lines, with or without a `<PRI>`. The program may hold spaces and
 * paths (`Microsoft Word[14463]:`, `/usr/sbin/cron[12]:`) and be followed by macOS's detail in
 * parentheses (`launchd[1] (com.apple.…[33438]):`, kept in process.title).
 */
export const SYSLOG: BuiltinPipeline = {
  id: 'syslog',
  example:
    'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
  definition: {
    description: 'syslog, RFC 5424 and RFC 3164 (BSD): host, program, pid, facility and severity from <PRI>',
    processors: [
      {
        grok: {
          patterns: [
            '^%{SYSLOG5424LINE}',
            '^(?:%{SYSLOGPRI})?%{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:host.name} +%{SYSLOG_LENIENT_PROG}: ?%{GREEDYDATA:message}',
            '^(?:%{SYSLOGPRI})?%{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:host.name} %{GREEDYDATA:message}',
            '^(?:%{SYSLOGPRI})?%{TIMESTAMP_ISO8601:timestamp} %{SYSLOGHOST:host.name} %{SYSLOGPROG}: ?%{GREEDYDATA:message}',
          ],
          pattern_definitions: {
            SYSLOG_LENIENT_PROG:
              '(?<process.name>[^\\s\\[:][^\\[:]*?)(?:\\[%{NONNEGINT:process.pid:int}\\])?(?: \\((?:\\[%{NONNEGINT:process.parent.pid:int}\\]|(?<process.title>[^)\\s]+))\\))?',
          },
          add_field: { 'event.dataset': 'syslog' },
        },
      },
      { syslog_pri: {} },
      dateStep(['ISO8601', 'MMM d HH:mm:ss', 'MMM dd HH:mm:ss']),
      { classify: {} },
    ],
  },
};
