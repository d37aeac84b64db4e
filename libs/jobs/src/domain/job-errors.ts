import { DomainError } from '#libs/platform';
import type { JobStatus } from './job.js';

export class UnknownJobTypeError extends DomainError {
  constructor(type: string, knownTypes: readonly string[]) {
    super('unknown-job-type', 422, 'Unknown job type', {
      detail: `No handler is registered for job type "${type}"; known types: ${knownTypes.join(', ')}`,
      extensions: { knownTypes },
    });
  }
}

export class JobPayloadTooLargeError extends DomainError {
  constructor(sizeBytes: number, limitBytes: number) {
    super('payload-too-large', 413, 'Payload too large', {
      detail: `The job payload is ${sizeBytes} bytes of JSON; the limit is ${limitBytes}`,
      extensions: { sizeBytes, limitBytes },
    });
  }
}

export class JobStateConflictError extends DomainError {
  constructor(jobId: string, status: JobStatus, action: string, allowed: string) {
    super('job-state-conflict', 409, 'The job is not in a state that allows this', {
      detail: `Job ${jobId} is ${status}; ${action} needs ${allowed}`,
      extensions: { jobId, jobStatus: status },
    });
  }
}

export class InvalidCursorError extends DomainError {
  constructor() {
    super('invalid-cursor', 400, 'Invalid cursor', {
      detail: 'The cursor is malformed or belongs to a different query; start again without it',
    });
  }
}

/**
 * Thrown by a handler when retrying cannot help (bad data): the job fails at once, whatever
 * attempts remain, and its message goes to the dead-letter queue.
 */
export class UnrecoverableJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnrecoverableJobError';
  }
}
