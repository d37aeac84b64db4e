import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceManifest } from '#libs/aws';
import { notificationsResources } from '#libs/notifications';
import { SCHEDULED_TASK, type ScheduledTaskOptions } from '#libs/platform';
import { BANK_EVENT_RELAY_TASK, BankEventRelayTask } from './bank-event-relay.task.js';
import { LARGE_OPERATION_MINOR_UNITS } from './bank.resources.js';
import { BANK_TEMPLATES } from './domain/bank-event.js';
import { MAX_OPERATION_MINOR } from './domain/money.js';
import { SCHEDULED_OPERATIONS_TASK, ScheduledOperationsTask } from './scheduled-operations.task.js';

describe('bank resources in the manifest', () => {
  it('declares an EventBridge schedule for each bank task, named like the task', () => {
    for (const [task, type] of [
      [SCHEDULED_OPERATIONS_TASK, ScheduledOperationsTask],
      [BANK_EVENT_RELAY_TASK, BankEventRelayTask],
    ] as const) {
      const options = Reflect.getMetadata(SCHEDULED_TASK, type) as ScheduledTaskOptions;
      assert.equal(options.name, task);
      const schedule = resourceManifest.schedules.find((s) => s.task === task);
      assert.ok(schedule, `schedule for ${task}`);
      // The worker Lambda falls back to the rule name when the event carries no {task}.
      assert.equal(schedule.name, task);
      assert.equal(schedule.expression, options.schedule);
    }
  });

  it('routes every bank template by one rule each, to the notifications queue', () => {
    const bankRules = resourceManifest.rules.filter((r) => r.bus === 'bank');
    const templates = bankRules.map(
      (r) => /"template":"([\w-]+)"/.exec(r.targetInputTemplate ?? '')?.[1],
    );
    assert.deepEqual([...templates].sort(), [...BANK_TEMPLATES].sort());
    for (const rule of bankRules) {
      assert.equal(rule.queue, 'notifications');
      assert.ok(rule.targetInputTemplate?.includes('<aws.events.event.json>'));
    }
    for (const template of BANK_TEMPLATES) {
      assert.ok(
        resourceManifest.emailTemplates.some((t) => t.name === template),
        `template ${template} in the repository`,
      );
    }
    const large = bankRules.find((r) => r.name === 'bank-large-operations');
    assert.deepEqual(large?.pattern.detail, {
      amountMinor: [{ numeric: ['>=', LARGE_OPERATION_MINOR_UNITS] }],
    });
    // Within EventBridge's numeric range, and reachable by one operation.
    const atMost = (value: number, limit: number) => value <= limit;
    assert.ok(atMost(LARGE_OPERATION_MINOR_UNITS, MAX_OPERATION_MINOR));
    assert.ok(atMost(MAX_OPERATION_MINOR, 5e9));
  });

  it('alarms on its queue, on every template failing and on a stuck outbox', () => {
    const alarms = new Set(resourceManifest.alarms.map((a) => a.name));
    for (const name of [
      'notifications-dlq-depth',
      'notifications-oldest-message-age',
      'bank-event-outbox-backlog-age',
      ...BANK_TEMPLATES.map((t) => `emails-failed-${t}`),
    ])
      assert.ok(alarms.has(name), `alarm ${name}`);
  });

  it('creates the SES sender secret locally', () => {
    assert.equal(
      notificationsResources.secrets.find((s) => s.name === 'ses-sender')?.generate,
      'sender-address',
    );
  });
});
