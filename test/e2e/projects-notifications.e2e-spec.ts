import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { OutboxRepository } from '#libs/outbox';
import type { ProjectEvent } from '#libs/projects';
import { createHandler } from '../../apps/worker/src/lambda.js';
import { createWorkerApp } from '../../apps/worker/src/worker-app.js';
import { lambdaContext } from './support/fixtures.js';
import { aws, eventually, startApi, testConfig, type RunningApi } from './support/harness.js';
import {
  call,
  deliveryRecord,
  newUser,
  queueUrl,
  sentEmails,
  type TestUser,
} from './support/projects.js';

interface ProjectBody {
  id: string;
  name: string;
}

describe('Project notifications (real worker: outbox relay, SQS, SES, delivery log)', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let owner: TestUser;

  before(async () => {
    api = await startApi();
    // The long-running worker as `npm run start:worker` builds it: SQS pollers and cron.
    worker = await createWorkerApp(testConfig(), 'process');
    await worker.init();
    owner = await newUser('notified');
  });
  after(async () => {
    await worker.close();
    await api.close();
  });

  it('e-mails the owner once per change, from the repository template, and logs it', async () => {
    const name = `Rocket <b>"launch"</b> & co ${randomUUID().slice(0, 8)}`;
    const created = await call(api.url, owner, 'POST', '/projects', {
      body: { name, description: 'Fly <script>alert(1)</script>' },
    });
    assert.equal(created.status, 201);
    const project = created.body as unknown as ProjectBody;

    const emails = await eventually(
      async () => {
        const found = await sentEmails(owner.email);
        return found.length >= 1 ? found : undefined;
      },
      20_000,
      'the e-mail for project.created',
    );
    assert.equal(emails.length, 1);
    const email = emails[0];
    assert.ok(email);
    assert.equal(email.subject, `Your project "${name}" was created`);
    assert.equal(email.source, testConfig().ses.fromAddress);
    assert.match(email.body, /Rocket &lt;b&gt;&quot;launch&quot;&lt;\/b&gt; &amp; co/);
    assert.match(email.body, /Fly &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.ok(!email.body.includes('<script>'), 'user input is escaped in the HTML part');
    assert.match(email.body, /by you at/);

    const eventId = /Event ([0-9a-f-]{36})/.exec(email.body)?.[1] ?? '';
    const record = await eventually(
      async () => {
        const r = await deliveryRecord(worker, eventId, owner.sub);
        return r?.status === 'sent' ? r : undefined;
      },
      10_000,
      'the delivery record',
    );
    assert.equal(record.recipient, owner.sub);
    assert.equal(record.address, owner.email);
    assert.equal(record.template, 'project-change');
    assert.equal(record.channel, 'email');
    assert.equal(record.attempts, 1);
    assert.equal(record.sesMessageId, email.id, 'the SES message id is logged');
    assert.ok(record.sentAt && record.createdAt && record.expiresAt > Date.now() / 1000);
    const row = await worker.get(OutboxRepository).findById(eventId);
    assert.ok(row?.sentAt, 'the event went through the outbox');
    assert.equal((JSON.parse(row.payload) as ProjectEvent).project.id, project.id);

    const patched = await call(api.url, owner, 'PATCH', `/projects/${project.id}`, {
      body: { description: 'Landed' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(patched.status, 200);
    const both = await eventually(
      async () => {
        const found = await sentEmails(owner.email);
        return found.length >= 2 ? found : undefined;
      },
      20_000,
      'the e-mail for project.updated',
    );
    assert.equal(both[1]?.subject, `Your project "${name}" was updated`);
  });

  it('sends one e-mail per event even when SQS delivers the event twice', async () => {
    const user = await newUser('twice');
    const created = await call(api.url, user, 'POST', '/projects', {
      body: { name: `Twice ${randomUUID()}` },
    });
    assert.equal(created.status, 201);
    const first = await eventually(
      async () => {
        const found = await sentEmails(user.email);
        return found.length >= 1 ? found : undefined;
      },
      20_000,
      'the first e-mail',
    );
    const eventId = /Event ([0-9a-f-]{36})/.exec(first[0]?.body ?? '')?.[1] ?? '';
    const row = await worker.get(OutboxRepository).findById(eventId);
    assert.ok(row);

    // SQS delivers at least once: the same event arrives again, twice at the same time.
    const url = await queueUrl();
    for (let i = 0; i < 2; i++) {
      await aws().sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: row.payload,
          MessageAttributes: { eventId: { DataType: 'String', StringValue: eventId } },
        }),
      );
    }
    // And once more through the worker Lambda's SQS path.
    const handler = createHandler();
    try {
      const record = {
        messageId: randomUUID(),
        receiptHandle: 'redelivery',
        body: row.payload,
        attributes: { ApproximateReceiveCount: '2' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${testConfig().prefix}-project-events`,
        awsRegion: 'us-east-1',
      } as unknown as SQSEvent['Records'][number];
      const result = await handler({ Records: [record] }, lambdaContext('codecraft-worker'));
      assert.deepEqual(result, { batchItemFailures: [] }, 'a duplicate is a success, not a retry');
    } finally {
      await handler.close();
    }

    // Wait until the worker has handled both copies (a copy that raced the other is retried).
    await eventually(
      async () => {
        const { Attributes: a } = await aws().sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
            ],
          }),
        );
        return a?.ApproximateNumberOfMessages === '0' &&
          a.ApproximateNumberOfMessagesNotVisible === '0'
          ? true
          : undefined;
      },
      30_000,
      'both copies handled',
    );
    const emails = await sentEmails(user.email);
    assert.equal(emails.length, 1, 'one e-mail, however many deliveries');
    const record = await deliveryRecord(worker, eventId, user.sub);
    assert.equal(record?.status, 'sent');
    assert.equal(record.attempts, 1, 'the duplicates never got to send');
    assert.equal(record.sesMessageId, emails[0]?.id);
  });
});
