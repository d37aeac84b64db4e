import { Injectable } from '@nestjs/common';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { AppConfig } from '#libs/config';

export { MetricUnit };
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

export interface MetricValue {
  readonly name: string;
  readonly unit: Unit;
  readonly value: number;
}

/**
 * CloudWatch metrics in Embedded Metric Format through Powertools Metrics: each `emit` writes one
 * EMF JSON line to stdout at once, which CloudWatch Logs turns into metrics (Lambda and
 * containers alike; no PutMetricData call, no batching state shared between concurrent messages).
 */
@Injectable()
export class EmfMetrics {
  private readonly metrics: Metrics;

  constructor(config: AppConfig) {
    this.metrics = new Metrics({
      namespace: config.metricsNamespace,
      serviceName: `${config.prefix}-worker`,
    });
  }

  emit(values: readonly MetricValue[], dimensions: Readonly<Record<string, string>> = {}): void {
    // Synchronous from the first add to the flush, so concurrent handlers cannot mix their values.
    for (const [name, value] of Object.entries(dimensions)) this.metrics.addDimension(name, value);
    for (const { name, unit, value } of values) this.metrics.addMetric(name, unit, value);
    this.metrics.publishStoredMetrics();
  }
}
