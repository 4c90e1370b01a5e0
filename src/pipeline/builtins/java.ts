import { type BuiltinPipeline, CLASSIFY, dateStep } from './shared.js';

const JAVA_DATES = [
  'ISO8601',
  'yyyy-MM-dd HH:mm:ss,SSS',
  'yyyy-MM-dd HH:mm:ss.SSS',
  'yyyy-MM-dd HH:mm:ss',
  'yy/MM/dd HH:mm:ss',
  'HH:mm:ss.SSS',
  'HH:mm:ss,SSS',
];

/**
 * Java: Logback and Log4j layouts (with or without a date; thread in brackets; logger then `:` or
 * ` - `), Spring Boot's default console format, ZooKeeper's and Spark's. A stack trace joined into the
 * message (by Filebeat's multiline or `cairn agent`) is split off into `error.stack_trace`, with
 * `error.type` and `error.message` from its first line.
 */
export const JAVA: BuiltinPipeline = {
  id: 'java',
  example:
    '2024-01-15 10:00:00.123 ERROR [http-nio-8080-exec-1] com.example.orders.OrderController - Order failed\njava.lang.IllegalStateException: Inventory service unavailable\n\tat com.example.orders.OrderController.create(OrderController.java:42)\n\tat java.base/java.lang.Thread.run(Thread.java:833)',
  definition: {
    description:
      'Java logs (Logback, Log4j, Spring Boot, ZooKeeper, Spark layouts) with multi-line stack traces',
    processors: [
      {
        grok: {
          patterns: [
            '(?s)^%{TIMESTAMP_ISO8601:timestamp} +%{LOGLEVEL:log.level} +\\[%{DATA:process.thread.name}\\] +%{JAVACLASS:log.logger}(?::| -) %{GREEDYDATA:message}',
            '(?s)^(?:%{TIMESTAMP_ISO8601:timestamp}|%{TIME:timestamp}) +\\[%{DATA:process.thread.name}\\] +%{LOGLEVEL:log.level} +%{JAVACLASS:log.logger} +- %{GREEDYDATA:message}',
            '(?s)^%{TIMESTAMP_ISO8601:timestamp} +%{LOGLEVEL:log.level} +%{INT:process.pid:int} --- (?:\\[%{DATA:service.name}\\] )?\\[ *%{DATA:process.thread.name}\\] +%{JAVACLASS:log.logger} *: %{GREEDYDATA:message}',
            '(?s)^%{TIMESTAMP_ISO8601:timestamp} - %{LOGLEVEL:log.level} +\\[%{DATA:process.thread.name}:%{JAVACLASS:log.logger}@%{INT:log.origin.file.line:int}\\] - %{GREEDYDATA:message}',
            '(?s)^(?<timestamp>%{YEAR}/%{MONTHNUM2}/%{MONTHDAY} %{TIME}) %{LOGLEVEL:log.level} %{JAVACLASS:log.logger}: %{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'java' },
        },
      },
      {
        grok: {
          field: 'message',
          patterns: [
            '(?s)^%{DATA:message}\\r?\\n(?<error.stack_trace>%{JAVAEXCEPTION:error.type}(?:: %{DATA:error.message})?\\r?\\n\\s+at .*)$',
          ],
          tag_on_failure: [],
        },
      },
      dateStep(JAVA_DATES),
      CLASSIFY,
    ],
  },
};

/** Hadoop HDFS's layout: `yyMMdd HHmmss pid LEVEL logger: message`. */
export const HDFS: BuiltinPipeline = {
  id: 'hdfs',
  example:
    '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
  definition: {
    description: 'Hadoop HDFS daemon logs "yyMMdd HHmmss pid LEVEL logger: message"',
    processors: [
      {
        grok: {
          patterns: [
            '^(?<timestamp>\\d{6} \\d{6}) %{INT:process.pid:int} %{LOGLEVEL:log.level} %{JAVACLASS:log.logger}: %{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'hdfs' },
        },
      },
      dateStep(['yyMMdd HHmmss']),
      CLASSIFY,
    ],
  },
};
