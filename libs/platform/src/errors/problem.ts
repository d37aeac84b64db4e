import { HttpException, HttpStatus } from '@nestjs/common';
import { isDependencyUnavailable } from './dependency-errors.js';
import { DomainError, ServiceUnavailableError } from './domain.error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  correlationId?: string;
  [extension: string]: unknown;
}

const CODES: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'validation-failed',
  429: 'too-many-requests',
  503: 'service-unavailable',
};

function problem(
  status: number,
  code: string,
  title: string,
  detail?: string,
  extensions: object = {},
): Problem {
  // Extensions never override the core members (a `status` extension must not change the HTTP status).
  return {
    ...extensions,
    type: `/problems/${code}`,
    title,
    status,
    code,
    ...(detail ? { detail } : {}),
  };
}

/** Body-parser and other express-level errors carry `status` / `type` instead of being HttpExceptions. */
interface ExpressError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
}

/** Retry-After of a 503 that names no delay: long enough for a dependency's blip to pass. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;
/** Retry-After of a 429 that names no delay. */
export const DEFAULT_THROTTLE_RETRY_AFTER_SECONDS = 1;

/**
 * The one place where a dependency's timeout or connection failure (an AWS SDK TimeoutError,
 * ECONNREFUSED, ECONNRESET, a lost SQL connection...) becomes a domain error: 503, not 500.
 * Returns the error unchanged otherwise.
 */
export function asDomainError(error: unknown): unknown {
  if (error instanceof DomainError || error instanceof HttpException) return error;
  // Express-level errors (body-parser's "request aborted"...) carry their own HTTP status.
  const raw = (typeof error === 'object' && error !== null ? error : {}) as ExpressError;
  if (typeof raw.status === 'number' || typeof raw.statusCode === 'number') return error;
  if (!isDependencyUnavailable(error)) return error;
  return new ServiceUnavailableError(
    'A service this request needs did not answer in time or could not be reached; try again after the Retry-After delay (a write may still have been applied: repeat it with the same Idempotency-Key)',
    error,
  );
}

/** Seconds for the Retry-After header of a 429 or 503 answer; undefined for any other status. */
export function retryAfterSeconds(error: unknown, status: number): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  const named = error instanceof DomainError ? error.retryAfterSeconds : undefined;
  if (named !== undefined) return Math.max(0, Math.ceil(named));
  return status === 503 ? DEFAULT_RETRY_AFTER_SECONDS : DEFAULT_THROTTLE_RETRY_AFTER_SECONDS;
}

/** Maps anything thrown to a problem document. Unknown errors become an opaque 500. */
export function toProblem(thrown: unknown): Problem {
  const error = asDomainError(thrown);
  if (error instanceof DomainError) {
    return problem(error.status, error.code, error.title, error.detail, error.extensions);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const code = CODES[status] ?? (status >= 500 ? 'internal-error' : 'client-error');
    const title = HttpStatus[status] ? humanize(HttpStatus[status]) : error.name;
    if (typeof response === 'object') {
      const message = (response as { message?: unknown }).message;
      if (Array.isArray(message)) {
        // class-validator output from the ValidationPipe: keep every message.
        return problem(status, code, title, 'The request is invalid', {
          errors: message.map(String),
        });
      }
      if (typeof message === 'string') return problem(status, code, title, message);
    }
    return problem(status, code, title, typeof response === 'string' ? response : error.message);
  }
  const raw = (typeof error === 'object' && error !== null ? error : {}) as ExpressError;
  const status =
    typeof raw.status === 'number'
      ? raw.status
      : typeof raw.statusCode === 'number'
        ? raw.statusCode
        : 500;
  if (status >= 400 && status < 500 && raw.expose !== false) {
    const code =
      raw.type === 'entity.parse.failed' ? 'malformed-body' : (CODES[status] ?? 'client-error');
    const detail =
      raw.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON'
        : typeof raw.message === 'string'
          ? raw.message
          : '';
    return problem(status, code, humanize(HttpStatus[status] ?? 'Bad request'), detail);
  }
  return problem(
    500,
    'internal-error',
    'Internal server error',
    'An unexpected error occurred; quote the correlation id when reporting it',
  );
}

function humanize(constant: string): string {
  const words = constant.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
