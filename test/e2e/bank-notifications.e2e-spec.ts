import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';
import { LARGE_OPERATION_MINOR_UNITS } from '#libs/bank';
import { DeliveryLogRepository } from '#libs/notifications';
import {
  aws,
  eventually,
  startApi,
  startWorkerApp,
  testConfig,
  type RunningApi,
} from './support/harness.js';
import { call, newUser, queueUrl, sentEmails, type TestUser } from './support/projects.js';
import {
  book,
  emailsTo,
  notificationLog,
  openAccount,
  type OperationBody,
} from './support/bank.js';

describe('Bank operations → EventBridge → SQS → SES (real worker)', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let user: TestUser;

  before(async () => {
    api = await startApi();
    worker = await startWorkerApp();
    user = await newUser('banker');
  });
  after(async () => {
    await worker.close();
    await api.close();
  });

  it('e-mails a deposit confirmation through the bus, logs it SENT, carries the correlation id', async () => {
    const account = await openAccount(api.url, user);
    const correlationId = `corr-${randomUUID()}`;
    const deposit = await book(
      api.url,
      user,
      account.id,
      { type: 'deposit', amount: '120.5', reference: 'Salary <March>' },
      { 'x-correlation-id': correlationId },
    );
    assert.equal(deposit.status, 201, deposit.text);
    const operation = deposit.body as unknown as OperationBody;
    assert.equal(operation.amount, '120.50');
    assert.equal(operation.balanceAfter, '120.50');
    assert.equal(operation.correlationId, correlationId);

    const [email, ...more] = await emailsTo(account.email, 1);
    assert.ok(email);
    assert.equal(more.length, 0);
    assert.equal(email.subject, 'Deposit of 120.50 EUR received');
    assert.equal(email.source, testConfig().ses.fromAddress, 'sender from the ses-sender secret');
    assert.match(email.body, /Hello Ada &lt;Lovelace&gt;,/);
    assert.match(email.body, /deposit of <strong>120\.50 EUR<\/strong> \(Salary &lt;March&gt;\)/);
    assert.match(email.body, /balance is now <strong>120\.50 EUR/);
    assert.ok(email.body.includes(`Event ${operation.eventId}`));

    const log = await eventually(
      async () => {
        const items = await notificationLog(api.url, user, account.id);
        return items[0]?.status === 'SENT' ? items : undefined;
      },
      10_000,
      'the SENT delivery',
    );
    assert.equal(log.length, 1);
    const entry = log[0];
    assert.ok(entry);
    assert.equal(entry.eventId, operation.eventId);
    assert.equal(entry.template, 'deposit-confirmation');
    assert.equal(entry.recipient, account.email);
    assert.equal(entry.sesMessageId, email.id);
    assert.equal(entry.attempts, 1);
    assert.deepEqual(
      entry.attemptLog.map((a) => [a.outcome, a.sesMessageId]),
      [['SENT', email.id]],
    );
    assert.equal(entry.correlationId, correlationId, 'HTTP → event detail → SQS → SES attempt');

    // The log is the owner's only.
    const stranger = await newUser('stranger');
    const denied = await call(api.url, stranger, 'GET', `/notifications?accountId=${account.id}`);
    assert.equal(denied.status, 404);
  });

  it('routes an operation over the threshold to the large-operation alert only (numeric rule)', async () => {
    const account = await openAccount(api.url, user);
    const large = (LARGE_OPERATION_MINOR_UNITS / 100).toFixed(2);
    assert.equal(
      (await book(api.url, user, account.id, { type: 'deposit', amount: large })).status,
      201,
    );
    assert.equal(
      (await book(api.url, user, account.id, { type: 'withdrawal', amount: '0.01' })).status,
      201,
    );
    const emails = await emailsTo(account.email, 2);
    assert.deepEqual(emails.map((e) => e.subject).sort(), [
      `Large deposit of ${large} EUR on your account`,
      'Withdrawal of 0.01 EUR',
    ]);
    const log = await notificationLog(api.url, user, account.id);
    assert.deepEqual(log.map((l) => l.template).sort(), [
      'large-operation-alert',
      'withdrawal-notice',
    ]);
  });

  it('refuses a withdrawal beyond the balance with 422 and publishes nothing', async () => {
    const account = await openAccount(api.url, user);
    assert.equal(
      (await book(api.url, user, account.id, { type: 'deposit', amount: '10.00' })).status,
      201,
    );
    const refused = await book(api.url, user, account.id, { type: 'withdrawal', amount: '10.01' });
    assert.equal(refused.status, 422);
    assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(refused.body.code, 'insufficient-funds');
    assert.equal(refused.body.balance, '10.00');

    await emailsTo(account.email, 1, 3000);
    const operations = await call(api.url, user, 'GET', `/accounts/${account.id}/operations`);
    assert.equal((operations.body.items as unknown[]).length, 1, 'only the deposit was booked');
    const balance = await call(api.url, user, 'GET', `/accounts/${account.id}`);
    assert.equal(balance.body.balance, '10.00');
    const emails = await sentEmails(account.email);
    assert.deepEqual(
      emails.map((e) => e.subject),
      ['Deposit of 10.00 EUR received'],
    );
    const outbox = await aws().documents.send(
      new ScanCommand({
        TableName: new ResourceNames(testConfig().prefix).table('bank-event-outbox'),
      }),
    );
    assert.ok(
      !(outbox.Items ?? []).some(
        (i) => (i.detail as { accountId?: string } | undefined)?.accountId === account.id,
      ),
      'no event waits in the outbox either',
    );
  });

  it('books a replayed Idempotency-Key once (and 409 for another body)', async () => {
    const account = await openAccount(api.url, user);
    const key = `dep-${randomUUID()}`;
    const body = { type: 'deposit', amount: '5', reference: 'once' };
    const first = await book(api.url, user, account.id, body, { 'idempotency-key': key });
    assert.equal(first.status, 201);
    const replays = await Promise.all(
      [1, 2, 3].map(() =>
        book(api.url, user, account.id, { ...body, amount: '5.00' }, { 'idempotency-key': key }),
      ),
    );
    for (const replay of replays) {
      assert.equal(replay.status, 201);
      assert.equal(replay.body.id, first.body.id);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    }
    const other = await book(
      api.url,
      user,
      account.id,
      { ...body, amount: '6' },
      { 'idempotency-key': key },
    );
    assert.equal(other.status, 409);
    assert.equal(other.body.operationId, first.body.id);

    const state = await call(api.url, user, 'GET', `/accounts/${account.id}`);
    assert.equal(state.body.balance, '5.00');
    const page = await call(api.url, user, 'GET', `/accounts/${account.id}/operations`);
    assert.equal((page.body.items as unknown[]).length, 1);
    assert.equal((await emailsTo(account.email, 1)).length, 1, 'one event, one e-mail');
  });

  it('logs SKIPPED and sends nothing when the account has e-mails off', async () => {
    const account = await openAccount(api.url, user, { notifications: { email: false } });
    assert.equal(account.notifications.email, false);
    assert.equal(account.notifications.deposits, true);
    const deposit = await book(api.url, user, account.id, { type: 'deposit', amount: '1.00' });
    assert.equal(deposit.status, 201);
    const log = await eventually(
      async () => {
        const items = await notificationLog(api.url, user, account.id);
        return items.length > 0 ? items : undefined;
      },
      20_000,
      'the SKIPPED delivery',
    );
    assert.equal(log[0]?.status, 'SKIPPED');
    assert.equal(log[0].reason, 'e-mails turned off');
    assert.equal(log[0].attempts, 0);
    assert.equal(log[0].eventId, deposit.body.eventId);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await sentEmails(account.email)).length, 0);

    // Preferences are read at send time: turned back on, the next deposit is e-mailed.
    const patched = await call(api.url, user, 'PATCH', `/accounts/${account.id}`, {
      body: { notifications: { email: true } },
    });
    assert.equal(patched.status, 200);
    assert.equal(
      (await book(api.url, user, account.id, { type: 'deposit', amount: '2.00' })).status,
      201,
    );
    assert.equal((await emailsTo(account.email, 1)).length, 1);
  });

  it('sends one e-mail when the same event is delivered twice', async () => {
    const account = await openAccount(api.url, user);
    const deposit = await book(api.url, user, account.id, { type: 'deposit', amount: '3.00' });
    const operation = deposit.body as unknown as OperationBody;
    const [first] = await emailsTo(account.email, 1);
    assert.ok(first);
    const message = JSON.stringify({
      template: 'deposit-confirmation',
      event: {
        id: randomUUID(),
        detail: {
          eventId: operation.eventId,
          operationId: operation.id,
          accountId: account.id,
          type: 'deposit',
          amount: '3.00',
          amountMinor: 300,
          currency: 'EUR',
          balanceAfter: '3.00',
          balanceAfterMinor: 300,
          reference: 'test',
          bookedAt: operation.bookedAt,
          correlationId: operation.correlationId,
        },
      },
    });
    const url = await queueUrl(new ResourceNames(testConfig().prefix).queue('notifications'));
    // At-least-once delivery: the same event twice more, at the same time.
    await Promise.all(
      [1, 2].map(() =>
        aws().sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: message })),
      ),
    );
    const emails = await emailsTo(account.email, 1, 4000);
    assert.equal(emails.length, 1, 'one e-mail however many deliveries');
    const record = await worker
      .get(DeliveryLogRepository)
      .get({ eventId: operation.eventId, recipient: account.id });
    assert.equal(record?.status, 'sent');
    assert.equal(record.attempts, 1, 'the duplicates never got to send');
  });

  it('mails only what the ledger holds: forged and tampered bus events are dropped', async () => {
    const account = await openAccount(api.url, user);
    const deposit = await book(api.url, user, account.id, { type: 'deposit', amount: '1.00' });
    const operation = deposit.body as unknown as OperationBody;
    assert.equal((await emailsTo(account.email, 1)).length, 1, 'the genuine deposit');
    const genuine = {
      eventId: operation.eventId,
      operationId: operation.id,
      accountId: account.id,
      type: 'deposit',
      amount: '1.00',
      amountMinor: 100,
      currency: 'EUR',
      balanceAfter: '1.00',
      balanceAfterMinor: 100,
      reference: 'test',
      bookedAt: operation.bookedAt,
      correlationId: operation.correlationId,
    };
    const forged = { ...genuine, eventId: randomUUID(), operationId: randomUUID() };
    const tampered = {
      ...genuine,
      eventId: randomUUID(),
      amount: '900.00',
      amountMinor: 90_000,
      balanceAfter: '900.00',
      balanceAfterMinor: 90_000,
    };
    const bus = new ResourceNames(testConfig().prefix).bus('bank');
    const put = await aws().events.send(
      new PutEventsCommand({
        Entries: [forged, tampered].map((detail) => ({
          EventBusName: bus,
          Source: 'codecraft.bank',
          DetailType: 'bank.operation.booked',
          Detail: JSON.stringify(detail),
        })),
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
    const emails = await emailsTo(account.email, 1, 5000);
    assert.equal(emails.length, 1, 'no e-mail for an operation the ledger does not hold');
    const log = worker.get(DeliveryLogRepository);
    for (const detail of [forged, tampered])
      assert.equal(await log.get({ eventId: detail.eventId, recipient: account.id }), undefined);
  });
});
