import type { Rng } from './rng.js';

/**
 * An exception the demo services throw. The stack trace is assembled once; per event only the
 * message changes, so `stackTrace(message)` is a single concatenation.
 */
export interface ExceptionSpec {
  /** `error.type`: the exception class as the runtime prints it. */
  type: string;
  message: (r: Rng) => string;
  /** Null for errors a server reports without a trace (PostgreSQL's own log lines). */
  stackTrace: ((message: string) => string) | null;
  /** `error.code`, e.g. a SQLSTATE. */
  code?: string;
  /** The exception is a timeout after this long: the event's `duration_ms` agrees. */
  timeoutMs?: number;
}

const SPRING_FRAMES = [
  'java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
  'java.base/java.lang.reflect.Method.invoke(Method.java:580)',
  'org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)',
  'org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:188)',
  'org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)',
  'org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)',
  'org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)',
  'org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)',
  'jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)',
  'org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)',
  'org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)',
  'org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)',
  'org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1190)',
  'org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)',
  'java.base/java.lang.Thread.run(Thread.java:1583)',
];

interface Cause {
  type: string;
  message: string;
  frames: readonly string[];
}

/** A Java stack trace as Logback/Log4j print it: the app frames, then the Spring MVC call chain. */
function javaException(options: {
  type: string;
  message: (r: Rng) => string;
  frames: readonly string[];
  cause?: Cause;
  timeoutMs?: number;
}): ExceptionSpec {
  const at = (frames: readonly string[]): string => frames.map((f) => `\n\tat ${f}`).join('');
  const framesText = at(options.frames) + at(SPRING_FRAMES);
  let suffix = framesText;
  if (options.cause) {
    const c = options.cause;
    suffix += `\nCaused by: ${c.type}: ${c.message}${at(c.frames)}\n\t... ${SPRING_FRAMES.length + options.frames.length - 2} common frames omitted`;
  }
  const prefix = `${options.type}: `;
  return {
    type: options.type,
    message: options.message,
    stackTrace: (message) => prefix + message + suffix,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}

type PythonFrame = readonly [file: string, line: number, fn: string, code: string];

/** A Python traceback as `logging.exception` prints it (innermost call last). */
function pythonException(options: {
  type: string;
  message: (r: Rng) => string;
  frames: readonly PythonFrame[];
  timeoutMs?: number;
}): ExceptionSpec {
  const body = options.frames.map(
    ([file, line, fn, code]) => `  File "${file}", line ${line}, in ${fn}\n    ${code}\n`,
  );
  const prefix = `Traceback (most recent call last):\n${body.join('')}${options.type}: `;
  return {
    type: options.type,
    message: options.message,
    stackTrace: (message) => prefix + message,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}

/** An error PostgreSQL logs itself: a condition name and SQLSTATE, no stack trace. */
function postgresError(type: string, code: string, message: (r: Rng) => string): ExceptionSpec {
  return { type, code, message, stackTrace: null };
}

const fixed =
  (text: string) =>
  (_r: Rng): string =>
    text;

const DJANGO_FRAMES: PythonFrame[] = [
  [
    '/usr/local/lib/python3.11/site-packages/django/core/handlers/exception.py',
    55,
    'inner',
    'response = get_response(request)',
  ],
  [
    '/usr/local/lib/python3.11/site-packages/django/core/handlers/base.py',
    197,
    '_get_response',
    'response = wrapped_callback(request, *callback_args, **callback_kwargs)',
  ],
];

export const EXCEPTIONS = {
  nullPointer: javaException({
    type: 'java.lang.NullPointerException',
    message: fixed('Cannot invoke "com.example.payment.model.Card.getToken()" because "card" is null'),
    frames: [
      'com.example.payment.service.PaymentService.authorize(PaymentService.java:142)',
      'com.example.payment.service.PaymentService.charge(PaymentService.java:97)',
      'com.example.payment.PaymentController.charge(PaymentController.java:64)',
    ],
  }),
  sqlTimeout: javaException({
    type: 'java.sql.SQLTimeoutException',
    message: fixed('Query timed out after 30000 ms'),
    timeoutMs: 30_000,
    frames: [
      'org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:497)',
      'org.postgresql.jdbc.PgPreparedStatement.executeQuery(PgPreparedStatement.java:134)',
      'com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java)',
      'com.example.api.repository.OrderRepository.findByCustomer(OrderRepository.java:88)',
      'com.example.api.service.OrderService.listOrders(OrderService.java:51)',
      'com.example.api.OrderController.list(OrderController.java:42)',
    ],
  }),
  poolExhausted: javaException({
    type: 'java.sql.SQLTransientConnectionException',
    message: fixed('HikariPool-1 - Connection is not available, request timed out after 30000ms.'),
    timeoutMs: 30_000,
    frames: [
      'com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)',
      'com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)',
      'com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:100)',
      'com.example.api.repository.ProductRepository.findById(ProductRepository.java:37)',
      'com.example.api.ProductController.get(ProductController.java:58)',
    ],
  }),
  gatewayTimeout: javaException({
    type: 'org.springframework.web.client.ResourceAccessException',
    message: fixed(
      'I/O error on POST request for "https://api.stripe.com/v1/payment_intents": Read timed out',
    ),
    timeoutMs: 10_000,
    frames: [
      'org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:888)',
      'org.springframework.web.client.RestTemplate.postForEntity(RestTemplate.java:547)',
      'com.example.payment.gateway.StripeGatewayClient.createIntent(StripeGatewayClient.java:73)',
      'com.example.payment.service.PaymentService.charge(PaymentService.java:104)',
      'com.example.payment.PaymentController.charge(PaymentController.java:64)',
    ],
    cause: {
      type: 'java.net.SocketTimeoutException',
      message: 'Read timed out',
      frames: [
        'java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
        'java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:314)',
        'java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)',
      ],
    },
  }),
  illegalArgument: javaException({
    type: 'java.lang.IllegalArgumentException',
    message: (r) => `Unsupported currency code: ${r.pick(['XBT', 'EURO', 'US', 'ABC'])}`,
    frames: [
      'java.base/java.util.Currency.getInstance(Currency.java:321)',
      'com.example.payment.model.Money.of(Money.java:29)',
      'com.example.payment.PaymentController.charge(PaymentController.java:59)',
    ],
  }),
  jwtExpired: javaException({
    type: 'io.jsonwebtoken.ExpiredJwtException',
    message: (r) =>
      `JWT expired ${r.between(1, 86_400_000)} milliseconds ago. Allowed clock skew: 0 milliseconds.`,
    frames: [
      'io.jsonwebtoken.impl.DefaultJwtParser.parse(DefaultJwtParser.java:682)',
      'io.jsonwebtoken.impl.DefaultJwtParser.parseSignedClaims(DefaultJwtParser.java:815)',
      'com.example.auth.token.TokenService.verify(TokenService.java:66)',
      'com.example.auth.TokenController.refresh(TokenController.java:48)',
    ],
  }),
  redisTimeout: javaException({
    type: 'io.lettuce.core.RedisCommandTimeoutException',
    message: fixed('Command timed out after 1 second(s)'),
    timeoutMs: 1000,
    frames: [
      'io.lettuce.core.internal.ExceptionFactory.createTimeoutException(ExceptionFactory.java:59)',
      'io.lettuce.core.internal.Futures.awaitOrCancel(Futures.java:246)',
      'com.example.auth.session.SessionStore.load(SessionStore.java:44)',
      'com.example.auth.LoginController.login(LoginController.java:71)',
    ],
  }),
  duplicateKey: javaException({
    type: 'org.springframework.dao.DataIntegrityViolationException',
    message: fixed(
      'could not execute statement; SQL [n/a]; constraint [orders_idempotency_key_key]; nested exception is org.hibernate.exception.ConstraintViolationException',
    ),
    frames: [
      'org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:276)',
      'com.example.api.service.OrderService.create(OrderService.java:97)',
      'com.example.api.OrderController.create(OrderController.java:77)',
    ],
  }),
  outOfMemory: javaException({
    type: 'java.lang.OutOfMemoryError',
    message: fixed('Java heap space'),
    frames: [
      'java.base/java.util.Arrays.copyOf(Arrays.java:3541)',
      'com.fasterxml.jackson.databind.ObjectMapper.writeValueAsBytes(ObjectMapper.java:3857)',
      'com.example.api.ExportController.exportOrders(ExportController.java:39)',
    ],
  }),
  keyError: pythonException({
    type: 'KeyError',
    message: (r) => `'${r.pick(['shipping_address', 'currency', 'cart_id', 'variant_id'])}'`,
    frames: [
      ...DJANGO_FRAMES,
      ['/app/shop/views/checkout.py', 88, 'checkout', 'order = create_order(cart, request.POST)'],
      ['/app/shop/services/orders.py', 142, 'create_order', 'address = payload["shipping_address"]'],
    ],
  }),
  attributeError: pythonException({
    type: 'AttributeError',
    message: fixed("'NoneType' object has no attribute 'email'"),
    frames: [
      ...DJANGO_FRAMES,
      ['/app/shop/views/account.py', 51, 'profile', 'context = build_profile(request.user.customer)'],
      ['/app/shop/services/profile.py', 23, 'build_profile', 'return {"email": customer.email}'],
    ],
  }),
  valueError: pythonException({
    type: 'ValueError',
    message: (r) =>
      `invalid literal for int() with base 10: '${r.pick(['abc', 'undefined', 'null', '12a'])}'`,
    frames: [
      ...DJANGO_FRAMES,
      ['/app/shop/views/catalog.py', 117, 'product_list', 'page = int(request.GET.get("page", 1))'],
    ],
  }),
  connectionRefused: pythonException({
    type: 'ConnectionRefusedError',
    message: fixed('[Errno 111] Connection refused'),
    frames: [
      ['/app/cache/client.py', 64, 'get', 'return self._pool.get_connection("GET").send_command("GET", key)'],
      [
        '/usr/local/lib/python3.11/site-packages/redis/connection.py',
        707,
        'connect',
        'sock = self.retry.call_with_retry(lambda: self._connect(), lambda error: self.disconnect(error))',
      ],
      ['/usr/local/lib/python3.11/socket.py', 836, 'create_connection', 'sock.connect(sa)'],
    ],
  }),
  redisConnection: pythonException({
    type: 'redis.exceptions.ConnectionError',
    message: (r) => `Error 111 connecting to cache-${r.between(1, 3)}:6379. Connection refused.`,
    frames: [
      ['/app/cache/client.py', 64, 'get', 'return self._redis.get(key)'],
      [
        '/usr/local/lib/python3.11/site-packages/redis/commands/core.py',
        1829,
        'get',
        'return self.execute_command("GET", name)',
      ],
      [
        '/usr/local/lib/python3.11/site-packages/redis/client.py',
        533,
        'execute_command',
        'conn = self.connection or pool.get_connection(command_name, **options)',
      ],
    ],
  }),
  psycopgOperational: pythonException({
    type: 'psycopg2.OperationalError',
    message: fixed(
      'connection to server at "db-primary-1" (10.0.3.12), port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections',
    ),
    frames: [
      ...DJANGO_FRAMES,
      ['/app/shop/views/catalog.py', 64, 'product_detail', 'product = Product.objects.get(slug=slug)'],
      [
        '/usr/local/lib/python3.11/site-packages/psycopg2/__init__.py',
        122,
        'connect',
        'conn = _connect(dsn, connection_factory=connection_factory, **kwasync)',
      ],
    ],
  }),
  readTimeout: pythonException({
    type: 'requests.exceptions.ReadTimeout',
    message: fixed(
      "HTTPSConnectionPool(host='api.sendgrid.com', port=443): Read timed out. (read timeout=10)",
    ),
    timeoutMs: 10_000,
    frames: [
      [
        '/usr/local/lib/python3.11/site-packages/celery/app/trace.py',
        477,
        'trace_task',
        'R = retval = fun(*args, **kwargs)',
      ],
      ['/app/notifications/tasks.py', 38, 'send_email', 'response = client.send(message)'],
      [
        '/usr/local/lib/python3.11/site-packages/requests/adapters.py',
        532,
        'send',
        'raise ReadTimeout(e, request=request)',
      ],
    ],
  }),
  smtpDisconnected: pythonException({
    type: 'smtplib.SMTPServerDisconnected',
    message: fixed('Connection unexpectedly closed'),
    frames: [
      ['/app/notifications/tasks.py', 61, 'send_receipt', 'smtp.send_message(msg)'],
      [
        '/usr/local/lib/python3.11/smtplib.py',
        405,
        'getreply',
        'raise SMTPServerDisconnected("Connection unexpectedly closed")',
      ],
    ],
  }),
  pgDeadlock: postgresError('deadlock_detected', '40P01', (r) => {
    const a = r.between(10_000, 40_000);
    return `deadlock detected: Process ${a} waits for ShareLock on transaction ${r.between(9_000_000, 9_999_999)}; blocked by process ${a + r.between(1, 300)}.`;
  }),
  pgStatementTimeout: postgresError(
    'query_canceled',
    '57014',
    fixed('canceling statement due to statement timeout'),
  ),
  pgUniqueViolation: postgresError('unique_violation', '23505', (r) =>
    r.chance(0.5)
      ? 'duplicate key value violates unique constraint "users_email_key"'
      : 'duplicate key value violates unique constraint "orders_idempotency_key_key"',
  ),
  pgTooManyConnections: postgresError(
    'too_many_connections',
    '53300',
    fixed('remaining connection slots are reserved for non-replication superuser connections'),
  ),
} satisfies Record<string, ExceptionSpec>;
