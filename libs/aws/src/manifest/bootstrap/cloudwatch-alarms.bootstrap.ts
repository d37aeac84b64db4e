import {
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type CloudWatchClient,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import type { ResourceNames } from '../../resource-names.js';
import type { AlarmSpec, DimensionValue } from '../manifest.types.js';
import type { StepLog } from './bootstrap-support.js';

/** DescribeAlarms takes at most 100 names. */
const DESCRIBE_BATCH = 100;

type AlarmInput = PutMetricAlarmCommandInput & { AlarmName: string };

/** Metric alarms, with logical names in their dimensions resolved to this environment's. */
export class CloudWatchAlarms {
  constructor(
    private readonly cloudwatch: CloudWatchClient,
    private readonly names: ResourceNames,
    private readonly metricsNamespace: string,
    private readonly log: StepLog,
  ) {}

  async ensureAll(specs: readonly AlarmSpec[]): Promise<void> {
    const wanted = specs.map((spec) => this.input(spec));
    const current = await this.describe(wanted.map((w) => w.AlarmName));
    for (const input of wanted) {
      const existing = current.get(input.AlarmName);
      if (existing && sameAlarm(existing, input)) {
        this.log.record('alarm', input.AlarmName, 'unchanged');
        continue;
      }
      await this.cloudwatch.send(new PutMetricAlarmCommand(input));
      this.log.record('alarm', input.AlarmName, existing ? 'updated' : 'created');
    }
  }

  private input(spec: AlarmSpec): AlarmInput {
    return {
      AlarmName: this.names.alarm(spec.name),
      AlarmDescription: spec.purpose,
      Namespace: spec.namespace === 'app' ? this.metricsNamespace : spec.namespace,
      MetricName: spec.metric,
      Dimensions: Object.entries(spec.dimensions)
        .map(([Name, value]) => ({ Name, Value: this.dimension(value) }))
        .sort((a, b) => a.Name.localeCompare(b.Name)),
      Statistic: spec.statistic,
      Period: spec.periodSeconds,
      EvaluationPeriods: spec.evaluationPeriods,
      Threshold: spec.threshold,
      ComparisonOperator: spec.comparison,
      TreatMissingData: spec.treatMissingData,
    };
  }

  private dimension(value: DimensionValue): string {
    if ('queue' in value) return this.names.queue(value.queue);
    if ('deadLetterQueue' in value) return this.names.deadLetterQueue(value.deadLetterQueue);
    if ('service' in value) return this.names.metricsService(value.service);
    return value.value;
  }

  private async describe(names: readonly string[]): Promise<Map<string, MetricAlarm>> {
    const found = new Map<string, MetricAlarm>();
    for (let i = 0; i < names.length; i += DESCRIBE_BATCH) {
      let token: string | undefined;
      do {
        const page = await this.cloudwatch.send(
          new DescribeAlarmsCommand({
            AlarmNames: names.slice(i, i + DESCRIBE_BATCH),
            AlarmTypes: ['MetricAlarm'],
            NextToken: token,
          }),
        );
        for (const alarm of page.MetricAlarms ?? [])
          if (alarm.AlarmName) found.set(alarm.AlarmName, alarm);
        token = page.NextToken;
      } while (token);
    }
    return found;
  }
}

function sameAlarm(current: MetricAlarm, wanted: AlarmInput): boolean {
  const dimensions = (list: readonly { Name?: string; Value?: string }[] | undefined) =>
    JSON.stringify(
      (list ?? [])
        .map((d) => [d.Name ?? '', d.Value ?? ''])
        .sort(([a = ''], [b = '']) => a.localeCompare(b)),
    );
  return (
    current.AlarmDescription === wanted.AlarmDescription &&
    current.Namespace === wanted.Namespace &&
    current.MetricName === wanted.MetricName &&
    dimensions(current.Dimensions) === dimensions(wanted.Dimensions) &&
    current.Statistic === wanted.Statistic &&
    current.Period === wanted.Period &&
    current.EvaluationPeriods === wanted.EvaluationPeriods &&
    current.Threshold === wanted.Threshold &&
    current.ComparisonOperator === wanted.ComparisonOperator &&
    (current.TreatMissingData ?? 'missing') === wanted.TreatMissingData
  );
}
