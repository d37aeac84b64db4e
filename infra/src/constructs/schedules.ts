import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ResourceNames, ScheduleSpec } from '#libs/aws';

/**
 * What the worker Lambda's handler takes as a scheduled run: `{"task": name}` (TaskInput in
 * apps/worker/src/lambda.ts), which it runs through the TaskRunner like the worker's cron does.
 */
export const scheduledTaskInput = (spec: ScheduleSpec) => ({ task: spec.task });

/**
 * An EventBridge Scheduler schedule per manifest schedule (that is, per @ScheduledTask with a cloud
 * schedule), named like the task, invoking the worker with the task's name. A run the worker
 * could not take within its period is pointless (the next run does the same work): one retry,
 * then the invocations DLQ, so that the alarm on dropped runs tells.
 */
export class TaskSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly byName = new Map<string, scheduler.Schedule>();

  constructor(
    scope: Construct,
    id: string,
    props: {
      specs: readonly ScheduleSpec[];
      names: ResourceNames;
      worker: lambda.IFunction;
      deadLetterQueue: sqs.IQueue;
    },
  ) {
    super(scope, id);
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: `${props.names.prefix}-tasks`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const spec of props.specs) {
      const schedule = new scheduler.Schedule(this, spec.name, {
        scheduleName: props.names.rule(spec.name),
        description: spec.purpose,
        scheduleGroup: this.group,
        schedule: scheduler.ScheduleExpression.expression(spec.expression),
        target: new LambdaInvoke(props.worker, {
          input: scheduler.ScheduleTargetInput.fromObject(scheduledTaskInput(spec)),
          retryAttempts: 1,
          maxEventAge: Duration.minutes(1),
          deadLetterQueue: props.deadLetterQueue,
        }),
      });
      this.byName.set(spec.name, schedule);
    }
  }
}
