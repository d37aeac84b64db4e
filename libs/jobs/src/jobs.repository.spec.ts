import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { IdempotencyKeyTakenError } from '#libs/platform';
import type { Job } from './domain/job.js';
import { JobsRepository } from './jobs.repository.js';

const job: Job = {
  id: '5b0c1d8e-6a4f-4f55-9d1e-2f4a3c2b1a00',
  type: 'db',
  ownerId: 'alice',
  status: 'QUEUED',
  payload: '{}',
  attempts: 0,
  maxAttempts: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  runAt: '2026-01-01T00:00:00.000Z',
  sweepAt: '2026-01-01T00:02:00.000Z',
};

const named = (name: string, extra: object = {}) =>
  Object.assign(new Error(name), { name, $fault: 'client', ...extra });

/**
 * A table whose write was applied although the SDK saw it time out: the retry of the same write
 * finds its own item (`stored`) and fails its condition.
 */
function repository(stored: Job | undefined, writeError: Error) {
  const documents = {
    send: (command: unknown) => {
      if (command instanceof GetCommand) return Promise.resolve({ Item: stored });
      if (command instanceof PutCommand || command instanceof TransactWriteCommand)
        return Promise.reject(writeError);
      return Promise.reject(new Error('unexpected command'));
    },
  } as unknown as DynamoDBDocumentClient;
  return new JobsRepository(documents, AppConfig.fromEnv({}), new ResourceNames('t'));
}

describe('JobsRepository.create after a retried write', () => {
  it('succeeds when the condition failed on its own earlier attempt', async () => {
    await repository(job, named('ConditionalCheckFailedException')).create(job);
  });

  it('succeeds for a retried transaction whose first attempt was applied', async () => {
    const cancelled = named('TransactionCanceledException', {
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }],
    });
    await repository(job, cancelled).create(job, { Put: { TableName: 'k', Item: {} } });
  });

  it('still fails when another job holds the id, or the key is taken by another job', async () => {
    const other: Job = { ...job, ownerId: 'mallory' };
    await assert.rejects(
      repository(other, named('ConditionalCheckFailedException')).create(job),
      /ConditionalCheckFailedException/,
    );
    const keyTaken = named('TransactionCanceledException', {
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
    });
    await assert.rejects(
      repository(undefined, keyTaken).create(job, { Put: { TableName: 'k', Item: {} } }),
      IdempotencyKeyTakenError,
    );
  });
});
