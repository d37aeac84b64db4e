import { emailTemplates } from './email-templates.js';
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
      // Listing is per owner, newest first; ownerStatus / ownerType are `${ownerId}#${value}`.
      // by-sweep is sparse: only QUEUED / RUNNING jobs carry sweepAt (when the sweeper must look).
      indexes: [
        {
          name: 'by-owner',
          partitionKey: { name: 'ownerId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        {
          name: 'by-owner-status',
          partitionKey: { name: 'ownerStatus', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        {
          name: 'by-owner-type',
          partitionKey: { name: 'ownerType', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        {
          name: 'by-sweep',
          partitionKey: { name: 'status', type: 'S' },
          sortKey: { name: 'sweepAt', type: 'S' },
        },
      ],
      ttlAttribute: 'expiresAt',
    },
    {
      name: 'job-results',
      purpose: "Output of `db` jobs: the job's data as an item (the original's database table)",
      partitionKey: { name: 'jobId', type: 'S' },
    },
    {
      name: 'idempotency-keys',
      purpose: 'Idempotency-Key records for POST endpoints',
      partitionKey: { name: 'key', type: 'S' },
      ttlAttribute: 'expiresAt',
    },
    {
      name: 'file-metadata',
      purpose: 'Project files (the original FileMetadata table): one item per object in storage',
      partitionKey: { name: 'fileID', type: 'S' },
      // A project's files, newest first (uploadDate is an ISO-8601 timestamp).
      indexes: [
        {
          name: 'by-project',
          partitionKey: { name: 'projectID', type: 'S' },
          sortKey: { name: 'uploadDate', type: 'S' },
        },
      ],
      // Only PENDING items (presigned uploads never completed) carry expiresAt.
      ttlAttribute: 'expiresAt',
    },
    {
      name: 'notification-deliveries',
      purpose: 'Delivery log: one item per (event, recipient); makes notifications idempotent',
      partitionKey: { name: 'eventId', type: 'S' },
      sortKey: { name: 'recipient', type: 'S' },
      ttlAttribute: 'expiresAt',
    },
  ],
  queues: [
    {
      name: 'jobs',
      purpose:
        'Job dispatch (the body is only {jobId, type, ownerId}; the payload stays in DynamoDB)',
      visibilityTimeoutSeconds: 60,
      // Equal to the largest maxAttempts a job may ask for (JOBS_MAX_ATTEMPTS_LIMIT in libs/jobs),
      // so every attempt fits on one message; a job's final failure is dead-lettered explicitly.
      maxReceiveCount: 10,
    },
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
      // Browsers PUT presigned uploads and GET presigned downloads straight from S3. Any origin:
      // a presigned URL is its own credential (no cookies), so the origin adds no protection.
      cors: [
        {
          allowedOrigins: ['*'],
          allowedMethods: ['GET', 'PUT', 'HEAD'],
          allowedHeaders: ['content-type', 'content-length'],
          exposeHeaders: ['ETag'],
          maxAgeSeconds: 3600,
        },
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
  emailTemplates,
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
