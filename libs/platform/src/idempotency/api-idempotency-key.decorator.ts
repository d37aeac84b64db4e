import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblem } from '../http/api-problems.js';

/** OpenAPI for an endpoint that honours the Idempotency-Key header (IdempotentRequests). */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Up to 255 visible ASCII characters',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]{1,255}$' },
    }),
    ApiProblem(
      409,
      'Idempotency-Key reused with a different body, or in use by a concurrent request',
    ),
  );
