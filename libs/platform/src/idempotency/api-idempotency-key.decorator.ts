import { applyDecorators } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';

/** OpenAPI for an endpoint that honours the Idempotency-Key header (IdempotentRequests). */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Up to 255 visible ASCII characters',
    }),
    ApiConflictResponse({ description: 'Idempotency-Key reused with a different body' }),
  );
