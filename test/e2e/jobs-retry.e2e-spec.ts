import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { alwaysFails, runCount, TestJobHandlersModule } from '../fixtures/test-job-handlers.js';
import {
  aws,
  demoToken,
  eventually,
  signInUser,
  startApi,
  type RunningApi,
} from './support/harness.js';
import { jobsClient, queueUrl, readJson, startWorker, type JobBody } from './support/jobs.js';

/** Looks at the DLQ without taking anything off it (visibility timeout 0). */
async function deadLetterOf(jobId: string): Promise<Message | undefined> {
  const url = await queueUrl(true);
  for (let i = 0; i < 3; i++) {
    const { Messages = [] } = await aws().sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    const found = Messages.find((m) => m.Body?.includes(jobId));
    if (found) return found;
  }
  return undefined;
}

describe('jobs: retries with backoff, FAILED, dead-letter queue and redrive', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: ReturnType<typeof jobsClient>;
  let admin: ReturnType<typeof jobsClient>;

  before(async () => {
    api = await startApi(undefined, [TestJobHandlersModule]);
    worker = await startWorker();
    client = jobsClient(api.url, await demoToken());
    admin = jobsClient(
      api.url,
      await signInUser(`jobs-admin-${randomUUID()}@example.com`, ['admin']),
    );
  });
  after(async () => {
    alwaysFails.failing = true;
    await worker.close();
    await api.close();
  });

  it('a handler that throws twice then succeeds ends SUCCEEDED with attempts = 3', async () => {
    const job = await readJson<JobBody>(
      await client.post('/jobs', {
        type: 'test-flaky',
        payload: { succeedOnAttempt: 3 },
        maxAttempts: 5,
      }),
    );
    const retrying = await eventually(
      async () => {
        const seen = await client.job(job.id);
        return seen.status === 'QUEUED' && seen.attempts === 1 ? seen : undefined;
      },
      15_000,
      'the job back to QUEUED, waiting for its retry',
    );
    assert.match(retrying.lastError ?? '', /flaky failure on attempt 1/);

    const done = await client.until(job.id, 'SUCCEEDED', 60_000);
    assert.equal(done.attempts, 3);
    assert.equal(runCount(job.id), 3);
    assert.match(done.lastError ?? '', /attempt 2/, 'the last failure stays visible');
  });

  it('one that always throws ends FAILED with its error, its message on the DLQ; redrive brings it back', async () => {
    alwaysFails.failing = true;
    const job = await readJson<JobBody>(
      await client.post('/jobs', { type: 'test-fails', payload: {}, maxAttempts: 2 }),
    );
    const failed = await client.until(job.id, 'FAILED', 60_000);
    assert.equal(failed.attempts, 2);
    assert.match(failed.lastError ?? '', /deliberate failure of .* \(attempt 2\)/);
    assert.ok(failed.finishedAt);
    assert.equal(runCount(job.id), 2);

    const dead = await eventually(() => deadLetterOf(job.id), 15_000, 'the DLQ message');
    assert.match(dead.MessageAttributes?.jobError?.StringValue ?? '', /deliberate failure/);
    const count = await readJson<{ count: number }>(await client.get('/jobs/dead-letters'));
    assert.ok(count.count >= 1);

    // The cause is fixed; an admin moves the dead letters back and the job runs again.
    alwaysFails.failing = false;
    assert.equal((await client.post('/jobs/dead-letters/redrive')).status, 403);
    const redrive = await admin.post('/jobs/dead-letters/redrive', { max: 50 });
    assert.equal(redrive.status, 200);
    const moved = await readJson<{ moved: number; requeued: number }>(redrive);
    assert.ok(moved.moved >= 1 && moved.requeued >= 1, JSON.stringify(moved));

    const done = await client.until(job.id, 'SUCCEEDED', 30_000);
    assert.equal(done.attempts, 1, 'a redriven job gets a fresh attempt budget');
    assert.equal(runCount(job.id), 3);
    assert.equal(await deadLetterOf(job.id), undefined, 'no longer on the DLQ');
  });

  it('POST /jobs/:id/retry runs a FAILED job again', async () => {
    alwaysFails.failing = true;
    const job = await readJson<JobBody>(
      await client.post('/jobs', { type: 'test-fails', payload: {}, maxAttempts: 1 }),
    );
    const failed = await client.until(job.id, 'FAILED', 30_000);
    assert.equal(failed.attempts, 1, 'maxAttempts 1: no retry');

    alwaysFails.failing = false;
    const retried = await client.post(`/jobs/${job.id}/retry`);
    assert.equal(retried.status, 202);
    const queued = await readJson<JobBody>(retried);
    assert.equal(queued.status, 'QUEUED');
    assert.equal(queued.attempts, 0);
    const done = await client.until(job.id, 'SUCCEEDED', 30_000);
    assert.equal(done.attempts, 1);
    assert.equal(runCount(job.id), 2);
    // Its old DLQ copy is harmless: redriven, the worker acknowledges it without running.
    await admin.post('/jobs/dead-letters/redrive', {});
  });

  it('data no retry can fix fails at once, whatever attempts remain', async () => {
    const response = await fetch(`${api.url}/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await demoToken()}`, 'content-type': 'application/json' },
      // 2^64 cannot be kept exactly as a DynamoDB number by the document client.
      body: '{"type":"db","payload":{"big":18446744073709551616},"maxAttempts":3}',
    });
    const job = await readJson<JobBody>(response);
    const failed = await client.until(job.id, 'FAILED', 30_000);
    assert.equal(failed.attempts, 1);
    assert.match(failed.lastError ?? '', /UnrecoverableJobError/);
    assert.ok(await eventually(() => deadLetterOf(job.id), 15_000, 'the DLQ message'));
  });
});
