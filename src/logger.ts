import pino, { type Logger } from 'pino';

/** Log paths that must never reach a log line: signatures, tokens, phone numbers, names. */
export const REDACT = [
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-viber-content-signature"]',
  'req.headers["x-viber-auth-token"]',
  'req.headers["x-zevent-signature"]',
  'req.headers.authorization',
  'req.headers.access_token',
  'req.headers.secret_key',
  'accessToken',
  'refreshToken',
  'phone',
  'fullName',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.phone',
  '*.fullName',
];

/** The process logger: JSON lines, secrets and personal data redacted, URLs without query strings. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: {
        // Query strings can carry signatures (Viber ?sig=) and tokens (Graph API): log the path only.
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          url: req.url?.split('?')[0],
          id: req.id,
        }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}

type LogArgs = Parameters<Logger['info']>;

/**
 * A request's logger that becomes a real child (with the request id bound) only when a line at
 * an enabled level is written: most webhooks write none, and binding a pino child for each
 * request cost about 3% of a webhook's CPU.
 */
class LazyChild {
  private real: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: pino.Bindings,
    private readonly options: pino.ChildLoggerOptions,
  ) {}

  private made(): Logger {
    return (this.real ??= this.parent.child(this.bindings, this.options));
  }

  private write(level: pino.Level, args: LogArgs): void {
    if (this.real) this.real[level](...args);
    else if (this.parent.isLevelEnabled(level)) this.made()[level](...args);
  }

  get level(): string {
    return (this.real ?? this.parent).level;
  }

  set level(level: string) {
    this.made().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.real ?? this.parent).isLevelEnabled(level);
  }

  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): Logger {
    return this.made().child(bindings, options);
  }

  fatal(...args: LogArgs): void {
    this.write('fatal', args);
  }

  error(...args: LogArgs): void {
    this.write('error', args);
  }

  warn(...args: LogArgs): void {
    this.write('warn', args);
  }

  info(...args: LogArgs): void {
    this.write('info', args);
  }

  debug(...args: LogArgs): void {
    this.write('debug', args);
  }

  trace(...args: LogArgs): void {
    this.write('trace', args);
  }

  silent(): void {}
}

/** Fastify's `childLoggerFactory`: request loggers made lazily (`LazyChild`). */
export function lazyChildLogger(
  logger: Logger,
  bindings: pino.Bindings,
  options: pino.ChildLoggerOptions,
): Logger {
  return new LazyChild(logger, bindings, options) as unknown as Logger;
}
