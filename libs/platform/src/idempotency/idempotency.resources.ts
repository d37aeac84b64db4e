import { declareResources } from '#libs/aws';

/** Idempotency-Key records of the POST endpoints (and of scheduled occurrences). */
export const idempotencyResources = declareResources({
  owner: 'platform/idempotency',
  tables: [
    {
      name: 'idempotency-keys',
      purpose: 'Idempotency-Key records for POST endpoints',
      partitionKey: { name: 'key', type: 'S' },
      ttlAttribute: 'expiresAt',
    },
  ],
});
