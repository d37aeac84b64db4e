import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ResourceNames } from '#libs/aws';
import {
  aws,
  eventually,
  startApi,
  startWorkerApp,
  testConfig,
  type RunningApi,
} from './support/harness.js';
import { newUser, queueUrl, sentEmails, type TestUser } from './support/projects.js';
import { book, notificationLog, openAccount } from './support/bank.js';

/**
 * A permanent SES refusal: the sender secret names an address SES never verified, so SES answers
 * MessageRejected. The delivery is recorded FAILED after one attempt, the message is not retried
 * (nor dead-lettered), and nothing is sent.
 */
describe('Bank e-mails refused by SES for good (real worker, unverified sender)', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let user: TestUser;

  before(async () => {
    const senderSecret = `${testConfig().prefix}-unverified-sender-${randomUUID()}`;
    await aws().secrets.send(
      new CreateSecretCommand({ Name: senderSecret, SecretString: 'nobody@unverified.example' }),
    );
    api = await startApi();
    worker = await startWorkerApp({
      SES_SENDER_SECRET_ID: senderSecret,
      WORKER_POLL_WAIT_SECONDS: '1',
    });
    user = await newUser('refused');
  });
  after(async () => {
    await worker.close();
    await api.close();
  });

  it('records the refusal FAILED once and neither retries nor dead-letters the event', async () => {
    const account = await openAccount(api.url, user);
    const deposit = await book(api.url, user, account.id, { type: 'deposit', amount: '5.00' });
    assert.equal(deposit.status, 201, deposit.text);

    const [entry] = await eventually(
      async () => {
        const items = await notificationLog(api.url, user, account.id);
        return items[0]?.status === 'FAILED' ? items : undefined;
      },
      30_000,
      'the FAILED delivery',
    );
    assert.ok(entry);
    assert.equal(entry.eventId, deposit.body.eventId);
    assert.equal(entry.template, 'deposit-confirmation');
    assert.equal(entry.attempts, 1);
    assert.equal(entry.permanent, true);
    assert.match(entry.lastError ?? '', /not verified|rejected/i);
    assert.equal(entry.attemptLog[0]?.outcome, 'FAILED');

    // Well past the worker's poll and a retry's visibility backoff (2 s): still one attempt, so the
    // message was not delivered again; no e-mail; and the event is not on the DLQ. (The queues are
    // shared with the other files' events, so their counts prove nothing about this one.)
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const [later] = await notificationLog(api.url, user, account.id);
    assert.equal(later?.status, 'FAILED');
    assert.equal(later.attempts, 1, 'a permanent failure is not retried');
    assert.equal((await sentEmails(account.email)).length, 0);
    const deadLetters = await queueUrl(
      new ResourceNames(testConfig().prefix).deadLetterQueue('notifications'),
    );
    const eventId = String(deposit.body.eventId);
    for (let read = 0; read < 5; read++) {
      // A peek: visibility 0 leaves every message where it is.
      const { Messages = [] } = await aws().sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deadLetters,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          WaitTimeSeconds: 0,
        }),
      );
      const refused = Messages.filter((m) => (m.Body ?? '').includes(eventId));
      assert.deepEqual(refused, [], 'the refused event is not dead-lettered');
      if (Messages.length === 0) break;
    }
  });
});
