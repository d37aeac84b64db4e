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

export function loggerOptions(config: AppConfig, name: string): LoggerOptions {
  return {
    name,
    level: config.log.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
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
