import { pino, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from '#libs/config';
import { currentCorrelationId } from './correlation.js';

/** Paths never written to logs, whatever a developer passes in. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.SecretString',
  '*.token',
  '*.accessToken',
  '*.idToken',
];

/** Query parameters that make a URL a credential (SigV4 presigned URLs, session tokens). */
const URL_CREDENTIAL =
  /([?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential)=)[^&\s"'<>]*/gi;

/** The string with every presigned-URL signature, token and credential replaced. */
export function redactUrlCredentials(text: string): string {
  return text.includes('X-Amz-') || text.includes('x-amz-')
    ? text.replace(URL_CREDENTIAL, '$1[redacted]')
    : text;
}

/** Walks a log object (bounded depth) and redacts URL credentials in every string it holds. */
function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  if (!Object.values(value).some((v) => typeof v === 'object' || typeof v === 'string'))
    return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactDeep(item, depth + 1)]),
  );
}

export function loggerOptions(config: AppConfig, name: string): LoggerOptions {
  return {
    name,
    level: config.log.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // A presigned URL is a credential: never logged whole, wherever it appears (a 302 Location,
    // an error message, a message string).
    formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg) =>
          typeof arg === 'string' ? redactUrlCredentials(arg) : arg,
        ) as typeof args;
        method.apply(this, cleaned);
      },
    },
    // Every line carries the correlation id of the request or message being handled.
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId ? { correlationId } : {};
    },
    ...(config.log.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
          },
        }
      : {}),
  };
}

/** A plain pino logger for scripts and the worker's non-Nest parts. */
export function createLogger(config: AppConfig, name: string): Logger {
  return pino(loggerOptions(config, name));
}
