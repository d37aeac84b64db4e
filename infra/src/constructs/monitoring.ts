import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmSpec, DimensionValue, ResourceNames } from '#libs/aws';

/** A manifest dimension's value in this environment (as the emulator bootstrap resolves it). */
export function dimensionValue(names: ResourceNames, value: DimensionValue): string {
  if ('queue' in value) return names.queue(value.queue);
  if ('deadLetterQueue' in value) return names.deadLetterQueue(value.deadLetterQueue);
  if ('service' in value) return names.metricsService(value.service);
  return value.value;
}

const TREAT_MISSING: Record<AlarmSpec['treatMissingData'], cloudwatch.TreatMissingData> = {
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
  breaching: cloudwatch.TreatMissingData.BREACHING,
  ignore: cloudwatch.TreatMissingData.IGNORE,
  missing: cloudwatch.TreatMissingData.MISSING,
};

const COMPARISON: Record<AlarmSpec['comparison'], cloudwatch.ComparisonOperator> = {
  GreaterThanThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  GreaterThanOrEqualToThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  LessThanThreshold: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  LessThanOrEqualToThreshold: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

/** Thresholds of the alarms only the cloud has (the manifest's carry their own). */
export const CLOUD_THRESHOLDS = {
  /** Per cent of API requests answered 5xx in five minutes. */
  api5xxPercent: 5,
  /** p95 latency of the API in ms, over five minutes, twice in a row. */
  apiP95LatencyMs: 3000,
  /** SES reviews an account at 5 % bounces and 0.1 % complaints: warn at half of each. */
  sesBounceRate: 0.025,
  sesComplaintRate: 0.0005,
} as const;

export interface MonitoredResources {
  readonly alarms: readonly AlarmSpec[];
  readonly metricsNamespace: string;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly apiStage: apigwv2.HttpStage;
  readonly tables: ReadonlyMap<string, dynamodb.ITable>;
  readonly queues: ReadonlyMap<string, { queue: sqs.IQueue; deadLetterQueue: sqs.IQueue }>;
  readonly rules: ReadonlyMap<string, { rule: events.IRule; busName: string }>;
  readonly schedules: scheduler.IScheduleGroup;
  /** Dead-letter queues outside the manifest (cloud only), by alarm name. */
  readonly extraDeadLetterQueues: readonly { name: string; queue: sqs.IQueue; what: string }[];
}

/**
 * Every alarm on one SNS topic (its e-mail subscription is a stack parameter) and one dashboard.
 * The manifest's alarms (queues, EMF metrics the services write), then what only the cloud has:
 * function errors and throttles, the API's 5xx rate and p95 latency, SES reputation, DynamoDB
 * throttles, rule deliveries that failed, schedules that could not run.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  private readonly action: actions.SnsAction;

  constructor(
    scope: Construct,
    id: string,
    props: { names: ResourceNames; alarmEmail: string; resources: MonitoredResources },
  ) {
    super(scope, id);
    const { names, resources } = props;
    this.topic = new sns.Topic(this, 'Alarms', {
      topicName: `${names.prefix}-alarms`,
      displayName: 'CodeCraft alarms',
      enforceSSL: true,
    });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new actions.SnsAction(this.topic);

    for (const spec of resources.alarms) this.manifestAlarm(names, spec, resources);
    this.cloudAlarms(names, resources);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${names.prefix}-overview`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: this.alarms,
        width: 24,
        height: Math.min(12, 2 + Math.ceil(this.alarms.length / 4)),
      }),
    );
    this.dashboard.addWidgets(...this.graphs(resources));
  }

  private add(id: string, props: cloudwatch.AlarmProps): void {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }

  private manifestAlarm(names: ResourceNames, spec: AlarmSpec, resources: MonitoredResources) {
    this.add(spec.name, {
      alarmName: names.alarm(spec.name),
      alarmDescription: spec.purpose,
      metric: new cloudwatch.Metric({
        namespace: spec.namespace === 'app' ? resources.metricsNamespace : spec.namespace,
        metricName: spec.metric,
        dimensionsMap: Object.fromEntries(
          Object.entries(spec.dimensions).map(([key, value]) => [
            key,
            dimensionValue(names, value),
          ]),
        ),
        statistic: spec.statistic,
        period: Duration.seconds(spec.periodSeconds),
      }),
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      comparisonOperator: COMPARISON[spec.comparison],
      treatMissingData: TREAT_MISSING[spec.treatMissingData],
    });
  }

  private cloudAlarms(names: ResourceNames, resources: MonitoredResources): void {
    const fiveMinutes = Duration.minutes(5);
    const anyOf = (
      id: string,
      name: string,
      metric: cloudwatch.IMetric,
      description: string,
    ): void => {
      this.add(id, {
        alarmName: names.alarm(name),
        alarmDescription: description,
        metric,
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    };

    for (const [app, fn] of Object.entries(resources.functions)) {
      anyOf(
        `${app}-errors`,
        `${app}-function-errors`,
        fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        `The ${app} function failed (an uncaught error, a timeout or running out of memory)`,
      );
      anyOf(
        `${app}-throttles`,
        `${app}-function-throttles`,
        fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        `The ${app} function was throttled (account or event-source concurrency exhausted)`,
      );
    }

    const stage = resources.apiStage;
    this.add('api-5xx-rate', {
      alarmName: names.alarm('api-5xx-rate'),
      alarmDescription: `More than ${CLOUD_THRESHOLDS.api5xxPercent} % of API requests answered 5xx in 5 minutes`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: stage.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
          requests: stage.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
        },
        label: '5xx %',
        period: fiveMinutes,
      }),
      threshold: CLOUD_THRESHOLDS.api5xxPercent,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.add('api-p95-latency', {
      alarmName: names.alarm('api-p95-latency'),
      alarmDescription: `API p95 latency above ${CLOUD_THRESHOLDS.apiP95LatencyMs} ms for 10 minutes`,
      metric: stage.metricLatency({ period: fiveMinutes, statistic: 'p95' }),
      threshold: CLOUD_THRESHOLDS.apiP95LatencyMs,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const reputation = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        statistic: 'Maximum',
        period: Duration.minutes(15),
      });
    for (const [id, metric, threshold, what] of [
      ['ses-bounce-rate', 'Reputation.BounceRate', CLOUD_THRESHOLDS.sesBounceRate, 'bounce'],
      [
        'ses-complaint-rate',
        'Reputation.ComplaintRate',
        CLOUD_THRESHOLDS.sesComplaintRate,
        'complaint',
      ],
    ] as const) {
      this.add(id, {
        alarmName: names.alarm(id),
        alarmDescription: `The account's SES ${what} rate is at half the level where SES reviews it`,
        metric: reputation(metric),
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    for (const [name, table] of resources.tables) {
      anyOf(
        `${name}-throttles`,
        `${name}-table-throttles`,
        new cloudwatch.MathExpression({
          expression: 'FILL(reads, 0) + FILL(writes, 0)',
          usingMetrics: {
            reads: table.metric('ReadThrottleEvents', { period: fiveMinutes, statistic: 'Sum' }),
            writes: table.metric('WriteThrottleEvents', { period: fiveMinutes, statistic: 'Sum' }),
          },
          label: 'throttled requests',
          period: fiveMinutes,
        }),
        `Requests to the ${name} table throttled`,
      );
    }

    for (const [name, { rule, busName }] of resources.rules) {
      anyOf(
        `${name}-failed-invocations`,
        `${name}-rule-failed-invocations`,
        new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName: 'FailedInvocations',
          // Rules on a custom bus report under both dimensions.
          dimensionsMap: { EventBusName: busName, RuleName: rule.ruleName },
          statistic: 'Sum',
          period: fiveMinutes,
        }),
        `Events of rule ${name} that EventBridge could not deliver to their queue`,
      );
    }

    const group = resources.schedules;
    anyOf(
      'schedule-target-errors',
      'schedule-target-errors',
      group.metricTargetErrors({ period: fiveMinutes, statistic: 'Sum' }),
      'The scheduler could not invoke the worker for a scheduled task',
    );
    anyOf(
      'schedule-dropped',
      'schedule-dropped-runs',
      group.metricDropped({ period: fiveMinutes, statistic: 'Sum' }),
      'Scheduled task runs dropped: every retry failed within the run’s period (the task lags)',
    );
    for (const { name, queue, what } of resources.extraDeadLetterQueues) {
      anyOf(
        `${name}-depth`,
        `${name}-depth`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: fiveMinutes,
          statistic: 'Maximum',
        }),
        what,
      );
    }
  }

  private graphs(resources: MonitoredResources): cloudwatch.IWidget[] {
    const fiveMinutes = Duration.minutes(5);
    const stage = resources.apiStage;
    const functions = Object.entries(resources.functions);
    const queues = [...resources.queues.entries()];
    return [
      new cloudwatch.GraphWidget({
        title: 'API requests and 5xx',
        width: 12,
        left: [stage.metricCount({ period: fiveMinutes, statistic: 'Sum' })],
        right: [stage.metricServerError({ period: fiveMinutes, statistic: 'Sum' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency p50 / p95',
        width: 12,
        left: ['p50', 'p95'].map((statistic) =>
          stage.metricLatency({ period: fiveMinutes, statistic, label: statistic }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Function invocations and errors',
        width: 12,
        left: functions.map(([app, fn]) =>
          fn.metricInvocations({ period: fiveMinutes, label: `${app} invocations` }),
        ),
        right: functions.map(([app, fn]) =>
          fn.metricErrors({ period: fiveMinutes, label: `${app} errors` }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration p95 (ms)',
        width: 12,
        left: functions.map(([app, fn]) =>
          fn.metricDuration({ period: fiveMinutes, statistic: 'p95', label: app }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Queue backlog (visible) and dead letters',
        width: 12,
        left: queues.map(([name, { queue }]) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, label: name }),
        ),
        right: queues.map(([name, { deadLetterQueue }]) =>
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: fiveMinutes,
            label: `${name} DLQ`,
          }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Oldest message age (s)',
        width: 12,
        left: queues.map(([name, { queue }]) =>
          queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, label: name }),
        ),
      }),
    ];
  }
}
