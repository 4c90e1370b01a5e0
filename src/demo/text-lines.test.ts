import { describe, expect, it } from 'vitest';
import { formatTextLine } from './text-lines.js';

const error = {
  '@timestamp': '2024-05-01T12:00:03.120Z',
  level: 'ERROR',
  service: 'payment-service',
  logger: 'com.example.payment.PaymentController',
  message: 'Payment failed for order ORD-4412345',
  log_type: 'application',
  error: {
    type: 'java.lang.NullPointerException',
    message: 'boom',
    stack_trace:
      'java.lang.NullPointerException: boom\n\tat com.example.payment.PaymentController.charge(PaymentController.java:64)',
  },
};

describe('formatTextLine', () => {
  it('writes the bracketed format with the stack trace on continuation lines', () => {
    expect(formatTextLine(error)).toBe(
      '[2024-05-01T12:00:03.120Z] ERROR com.example.payment.PaymentController: Payment failed for order ORD-4412345\n' +
        'java.lang.NullPointerException: boom\n\tat com.example.payment.PaymentController.charge(PaymentController.java:64)',
    );
    // Filebeat's multiline rule starts a new event at "[": continuation lines must not start with it.
    for (const line of formatTextLine(error).split('\n').slice(1)) expect(line.startsWith('[')).toBe(false);
  });

  it('writes the plain format on one line', () => {
    expect(formatTextLine(error, 'plain')).toBe(
      '2024-05-01 12:00:03 ERROR [payment-service] Payment failed for order ORD-4412345',
    );
  });

  it('writes nginx events as their access-log line', () => {
    const line =
      '10.0.0.1 - - [01/May/2024:12:00:02 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29" 0.002';
    expect(formatTextLine({ log_type: 'nginx', message: line }, 'plain')).toBe(line);
    expect(formatTextLine({ log_type: 'nginx', message: line })).toBe(line);
  });
});
