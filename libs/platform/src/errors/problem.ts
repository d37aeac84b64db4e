import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError } from './domain.error.js';

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

/** Maps anything thrown to a problem document. Unknown errors become an opaque 500. */
export function toProblem(error: unknown): Problem {
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
