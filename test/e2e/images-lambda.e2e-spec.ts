import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';
import { createHandler } from '../../apps/worker/src/lambda.js';
import { postMultipart } from './support/files.js';
import { lambdaContext } from './support/fixtures.js';
import { aws, startApi, testConfig, type RunningApi } from './support/harness.js';
import {
  imageItem,
  imagesTable,
  photoJpeg,
  s3EventRecord,
  truncatedJpeg,
  type ImageBody,
} from './support/images.js';
import { call, newUser, type TestUser } from './support/projects.js';

const queueArn = `arn:aws:sqs:us-east-1:123456789012:${new ResourceNames(testConfig().prefix).queue('images')}`;

/** The SQS record the worker Lambda receives for one S3 event notification body. */
function sqsRecord(body: unknown): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: `handle-${randomUUID()}`,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

describe('images: the worker Lambda handler (S3 events via SQS)', () => {
  const handler = createHandler();
  const context = lambdaContext('codecraft-worker');
  let api: RunningApi;
  let owner: TestUser;

  before(async () => {
    api = await startApi();
    owner = await newUser('images-lambda');
  });
  after(async () => {
    await handler.close();
    await api.close();
  });

  async function upload(data: Buffer, name: string): Promise<ImageBody> {
    const result = await postMultipart(api.url, '/images', owner, { name, data });
    assert.equal(result.status, 201, result.text);
    return result.body as unknown as ImageBody;
  }

  it('processes a batch of S3 events and reports only the message that must be retried', async () => {
    const good = await upload(await photoJpeg(900, 600), 'good photo.jpg');
    const broken = await upload(await truncatedJpeg(), 'broken.jpg');
    const busy = await upload(await photoJpeg(300, 300), 'busy.jpg');
    // Another worker holds a live claim on `busy`: its message must come back later.
    await aws().documents.send(
      new UpdateCommand({
        TableName: imagesTable(),
        Key: { ImageID: busy.id },
        UpdateExpression: 'SET #s = :processing, LeaseUntil = :lease',
        ExpressionAttributeNames: { '#s': 'Status' },
        ExpressionAttributeValues: {
          ':processing': 'PROCESSING',
          ':lease': new Date(Date.now() + 60_000).toISOString(),
        },
      }),
    );
    const records = [
      sqsRecord({ Records: [s3EventRecord(good.originalKey)] }),
      sqsRecord({ Records: [s3EventRecord(busy.originalKey)] }),
      sqsRecord({ Records: [s3EventRecord(broken.originalKey)] }),
      sqsRecord({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'x' }),
    ];

    const result = await handler({ Records: records } satisfies SQSEvent, context);
    assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: records[1]?.messageId }] });

    const ready = await imageItem(good.id);
    assert.equal(ready?.Status, 'READY');
    assert.equal(ready.ResizedImageKey, `resized-${good.originalKey}`);
    const failed = await imageItem(broken.id);
    assert.equal(failed?.Status, 'FAILED', 'a bad image is not a batch failure');
    assert.match(String(failed.FailureReason), /truncated or corrupt/);
    assert.equal((await imageItem(busy.id))?.Status, 'PROCESSING');

    // The same batch again: finished images are not redone, nothing fails but the busy one.
    const again = await handler({ Records: [records[0], records[2]] as SQSRecord[] }, context);
    assert.deepEqual(again, { batchItemFailures: [] });
    assert.equal((await imageItem(good.id))?.ProcessedAt, ready.ProcessedAt);
    // Leave nothing for later suites' workers.
    assert.equal((await call(api.url, owner, 'DELETE', `/images/${busy.id}`)).status, 204);
  });
});
