import { type BuiltinPipeline, CLASSIFY, dateStep, levelDictionary } from './shared.js';

/** PostgreSQL with the default `log_line_prefix` ('%m [%p] ') and the common `user@db` variants. */
export const POSTGRESQL: BuiltinPipeline = {
  id: 'postgresql',
  example:
    '2024-01-15 10:00:00.123 UTC [12345] postgres@orders ERROR:  duplicate key value violates unique constraint "orders_pkey"',
  definition: {
    description:
      'PostgreSQL server log (default log_line_prefix and user@database variants); LOG maps to INFO',
    processors: [
      {
        grok: {
          patterns: [
            '(?s)^(?<timestamp>%{TIMESTAMP_ISO8601}(?: %{TZ})?) \\[%{POSINT:process.pid:int}\\](?:: \\[%{INT:postgresql.log.session_line_number:int}(?:-%{INT})?\\])?(?: (?:user=)?%{USERNAME:user.name}?[@,](?:db=)?%{USERNAME:postgresql.log.database}?)? %{POSTGRESQL_LEVEL:postgresql.log.level}: +%{GREEDYDATA:message}',
          ],
          add_field: { 'event.dataset': 'postgresql' },
        },
      },
      levelDictionary('postgresql.log.level', {
        DEBUG1: 'DEBUG',
        DEBUG2: 'DEBUG',
        DEBUG3: 'DEBUG',
        DEBUG4: 'DEBUG',
        DEBUG5: 'DEBUG',
        LOG: 'INFO',
        INFO: 'INFO',
        NOTICE: 'INFO',
        STATEMENT: 'INFO',
        DETAIL: 'INFO',
        HINT: 'INFO',
        CONTEXT: 'INFO',
        QUERY: 'INFO',
        LOCATION: 'INFO',
        WARNING: 'WARN',
        ERROR: 'ERROR',
        FATAL: 'FATAL',
        PANIC: 'FATAL',
      }),
      dateStep(['yyyy-MM-dd HH:mm:ss.SSS z', 'yyyy-MM-dd HH:mm:ss z', 'ISO8601']),
      CLASSIFY,
    ],
  },
};

/** Redis 3+ (`pid:role date level message`) and older (`[pid] date level message`) server logs. */
export const REDIS: BuiltinPipeline = {
  id: 'redis',
  example: '1:M 15 Jan 2024 10:00:00.123 * Ready to accept connections tcp',
  definition: {
    description: 'Redis server log; the level marks . - * # map to DEBUG, TRACE, INFO, WARN',
    processors: [
      { grok: { patterns: ['^%{REDISLOG}'], add_field: { 'event.dataset': 'redis' } } },
      levelDictionary('redis.log.level', { '.': 'DEBUG', '-': 'TRACE', '*': 'INFO', '#': 'WARN' }),
      {
        translate: {
          field: 'redis.log.role',
          target: 'redis.log.role',
          dictionary: { M: 'master', S: 'replica', C: 'child', X: 'sentinel' },
          tag_on_failure: [],
        },
      },
      dateStep(['dd MMM yyyy HH:mm:ss.SSS', 'dd MMM HH:mm:ss.SSS', 'dd MMM HH:mm:ss']),
      CLASSIFY,
    ],
  },
};
