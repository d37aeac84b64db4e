import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { isAwsError } from '../../aws-errors.js';
import type { ResourceNames } from '../../resource-names.js';
import type { RuleSpec, ScheduleSpec } from '../manifest.types.js';
import { changed, required, sameJson, type Outcome, type StepLog } from './bootstrap-support.js';
import type { SqsQueues } from './sqs-queues.bootstrap.js';

/** Event buses, their rules to queues (after the queues), and the schedule rules of the tasks. */
export class EventBridgeRules {
  constructor(
    private readonly events: EventBridgeClient,
    private readonly queues: SqsQueues,
    private readonly names: ResourceNames,
    private readonly log: StepLog,
  ) {}

  async ensureBus(logical: string): Promise<void> {
    const name = this.names.bus(logical);
    const exists = await this.events
      .send(new DescribeEventBusCommand({ Name: name }))
      .then(() => true)
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return false;
        throw error;
      });
    if (!exists) await this.events.send(new CreateEventBusCommand({ Name: name }));
    this.log.record('event-bus', name, exists ? 'unchanged' : 'created');
  }

  async ensureRule(spec: RuleSpec): Promise<void> {
    const name = this.names.rule(spec.name);
    const bus = this.names.bus(spec.bus);
    const pattern = JSON.stringify(spec.pattern);
    const current = await this.describe(name, bus);
    let outcome: Outcome = 'unchanged';
    let ruleArn = current?.Arn;
    if (!current || !sameJson(current.EventPattern, pattern) || current.State !== 'ENABLED') {
      const put = await this.events.send(
        new PutRuleCommand({
          Name: name,
          EventBusName: bus,
          EventPattern: pattern,
          State: 'ENABLED',
          Description: spec.purpose,
        }),
      );
      outcome = current ? 'updated' : 'created';
      ruleArn = required(put.RuleArn, 'RuleArn');
    }
    if (ruleArn) await this.queues.allowServiceToSend(spec.queue, ruleArn, 'events.amazonaws.com');
    if (await this.ensureQueueTarget(name, bus, spec)) outcome = changed(outcome);
    this.log.record('rule', name, outcome);
  }

  /**
   * The schedule rule on the default bus. Its target (the worker function, input
   * `{"task": ...}`) belongs to the cloud stack: locally nothing could be invoked.
   */
  async ensureSchedule(spec: ScheduleSpec): Promise<void> {
    const name = this.names.rule(spec.name);
    const current = await this.describe(name);
    if (current?.ScheduleExpression === spec.expression && current.State === 'ENABLED') {
      this.log.record('schedule', name, 'unchanged');
      return;
    }
    await this.events.send(
      new PutRuleCommand({
        Name: name,
        ScheduleExpression: spec.expression,
        State: 'ENABLED',
        Description: `${spec.purpose} (task ${spec.task})`,
      }),
    );
    this.log.record('schedule', name, current ? 'updated' : 'created');
  }

  private describe(name: string, bus?: string) {
    return this.events
      .send(new DescribeRuleCommand({ Name: name, ...(bus ? { EventBusName: bus } : {}) }))
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      });
  }

  /** Returns true when it had to put the queue target (or its input template). */
  private async ensureQueueTarget(rule: string, bus: string, spec: RuleSpec): Promise<boolean> {
    const queueArn = this.queues.arn(spec.queue);
    const targets = await this.events.send(
      new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus }),
    );
    const template = spec.targetInputTemplate;
    const inSync = (targets.Targets ?? []).some(
      (t) => t.Arn === queueArn && t.InputTransformer?.InputTemplate === template,
    );
    if (inSync) return false;
    await this.events.send(
      new PutTargetsCommand({
        Rule: rule,
        EventBusName: bus,
        Targets: [
          {
            Id: spec.queue,
            Arn: queueArn,
            ...(template ? { InputTransformer: { InputTemplate: template } } : {}),
          },
        ],
      }),
    );
    return true;
  }
}
