import { assertNever } from '../model/errors.js';
import type { DemoEvent } from './generator.js';

/**
 * How an application writes its log file when it does not write JSON:
 * - `bracketed`: `[2024-05-01T12:00:00.123Z] ERROR com.example.payment.PaymentController: Payment failed`
 *   with the stack trace on the following lines, the format the Logstash grok
 *   `\[%{TIMESTAMP_ISO8601}\] %{LOGLEVEL} %{GREEDYDATA:logger}: …` and a Filebeat multiline rule
 *   (`pattern: '^\['`, `negate: true`, `match: after`) expect;
 * - `plain`: `2024-05-01 12:00:00 ERROR [payment-service] Payment failed`, one line per event.
 */
export type TextStyle = 'bracketed' | 'plain';

/** An event as a line of a log file; nginx events are their access-log line in either style. */
export function formatTextLine(event: DemoEvent, style: TextStyle = 'bracketed'): string {
  const message = String(event['message'] ?? '');
  if (event['log_type'] === 'nginx') return message;
  const ts = String(event['@timestamp'] ?? '');
  const level = String(event['level'] ?? 'INFO');
  switch (style) {
    case 'bracketed': {
      const error = event['error'] as { stack_trace?: unknown } | undefined;
      const trace = typeof error?.stack_trace === 'string' ? `\n${error.stack_trace}` : '';
      return `[${ts}] ${level} ${String(event['logger'] ?? event['service'])}: ${message}${trace}`;
    }
    case 'plain':
      return `${ts.slice(0, 10)} ${ts.slice(11, 19)} ${level} [${String(event['service'])}] ${message}`;
    default:
      return assertNever(style, 'text style');
  }
}
