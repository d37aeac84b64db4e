import { DomainError } from '../errors/domain.error.js';

export class InvalidIdempotencyKeyError extends DomainError {
  constructor() {
    super('invalid-idempotency-key', 400, 'Invalid Idempotency-Key header', {
      detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
    });
  }
}

/** The key already made a resource from a different request body. */
export class IdempotencyKeyReusedError extends DomainError {
  /** `resource` names what the key created (`job` → detail "... job X", extension `jobId`). */
  constructor(resource: string, resourceId: string) {
    super('idempotency-key-reused', 409, 'Idempotency key reused with a different request', {
      detail: `This Idempotency-Key already created ${resource} ${resourceId} from a different request body`,
      extensions: { [`${resource}Id`]: resourceId },
    });
  }
}

/** A repository's transaction was refused because the idempotency record's key is taken. */
export class IdempotencyKeyTakenError extends Error {
  override name = 'IdempotencyKeyTakenError';
}
