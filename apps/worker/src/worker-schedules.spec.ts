import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { resourceManifest } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { cloudSchedule, SCHEDULED_TASK, type ScheduledTaskOptions } from '#libs/platform';
// Both apps, as `npm run bootstrap` loads them: the manifest is what they wire.
import '../../api/src/api.module.js';
import { WorkerModule, type WorkerRuntime } from './worker.module.js';

/** The @ScheduledTask providers reachable from the worker module, read from Nest's metadata. */
function scheduledTasks(runtime: WorkerRuntime): ScheduledTaskOptions[] {
  const seen = new Set<unknown>();
  const tasks = new Map<string, ScheduledTaskOptions>();
  const provider = (entry: unknown) => {
    const type =
      typeof entry === 'function' ? entry : (entry as { useClass?: unknown } | undefined)?.useClass;
    if (typeof type !== 'function') return;
    const options = Reflect.getMetadata(SCHEDULED_TASK, type) as ScheduledTaskOptions | undefined;
    if (options) tasks.set(options.name, options);
  };
  const visit = (entry: unknown): void => {
    if (!entry || seen.has(entry)) return;
    seen.add(entry);
    if (typeof entry === 'function') {
      const metadata = (key: string) => (Reflect.getMetadata(key, entry) ?? []) as unknown[];
      metadata(MODULE_METADATA.IMPORTS).forEach(visit);
      metadata(MODULE_METADATA.PROVIDERS).forEach(provider);
      return;
    }
    if (typeof entry !== 'object') return;
    const dynamic = entry as { forwardRef?: () => unknown; module?: unknown; imports?: unknown[] };
    if (dynamic.forwardRef) {
      visit(dynamic.forwardRef());
      return;
    }
    visit(dynamic.module);
    (dynamic.imports ?? []).forEach(visit);
    ((entry as { providers?: unknown[] }).providers ?? []).forEach(provider);
  };
  visit(WorkerModule.forRoot(AppConfig.fromEnv({}), runtime));
  return [...tasks.values()];
}

describe('worker schedules and the resource manifest', () => {
  it('gives every task of the worker Lambda one schedule rule, and no rule without a task', () => {
    const tasks = scheduledTasks('lambda').filter((t) => cloudSchedule(t));
    assert.ok(tasks.length >= 5, 'the domains are wired');
    for (const task of tasks) {
      const expression = cloudSchedule(task);
      const rules = resourceManifest.schedules.filter((s) => s.task === task.name);
      assert.equal(rules.length, 1, `one schedule rule for ${task.name}`);
      // The worker Lambda falls back to the rule name when the event carries no {task}.
      assert.deepEqual(
        { name: rules[0]?.name, expression: rules[0]?.expression },
        { name: task.name, expression },
      );
    }
    assert.deepEqual(
      resourceManifest.schedules.map((s) => s.task).sort(),
      tasks.map((t) => t.name).sort(),
      'every schedule rule runs a task the worker Lambda has',
    );
  });

  it('gives process-only tasks no schedule rule, each with its reason', () => {
    const processOnly = scheduledTasks('process').filter((t) => !cloudSchedule(t));
    assert.deepEqual(
      processOnly.map((t) => t.name),
      ['heartbeat'],
    );
    for (const task of processOnly) {
      assert.ok(typeof task.schedule === 'object' && task.schedule.processOnly.length > 20);
      assert.ok(!resourceManifest.schedules.some((s) => s.task === task.name));
    }
  });

  it('alarms on the dead letters and the backlog of every queue', () => {
    for (const queue of resourceManifest.queues) {
      const on = (metric: string, key: 'queue' | 'deadLetterQueue') =>
        resourceManifest.alarms.filter(
          (a) =>
            a.metric === metric &&
            Object.values(a.dimensions).some(
              (d) => key in d && d[key as keyof typeof d] === queue.name,
            ),
        );
      assert.equal(
        on('ApproximateNumberOfMessagesVisible', 'deadLetterQueue').length,
        1,
        queue.name,
      );
      assert.equal(on('ApproximateAgeOfOldestMessage', 'queue').length, 1, queue.name);
    }
  });

  it('declares every e-mail template a rule routes to', () => {
    const templates = new Set(resourceManifest.emailTemplates.map((t) => t.name));
    for (const rule of resourceManifest.rules) {
      const named = /"template":"([\w-]+)"/.exec(rule.targetInputTemplate ?? '')?.[1];
      if (named) assert.ok(templates.has(named), `template ${named} of rule ${rule.name}`);
    }
  });
});
