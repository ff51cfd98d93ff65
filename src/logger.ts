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
