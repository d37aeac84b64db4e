import { Module } from '@nestjs/common';
import { IdempotencyKeysRepository } from './idempotency-keys.repository.js';
import { IdempotentRequests } from './idempotent-requests.service.js';

/** The idempotency-keys table and the Idempotency-Key flow, for any module that creates things. */
@Module({
  providers: [IdempotencyKeysRepository, IdempotentRequests],
  exports: [IdempotencyKeysRepository, IdempotentRequests],
})
export class IdempotencyModule {}
