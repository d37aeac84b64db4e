/** HTTP statuses a domain error may map to; a client mistake is never a 500. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 503;

export interface DomainErrorOptions {
  readonly detail?: string;
  /** Extra members added to the problem document (RFC 9457 extensions). */
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
  /** For 429 and 503: the Retry-After header, in seconds (a default applies when absent). */
  readonly retryAfterSeconds?: number;
}

/**
 * Base of every error the domain raises on purpose. `code` is stable and machine-readable; it
 * becomes the problem `type` (`/problems/{code}`).
 */
export class DomainError extends Error {
  readonly detail: string | undefined;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: string,
    readonly status: ProblemStatus,
    readonly title: string,
    options: DomainErrorOptions = {},
  ) {
    super(
      options.detail ?? title,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.detail = options.detail;
    this.extensions = options.extensions ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not-found', 404, 'Resource not found', { detail: `${what} ${id} does not exist` });
  }
}

export class ConflictError extends DomainError {
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super('conflict', 409, 'Conflict', { detail, ...(extensions ? { extensions } : {}) });
  }
}

export class ValidationError extends DomainError {
  constructor(detail: string, errors?: readonly { field: string; message: string }[]) {
    super('validation-failed', 422, 'Validation failed', {
      detail,
      ...(errors ? { extensions: { errors } } : {}),
    });
  }
}

/**
 * A dependency (AWS, the database, the identity provider) cannot serve this request now. Raised
 * explicitly, or mapped from timeouts and connection failures by `toProblem`; answers 503 with
 * Retry-After.
 */
export class ServiceUnavailableError extends DomainError {
  constructor(detail: string, cause?: unknown, retryAfterSeconds?: number) {
    super('dependency-unavailable', 503, 'A dependency is unavailable', {
      detail,
      cause,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
}

/** The caller spent its request budget for the current window: 429 with Retry-After. */
export class TooManyRequestsError extends DomainError {
  constructor(limit: number, windowSeconds: number, retryAfterSeconds: number) {
    super('too-many-requests', 429, 'Too many requests', {
      detail: `At most ${limit} requests per ${windowSeconds} s per caller; retry after ${retryAfterSeconds} s`,
      extensions: { limit, windowSeconds },
      retryAfterSeconds,
    });
  }
}
