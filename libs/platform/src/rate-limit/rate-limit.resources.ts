import { declareResources } from '#libs/aws';

/** The API's per-caller request counters, shared by every API process and Lambda instance. */
export const rateLimitResources = declareResources({
  owner: 'platform/rate-limit',
  tables: [
    {
      name: 'rate-limits',
      purpose: 'Per-caller request counters of the API, one item per caller and window',
      partitionKey: { name: 'key', type: 'S' },
      ttlAttribute: 'expiresAt',
    },
  ],
});
