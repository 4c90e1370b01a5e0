import { type BuiltinPipeline, CLASSIFY, dateStep } from './shared.js';

const PY_LEVEL = '(?:CRITICAL|FATAL|ERROR|WARNING|WARN|INFO|DEBUG|NOTSET)';
const PY_DATES = ['ISO8601', 'yyyy-MM-dd HH:mm:ss,SSS', 'yyyy-MM-dd HH:mm:ss.SSS', 'yyyy-MM-dd HH:mm:ss'];

/** The seeds' application format: `[2024-01-15T10:00:00.123Z] ERROR payment.api: Card declined`. */
export const APP: BuiltinPipeline = {
  id: 'app',
  example:
    '[2025-10-23T14:32:15.123Z] ERROR payment.gateway: Charge failed: java.net.SocketTimeoutException: Read timed out',
  definition: {
    description:
      'Application lines "[ISO-timestamp] LEVEL logger: message" (the seeds\' Logstash grok), stack traces included',
    processors: [
      {
        grok: {
          patterns: [
            '(?s)^\\[%{TIMESTAMP_ISO8601:timestamp}\\] +%{LOGLEVEL:log.level} +%{NOTSPACE:log.logger}: %{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'app' },
        },
      },
      dateStep(['ISO8601']),
      CLASSIFY,
    ],
  },
};

/** The seeds' generator format: `2025-10-23 14:32:15 INFO [payment-service] Payment completed`. */
export const APP_PLAIN: BuiltinPipeline = {
  id: 'app_plain',
  example: '2025-10-23 14:32:15 INFO [payment-service] Payment completed for order order_45231',
  definition: {
    description: 'Application lines "YYYY-MM-DD HH:MM:SS LEVEL [service] message"',
    processors: [
      {
        grok: {
          patterns: [
            '(?s)^%{TIMESTAMP_ISO8601:timestamp} +%{LOGLEVEL:log.level} +\\[%{DATA:service.name}\\] %{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'app' },
        },
      },
      dateStep(PY_DATES),
      CLASSIFY,
    ],
  },
};

/** Python's logging: basicConfig's default `LEVEL:logger:message` and the common "asctime - name - level - message". */
export const PYTHON: BuiltinPipeline = {
  id: 'python',
  example:
    '2024-01-15 10:00:00,123 - orders.worker - ERROR - Payment failed: ValueError: amount must be positive',
  definition: {
    description:
      'Python logging: "%(asctime)s - %(name)s - %(levelname)s - %(message)s" and the default "%(levelname)s:%(name)s:%(message)s"',
    processors: [
      {
        grok: {
          patterns: [
            '(?s)^%{TIMESTAMP_ISO8601:timestamp} - %{DATA:log.logger} - %{PY_LEVEL:log.level} - %{GREEDYDATA:message}',
            '(?s)^%{PY_LEVEL:log.level}:%{DATA:log.logger}:%{GREEDYDATA:message}',
          ],
          pattern_definitions: { PY_LEVEL },
          add_field: { 'event.dataset': 'python' },
        },
      },
      dateStep(PY_DATES),
      CLASSIFY,
    ],
  },
};

/**
 * Django: the development server's request lines, the docs' "verbose" formatter and the common
 * `[asctime] LEVEL [name:lineno] message` configuration.
 */
export const DJANGO: BuiltinPipeline = {
  id: 'django',
  example: '[2024-01-15 10:00:00,123] ERROR [django.request:224] Internal Server Error: /api/orders/',
  definition: {
    description:
      'Django: "[asctime] LEVEL [logger:line] message", the verbose formatter, and runserver request lines',
    processors: [
      {
        grok: {
          patterns: [
            '(?s)^\\[%{TIMESTAMP_ISO8601:timestamp}\\] %{PY_LEVEL:log.level} \\[%{DATA:log.logger}:%{INT:log.origin.file.line:int}\\] %{GREEDYDATA:message}',
            '(?s)^%{PY_LEVEL:log.level} %{TIMESTAMP_ISO8601:timestamp} %{NOTSPACE:log.origin.file.name} %{INT:process.pid:int} %{INT:process.thread.id:int} %{GREEDYDATA:message}',
            '^\\[(?<timestamp>%{MONTHDAY}/%{MONTH}/%{YEAR} %{TIME})\\] "%{HTTP_REQUEST_LINE}" %{INT:http.response.status_code:int} %{INT:http.response.body.bytes:int}',
          ],
          pattern_definitions: { PY_LEVEL },
          add_field: { 'event.dataset': 'django' },
        },
      },
      dateStep([...PY_DATES, 'dd/MMM/yyyy HH:mm:ss']),
      CLASSIFY,
    ],
  },
};

/** Celery workers: `[asctime: LEVEL/Process] message`, with the task name and id when the line names one. */
export const CELERY: BuiltinPipeline = {
  id: 'celery',
  example:
    '[2024-01-15 10:00:00,123: INFO/ForkPoolWorker-2] Task orders.tasks.charge[6f1c7c5e-8c2b-4e1a-9a55-2f0f2b0e8a11] succeeded in 0.41s: None',
  definition: {
    description: 'Celery worker and task lines "[asctime: LEVEL/process] message", with task name and id',
    processors: [
      {
        grok: {
          patterns: [
            '(?s)^\\[%{TIMESTAMP_ISO8601:timestamp}: %{PY_LEVEL:log.level}/%{DATA:process.name}\\] %{GREEDYDATA:message}',
          ],
          pattern_definitions: { PY_LEVEL },
          add_field: { 'event.dataset': 'celery' },
        },
      },
      {
        grok: {
          field: 'message',
          patterns: ['^(?:Task )?%{NOTSPACE:celery.task.name}\\[%{UUID:celery.task.id}\\]'],
          tag_on_failure: [],
        },
      },
      dateStep(PY_DATES),
      CLASSIFY,
    ],
  },
};

/**
 * JSON lines from structured loggers (python-json-logger, logstash-logback-encoder, pino, bunyan,
 * zap, the seeds' generators): the object's fields become the event's, and the usual key spellings
 * for the time, logger, thread and stack trace are mapped to Cairn's.
 */
export const JSON_LINES: BuiltinPipeline = {
  id: 'json',
  example:
    '{"asctime": "2025-10-23 14:35:22,120", "levelname": "ERROR", "name": "payment", "message": "Payment gateway unavailable"}',
  definition: {
    description: 'JSON lines from structured loggers (python-json-logger, logback, pino, bunyan, zap)',
    processors: [
      { json: { field: 'message', add_field: { 'event.dataset': 'json' } } },
      {
        mutate: {
          rename: {
            asctime: 'timestamp',
            name: 'log.logger',
            logger_name: 'log.logger',
            logger: 'log.logger',
            thread_name: 'process.thread.name',
            threadName: 'process.thread.name',
            exc_info: 'error.stack_trace',
            stack_trace: 'error.stack_trace',
          },
        },
      },
      dateStep(PY_DATES, { remove_field: [] }),
      CLASSIFY,
    ],
  },
};
