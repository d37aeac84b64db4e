import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { ResourceNames, resourceManifest } from '#libs/aws';
import { SCHEDULED_OPERATIONS_TASK } from '#libs/bank';
import { TaskRunner } from '#libs/platform';
import { createHandler } from '../../apps/worker/src/lambda.js';
import { createWorkerApp } from '../../apps/worker/src/worker-app.js';
import { lambdaContext } from './support/fixtures.js';
import { aws, eventually, startApi, testConfig, type RunningApi } from './support/harness.js';
import { call, newUser, type TestUser } from './support/projects.js';
import { emailsTo, openAccount, type OperationBody } from './support/bank.js';

interface ScheduleBody {
  id: string;
  status: string;
  nextRunAt?: string;
  runs: number;
  lastOperationId?: string;
}

describe('Scheduled operations (worker scheduler and Lambda schedule)', () => {
  let api: RunningApi;
  let user: TestUser;

  before(async () => {
    api = await startApi();
    user = await newUser('scheduler');
  });
  after(async () => {
    await api.close();
  });

  const operations = async (accountId: string) => {
    const page = await call(api.url, user, 'GET', `/accounts/${accountId}/operations`);
    return page.body.items as OperationBody[];
  };
  const scheduleOperation = async (accountId: string, body: Record<string, string>) => {
    const created = await call(
      api.url,
      user,
      'POST',
      `/accounts/${accountId}/scheduled-operations`,
      {
        body: { type: 'deposit', ...body },
      },
    );
    assert.equal(created.status, 201, created.text);
    return created.body as unknown as ScheduleBody;
  };
  const schedules = async (accountId: string) => {
    const list = await call(api.url, user, 'GET', `/accounts/${accountId}/scheduled-operations`);
    assert.equal(list.status, 200);
    return list.body.items as ScheduleBody[];
  };

  it('validates schedules: runAt or cron, a cron that parses, an exact amount', async () => {
    const account = await openAccount(api.url, user);
    const path = `/accounts/${account.id}/scheduled-operations`;
    const base = { type: 'deposit', amount: '1.00', reference: 'x' };
    for (const [body, code] of [
      [{ ...base, cron: '61 * * * *' }, 'invalid-schedule'],
      [{ ...base, cron: 'every day' }, 'invalid-schedule'],
      [base, 'invalid-schedule'],
      [{ ...base, cron: '0 9 * * *', runAt: new Date().toISOString() }, 'invalid-schedule'],
      [{ ...base, amount: '1.001', cron: '0 9 * * *' }, 'invalid-amount'],
    ] as const) {
      const refused = await call(api.url, user, 'POST', path, { body });
      assert.equal(refused.status, 422, JSON.stringify(body));
      assert.equal(refused.body.code, code);
    }
    const created = await call(api.url, user, 'POST', path, {
      body: { ...base, cron: '0 9 * * 1' },
    });
    assert.equal(created.status, 201);
    const schedule = created.body as unknown as ScheduleBody;
    assert.equal(schedule.status, 'ACTIVE');
    assert.match(schedule.nextRunAt ?? '', /T09:00:00\.000Z$/);
    assert.equal(new Date(schedule.nextRunAt ?? '').getUTCDay(), 1);
    assert.deepEqual(
      (await schedules(account.id)).map((s) => s.id),
      [schedule.id],
    );
    const other = await newUser('other');
    assert.equal((await call(api.url, other, 'GET', path)).status, 404);
    assert.equal((await call(api.url, user, 'DELETE', `${path}/${schedule.id}`)).status, 204);
    assert.deepEqual(await schedules(account.id), []);
  });

  it('books an operation due now once, with a worker and the Lambda scheduling concurrently', async () => {
    const account = await openAccount(api.url, user);
    const schedule = await scheduleOperation(account.id, {
      amount: '42.00',
      reference: 'scheduled',
      runAt: new Date().toISOString(),
    });

    // Two schedulers without cron (Lambda-mode contexts) and the worker Lambda's schedule path,
    // all racing over the same due schedule, several rounds each.
    const workers: INestApplicationContext[] = await Promise.all(
      [1, 2].map(async () => (await createWorkerApp(testConfig(), 'lambda')).init()),
    );
    const handler = createHandler();
    try {
      for (let round = 0; round < 3; round++) {
        await Promise.all([
          ...workers.map((w) => w.get(TaskRunner).run(SCHEDULED_OPERATIONS_TASK)),
          handler({ task: SCHEDULED_OPERATIONS_TASK }, lambdaContext('codecraft-worker')),
        ]);
      }
    } finally {
      await handler.close();
      await Promise.all(workers.map((w) => w.close()));
    }
    const booked = await operations(account.id);
    assert.equal(booked.length, 1, 'booked exactly once');
    assert.equal(booked[0]?.scheduleId, schedule.id);
    assert.equal(booked[0].amount, '42.00');
    const [after] = await schedules(account.id);
    assert.equal(after?.status, 'DONE');
    assert.equal(after.runs, 1);
    assert.equal(after.lastOperationId, booked[0].id);
    assert.equal(after.nextRunAt, undefined);
    const state = await call(api.url, user, 'GET', `/accounts/${account.id}`);
    assert.equal(state.body.balance, '42.00');
  });

  it('books a recurring schedule again on its next tick, through the event → e-mail path', async () => {
    const account = await openAccount(api.url, user);
    const schedule = await scheduleOperation(account.id, {
      amount: '1.25',
      reference: 'pocket money',
      cron: '*/2 * * * * *',
    });
    // The long-running worker: cron scheduler, outbox relay, notifications consumer.
    const worker = await createWorkerApp(testConfig(), 'process');
    await worker.init();
    try {
      const booked = await eventually(
        async () => {
          const items = await operations(account.id);
          return items.length >= 2 ? items : undefined;
        },
        20_000,
        'two occurrences',
      );
      assert.ok(booked.every((o) => o.scheduleId === schedule.id));
      const [newest, previous] = booked;
      assert.ok(newest && previous);
      assert.ok(
        Date.parse(newest.bookedAt) - Date.parse(previous.bookedAt) >= 1000,
        'occurrences are on different ticks',
      );
      const emails = await emailsTo(account.email, 2, 0);
      assert.ok(emails.every((e) => e.subject === 'Deposit of 1.25 EUR received'));
      const [current] = await schedules(account.id);
      assert.equal(current?.status, 'ACTIVE');
      assert.ok(current.runs >= 2);
      assert.ok(Date.parse(current.nextRunAt ?? '') > Date.parse(newest.bookedAt) - 1000);
    } finally {
      await worker.close();
    }
  });

  it('declares the EventBridge schedules the worker Lambda runs, for tasks the worker has', async () => {
    const worker = await createWorkerApp(testConfig(), 'lambda');
    await worker.init();
    try {
      const tasks = new Set(
        worker
          .get(TaskRunner)
          .list()
          .map((t) => t.options.name),
      );
      const declared = resourceManifest.schedules.map((s) => s.task);
      assert.ok(declared.includes(SCHEDULED_OPERATIONS_TASK));
      assert.ok(declared.includes('bank-event-relay'));
      for (const task of declared) assert.ok(tasks.has(task), `task ${task} is registered`);
      const names = new ResourceNames(testConfig().prefix);
      for (const schedule of resourceManifest.schedules) {
        const rule = await aws().events.send(
          new DescribeRuleCommand({ Name: names.rule(schedule.name) }),
        );
        assert.equal(rule.ScheduleExpression, schedule.expression);
        // The Lambda derives the task from the rule name when the event has no {task} input.
        assert.equal(schedule.name, schedule.task);
      }
    } finally {
      await worker.close();
    }
  });
});
