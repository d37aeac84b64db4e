import type { ResourceManifest, RuleSpec } from './manifest.types.js';

/**
 * Bank operations of at least this amount (minor units of the account's currency, no exchange
 * rates) are routed to the large-operation alert instead of the ordinary notice.
 */
export const LARGE_OPERATION_MINOR_UNITS = 1_000_000;

const BANK_EVENT = { source: ['codecraft.bank'], 'detail-type': ['bank.operation.booked'] };

/**
 * The bank rules are mutually exclusive (EventBridge numeric matching on detail.amountMinor), so
 * every event reaches the notifications queue once; each target wraps the event with the template
 * its rule stands for.
 */
function bankRules(largeFrom: number): RuleSpec[] {
  const rule = (
    name: string,
    template: string,
    detail: Record<string, unknown>,
    purpose: string,
  ) => ({
    name,
    bus: 'bank',
    pattern: { ...BANK_EVENT, detail },
    queue: 'notifications',
    targetInputTemplate: `{"template":"${template}","event":<aws.events.event.json>}`,
    purpose,
  });
  const below = [{ numeric: ['<', largeFrom] }];
  return [
    rule(
      'bank-deposits',
      'deposit-confirmation',
      { type: ['deposit'], amountMinor: below },
      'Deposits to the notifications queue',
    ),
    rule(
      'bank-withdrawals',
      'withdrawal-notice',
      { type: ['withdrawal'], amountMinor: below },
      'Withdrawals to the notifications queue',
    ),
    rule(
      'bank-large-operations',
      'large-operation-alert',
      { amountMinor: [{ numeric: ['>=', largeFrom] }] },
      'Operations of LARGE_OPERATION_MINOR_UNITS or more to the notifications queue',
    ),
  ];
}

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
      name: 'image-metadata',
      purpose:
        'Images (the original ImageMetadata table): original, 128x128 ResizedImageKey, variants, status',
      partitionKey: { name: 'ImageID', type: 'S' },
      // The owner's images, newest first. Images put in the bucket by other means have no OwnerID
      // (sparse index): they are processed and recorded but nobody lists them.
      indexes: [
        {
          name: 'by-owner',
          partitionKey: { name: 'OwnerID', type: 'S' },
          sortKey: { name: 'CreatedAt', type: 'S' },
        },
      ],
      // Only PENDING items of presigned uploads carry ExpiresAt (removed once the bytes arrive).
      ttlAttribute: 'ExpiresAt',
    },
    {
      name: 'notification-deliveries',
      purpose: 'Delivery log: one item per (event, recipient); makes notifications idempotent',
      partitionKey: { name: 'eventId', type: 'S' },
      sortKey: { name: 'recipient', type: 'S' },
      // GET /notifications?accountId=: an account's deliveries, newest first (sparse: only
      // deliveries about a bank account carry accountId).
      indexes: [
        {
          name: 'by-account',
          partitionKey: { name: 'accountId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
      ],
      ttlAttribute: 'expiresAt',
    },
    {
      name: 'bank-accounts',
      purpose: 'Bank accounts: holder, currency, balance (integer minor units), preferences',
      partitionKey: { name: 'id', type: 'S' },
      indexes: [
        {
          name: 'by-owner',
          partitionKey: { name: 'ownerId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
      ],
    },
    {
      name: 'bank-operations',
      purpose: "An account's booked operations; seq is the account's zero-padded operation number",
      partitionKey: { name: 'accountId', type: 'S' },
      sortKey: { name: 'seq', type: 'S' },
      // Idempotency-Key replays find the operation a key booked by its id.
      indexes: [{ name: 'by-id', partitionKey: { name: 'id', type: 'S' } }],
    },
    {
      name: 'bank-event-outbox',
      purpose:
        'Events written in the booking transaction, relayed to EventBridge, deleted once put',
      partitionKey: { name: 'id', type: 'S' },
      // Sparse: only items not yet put carry `pending`.
      indexes: [
        {
          name: 'by-pending',
          partitionKey: { name: 'pending', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
      ],
    },
    {
      name: 'bank-schedules',
      purpose: 'Scheduled (one-off or cron) operations and their next run',
      partitionKey: { name: 'id', type: 'S' },
      indexes: [
        {
          name: 'by-account',
          partitionKey: { name: 'accountId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        // Sparse: only active schedules carry `due`; the scheduler queries nextRunAt <= now.
        {
          name: 'by-due',
          partitionKey: { name: 'due', type: 'S' },
          sortKey: { name: 'nextRunAt', type: 'S' },
        },
      ],
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
  rules: bankRules(LARGE_OPERATION_MINOR_UNITS),
  // Scheduled tasks the worker Lambda runs by name (the long-running worker uses cron).
  schedules: [
    {
      name: 'bank-event-relay',
      task: 'bank-event-relay',
      expression: 'rate(1 minute)',
      purpose: 'Relays the bank event outbox to EventBridge (safety net in Lambda mode)',
    },
    {
      name: 'bank-scheduled-operations',
      task: 'bank-scheduled-operations',
      expression: 'rate(1 minute)',
      purpose: 'Books due scheduled operations',
    },
  ],
  // The configured sender (SES_FROM_ADDRESS) is always added by the bootstrap.
  emailIdentities: [],
  secrets: [
    {
      name: 'demo-user',
      purpose: 'Password of the emulator demo user (local only)',
      generate: 'password',
    },
    {
      name: 'ses-sender',
      purpose: 'From address of notification e-mails (a verified SES identity)',
      generate: 'sender-address',
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
