import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';
import { JobQueue, JOBS_SWEEPER_TASK } from '#libs/jobs';
import { createHandler } from '../../apps/worker/src/lambda.js';
import { runCount, TestJobHandlersModule } from '../fixtures/test-job-handlers.js';
import { lambdaContext } from './support/fixtures.js';
import { aws, demoToken, startApi, testConfig, type RunningApi } from './support/harness.js';
import { jobsClient, queueUrl, readJson, startWorker, type JobBody } from './support/jobs.js';

const names = new ResourceNames(testConfig().prefix);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const iso = (ms: number) => new Date(ms).toISOString();

/** True when the jobs queue holds a visible message for the job (peeked, left in place). */
async function enqueued(jobId: string): Promise<boolean> {
  const { Messages = [] } = await aws().sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: await queueUrl(),
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
    }),
  );
  return Messages.some((m) => m.Body?.includes(jobId));
}

/** Rewrites a job's timing attributes, standing in for time passing or a worker dying. */
async function rewrite(jobId: string, values: Record<string, unknown>): Promise<void> {
  const entries = Object.entries(values);
  await aws().documents.send(
    new UpdateCommand({
      TableName: names.table('jobs'),
      Key: { id: jobId },
      UpdateExpression: `SET ${entries.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#n${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(
        entries.map(([, value], i) => [`:v${i}`, value]),
      ),
    }),
  );
}

describe('jobs: the sweeper never lets a stored job be lost', () => {
  // A 1-second threshold: a job due that long without being picked up is swept.
  const overrides = { JOBS_SWEEP_AFTER_SECONDS: '1' };
  const lambda = createHandler([TestJobHandlersModule]);
  const context = lambdaContext('codecraft-worker');
  const sweep = () => lambda({ task: JOBS_SWEEPER_TASK }, context);
  let api: RunningApi;
  let worker: INestApplicationContext | undefined;
  let client: ReturnType<typeof jobsClient>;

  before(async () => {
    api = await startApi(testConfig(overrides), [TestJobHandlersModule]);
    client = jobsClient(api.url, await demoToken());
  });
  after(async () => {
    await lambda.close();
    await worker?.close();
    await api.close();
  });

  it('a job written but not enqueued (the send failed) is still accepted, then sent by the sweeper', async () => {
    const queue = api.app.get(JobQueue);
    const send = queue.enqueue.bind(queue);
    queue.enqueue = () => Promise.reject(new Error('SQS is unreachable'));
    let job: JobBody;
    try {
      const response = await client.post('/jobs', { type: 'test-count', payload: { lost: false } });
      assert.equal(response.status, 202, 'stored durably, so accepted');
      job = await readJson<JobBody>(response);
    } finally {
      queue.enqueue = send;
    }
    assert.equal(await enqueued(job.id), false, 'no message was sent');
    assert.equal((await client.job(job.id)).status, 'QUEUED');

    await sleep(1200); // past the 1-second threshold
    await sweep(); // the worker Lambda's scheduled path; the long-running worker's cron runs the same task
    assert.equal(await enqueued(job.id), true, 'the sweeper sent it');

    worker = await startWorker(overrides);
    const done = await client.until(job.id, 'SUCCEEDED');
    assert.equal(done.attempts, 1);
    assert.equal(runCount(job.id), 1);
  });

  it('a delay beyond SQS\u2019s 15 minutes is held in the table and released by the sweeper when due', async () => {
    const response = await client.post('/jobs', {
      type: 'test-count',
      payload: {},
      delaySeconds: 3600,
    });
    const job = await readJson<JobBody>(response);
    assert.equal(Date.parse(job.runAt) - Date.parse(job.createdAt), 3_600_000);
    await sweep();
    assert.equal(await enqueued(job.id), false, 'held: not sent at creation nor by an early sweep');

    // 59 minutes 57 seconds later: due in 3 s, inside SQS's delay range.
    const runAt = Date.now() + 3000;
    await rewrite(job.id, { runAt: iso(runAt), sweepAt: iso(runAt - 900_000) });
    await sweep();
    const done = await client.until(job.id, 'SUCCEEDED');
    assert.ok(Date.parse(done.startedAt ?? '') >= runAt, 'not started before it was due');
    assert.equal(runCount(job.id), 1);
  });

  it('a RUNNING job whose worker died is taken over once its lease has expired', async () => {
    const held = { type: 'test-count', payload: {}, delaySeconds: 3600 };
    const victim = await readJson<JobBody>(await client.post('/jobs', held));
    const exhausted = await readJson<JobBody>(
      await client.post('/jobs', { ...held, maxAttempts: 1 }),
    );
    const { sub } = await readJson<{ sub: string }>(await client.get('/me'));
    const longAgo = Date.now() - 120_000;
    for (const id of [victim.id, exhausted.id]) {
      // As a worker that claimed it and then crashed would have left it.
      await rewrite(id, {
        status: 'RUNNING',
        ownerStatus: `${sub}#RUNNING`,
        attempts: 1,
        runAt: iso(longAgo),
        startedAt: iso(longAgo),
        leaseUntil: iso(longAgo + 60_000),
        sweepAt: iso(longAgo + 61_000),
        claimToken: 'crashed-worker',
      });
    }
    await sweep();

    const recovered = await client.until(victim.id, 'SUCCEEDED');
    assert.equal(recovered.attempts, 2, 'the crashed attempt counts');
    assert.equal(runCount(victim.id), 1);

    const failed = await client.until(exhausted.id, 'FAILED');
    assert.match(failed.lastError ?? '', /Attempts exhausted \(1\/1\)/);
    assert.equal(runCount(exhausted.id), 0, 'not run beyond its attempts');
  });
});
