import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ResourceNames } from '#libs/aws';
import { openAccount, book } from './support/bank.js';
import { aws, startApi, testConfig, type RunningApi } from './support/harness.js';
import {
  call,
  newUser,
  queueUrl,
  receiveProjectEvents,
  type TestUser,
} from './support/projects.js';

/**
 * Lambda mode has no process relaying every second: the outboxes are relayed by the request that
 * committed (OUTBOX_RELAY_ON_COMMIT), the schedule being only the safety net. No worker runs in this
 * file, so an event can reach its queue only through the API's own relay.
 */
describe('outboxes relayed right after commit (no worker, as in Lambda mode)', () => {
  let api: RunningApi;
  let scheduledOnly: RunningApi;
  let user: TestUser;

  before(async () => {
    api = await startApi();
    scheduledOnly = await startApi(testConfig({ OUTBOX_RELAY_ON_COMMIT: 'false' }));
    user = await newUser('prompt-relay');
  });
  after(async () => {
    await scheduledOnly.close();
    await api.close();
  });

  const createProject = async (url: string) => {
    const created = await call(url, user, 'POST', '/projects', {
      body: { name: `prompt ${Date.now()}-${Math.random()}`, description: 'relay' },
    });
    assert.equal(created.status, 201, created.text);
    return String(created.body.id);
  };

  it('a project change is on its queue when the API answers', async (t) => {
    const started = Date.now();
    const id = await createProject(api.url);
    const answered = Date.now();
    const [event] = await receiveProjectEvents([id], 1, { timeoutMs: 1000, settleMs: 0 });
    assert.ok(event, 'on the queue within a second of the answer');
    t.diagnostic(
      `SQL outbox: request answered in ${answered - started} ms, event received ${Date.now() - started} ms after the request started`,
    );
  });

  it('without the relay after commit, the event waits for the schedule', async () => {
    const id = await createProject(scheduledOnly.url);
    const events = await receiveProjectEvents([id], 1, { timeoutMs: 2000, settleMs: 0 }).catch(
      () => [],
    );
    assert.equal(events.length, 0, 'nothing relays it in this file');
  });

  it('a booked operation reaches the notifications queue through the bus at once', async (t) => {
    const account = await openAccount(api.url, user);
    const started = Date.now();
    const booked = await book(api.url, user, account.id, { type: 'deposit', amount: '3.00' });
    assert.equal(booked.status, 201, booked.text);
    const url = await queueUrl(new ResourceNames(testConfig().prefix).queue('notifications'));
    const deadline = Date.now() + 3000;
    let found = false;
    while (!found && Date.now() < deadline) {
      const { Messages = [] } = await aws().sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      found = Messages.some((m) => m.Body?.includes(account.id) === true);
    }
    assert.ok(found, 'the event left the DynamoDB outbox and crossed the bus within 3 s');
    t.diagnostic(
      `bank outbox: on the notifications queue ${Date.now() - started} ms after booking`,
    );
  });
});
