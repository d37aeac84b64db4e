import type { ResourceManifest } from './manifest.types.js';

/**
 * Every AWS resource CodeCraft needs, declared once. `npm run bootstrap` creates or updates them on
 * the configured endpoint; the cloud stack derives from the same list. Domain issues add theirs here.
 */
export const resourceManifest: ResourceManifest = {
  tables: [
    {
      name: 'jobs',
      purpose: 'Jobs and their state machine (the original table_job)',
      partitionKey: { name: 'id', type: 'S' },
      indexes: [
        {
          name: 'by-status',
          partitionKey: { name: 'status', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
      ],
      ttlAttribute: 'expiresAt',
    },
    {
      name: 'idempotency-keys',
      purpose: 'Idempotency-Key records for POST endpoints',
      partitionKey: { name: 'key', type: 'S' },
      ttlAttribute: 'expiresAt',
    },
  ],
  queues: [
    { name: 'jobs', purpose: 'Job dispatch', visibilityTimeoutSeconds: 60, maxReceiveCount: 5 },
    {
      name: 'project-events',
      purpose: 'Project changes (the original ProjectNotificationsQueue)',
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 5,
    },
    {
      name: 'images',
      purpose: 'S3 upload events for image originals',
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 3,
    },
    {
      name: 'notifications',
      purpose: 'Bank-operation events routed by EventBridge',
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 5,
    },
  ],
  buckets: [
    {
      name: 'storage',
      purpose: 'Private bucket for project files, image originals and variants, job outputs',
      notifications: [
        { prefix: 'images/originals/', queue: 'images', events: ['s3:ObjectCreated:*'] },
      ],
    },
  ],
  buses: [{ name: 'bank', purpose: 'Bank operation events' }],
  rules: [
    {
      name: 'bank-operations',
      bus: 'bank',
      purpose: 'Deposits and withdrawals to the notifications queue',
      pattern: { source: ['codecraft.bank'], 'detail-type': ['bank.operation.booked'] },
      queue: 'notifications',
    },
  ],
  // The configured sender (SES_FROM_ADDRESS) is always added by the bootstrap.
  emailIdentities: [],
  emailTemplates: [],
  secrets: [
    {
      name: 'demo-user',
      purpose: 'Password of the emulator demo user (local only)',
      generate: 'password',
    },
  ],
  userPools: [
    {
      name: 'users',
      clientName: 'api',
      groups: ['admin'],
      demoUser: { secret: 'demo-user', groups: [] },
    },
  ],
};
