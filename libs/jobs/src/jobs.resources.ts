import { declareResources, queueAlarms } from '#libs/aws';
import { JOBS_MAX_ATTEMPTS_LIMIT } from './domain/job.js';
import { JOBS_QUEUE } from './job-queue.adapter.js';

/**
 * Jobs: the job table and its state machine, `db` job results, the dispatch queue. Outputs of `s3`
 * jobs go to the shared storage bucket; the sweeper's schedule comes from its task.
 */
export const jobsResources = declareResources({
  owner: 'jobs',
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
  ],
  queues: [
    {
      name: JOBS_QUEUE,
      purpose:
        'Job dispatch (the body is only {jobId, type, ownerId}; the payload stays in DynamoDB)',
      visibilityTimeoutSeconds: 60,
      // The largest maxAttempts a job may ask for, so every attempt fits on one message; a job's
      // final failure is dead-lettered explicitly.
      maxReceiveCount: JOBS_MAX_ATTEMPTS_LIMIT,
    },
  ],
  // Delays of up to 15 minutes and backed-off retries keep messages waiting by design.
  alarms: queueAlarms(JOBS_QUEUE, { oldestMessageAgeSeconds: 3600 }),
});
