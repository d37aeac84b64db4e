import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { ResourceNames } from '#libs/aws';
import { createHandler } from '../../apps/worker/src/lambda.js';
import { alwaysFails, runCount, TestJobHandlersModule } from '../fixtures/test-job-handlers.js';
import { lambdaContext } from './support/fixtures.js';
import { demoToken, startApi, testConfig, type RunningApi } from './support/harness.js';
import { jobsClient, readJson, type JobBody } from './support/jobs.js';

const queueArn = `arn:aws:sqs:us-east-1:123456789012:${new ResourceNames(testConfig().prefix).queue('jobs')}`;

/** The record SQS would hand the worker Lambda for a job's message. */
function recordFor(job: JobBody, ownerId: string): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: `handle-${randomUUID()}`,
    body: JSON.stringify({ jobId: job.id, type: job.type, ownerId }),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {
      correlationId: { stringValue: `corr-${job.id}`, dataType: 'String' },
    },
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

describe('jobs: the worker Lambda handler', () => {
  const handler = createHandler([TestJobHandlersModule]);
  const context = lambdaContext('codecraft-worker');
  let api: RunningApi;
  let client: ReturnType<typeof jobsClient>;
  let sub = '';

  before(async () => {
    api = await startApi(testConfig(), [TestJobHandlersModule]);
    client = jobsClient(api.url, await demoToken());
    sub = (await readJson<{ sub: string }>(await client.get('/me'))).sub;
    alwaysFails.failing = true;
  });
  after(async () => {
    await handler.close();
    await api.close();
  });

  it('processes a batch of 3 where one fails and reports exactly that one', async () => {
    const create = async (body: unknown) => readJson<JobBody>(await client.post('/jobs', body));
    const first = await create({ type: 'db', payload: { n: 1 } });
    const failing = await create({ type: 'test-fails', payload: {}, maxAttempts: 3 });
    const third = await create({ type: 's3', payload: { n: 3 } });
    const records = [first, failing, third].map((job) => recordFor(job, sub));

    const result = await handler({ Records: records } satisfies SQSEvent, context);
    assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: records[1]?.messageId }] });

    assert.equal((await client.job(first.id)).status, 'SUCCEEDED');
    assert.equal((await client.job(third.id)).status, 'SUCCEEDED');
    const retrying = await client.job(failing.id);
    assert.equal(retrying.status, 'QUEUED', 'back in line for its next attempt');
    assert.equal(retrying.attempts, 1);
    assert.match(retrying.lastError ?? '', /deliberate failure/);
    // Leave nothing for later suites' workers: a cancelled job is acknowledged, never run.
    assert.equal((await client.post(`/jobs/${failing.id}/cancel`)).status, 200);
  });

  it('the same record twice in one batch runs the job once', async () => {
    const job = await readJson<JobBody>(
      await client.post('/jobs', { type: 'test-count', payload: { sleepMs: 200 } }),
    );
    const record = recordFor(job, sub);
    const result = await handler(
      { Records: [record, { ...record, messageId: randomUUID() }] },
      context,
    );
    assert.deepEqual(result, { batchItemFailures: [] });
    assert.equal(runCount(job.id), 1);
    assert.equal((await client.job(job.id)).attempts, 1);
  });

  it('a final failure is not a batch failure: the job is FAILED and dead-lettered instead', async () => {
    const job = await readJson<JobBody>(
      await client.post('/jobs', { type: 'test-fails', payload: {}, maxAttempts: 1 }),
    );
    const result = await handler({ Records: [recordFor(job, sub)] }, context);
    assert.deepEqual(result, { batchItemFailures: [] });
    const failed = await client.job(job.id);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.attempts, 1);
  });
});
