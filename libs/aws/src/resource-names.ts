/** Turns logical resource names from the manifest into physical, prefixed ones. */
export class ResourceNames {
  constructor(readonly prefix: string) {}

  table(name: string): string {
    return `${this.prefix}-${name}`;
  }
  queue(name: string): string {
    return `${this.prefix}-${name}`;
  }
  deadLetterQueue(name: string): string {
    return `${this.prefix}-${name}-dlq`;
  }
  bucket(name: string): string {
    return `${this.prefix}-${name}`;
  }
  bus(name: string): string {
    return `${this.prefix}-${name}`;
  }
  rule(name: string): string {
    return `${this.prefix}-${name}`;
  }
  secret(name: string): string {
    return `${this.prefix}/${name}`;
  }
  userPool(name: string): string {
    return `${this.prefix}-${name}`;
  }
  alarm(name: string): string {
    return `${this.prefix}-${name}`;
  }
  /** The `service` dimension of an app's EMF metrics (EmfMetrics writes `${prefix}-worker`). */
  metricsService(app: string): string {
    return `${this.prefix}-${app}`;
  }
}
