/** Declarative description of every AWS resource the system needs (logical names, no prefix). */

export type KeyType = 'S' | 'N';
export interface KeySpec {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
}

export interface TableSpec {
  readonly name: string;
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
  readonly indexes?: readonly IndexSpec[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes expired items. */
  readonly ttlAttribute?: string;
  readonly purpose: string;
}

export interface QueueSpec {
  readonly name: string;
  /** Seconds a received message stays invisible; must exceed the longest handler run. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to `${name}-dlq`. */
  readonly maxReceiveCount: number;
  readonly retentionSeconds?: number;
  readonly purpose: string;
}

export interface BucketNotificationSpec {
  readonly prefix: string;
  readonly queue: string;
  readonly events: readonly string[];
}

export interface BucketCorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly ('GET' | 'PUT' | 'POST' | 'HEAD' | 'DELETE')[];
  readonly allowedHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

export interface BucketSpec {
  readonly name: string;
  readonly notifications: readonly BucketNotificationSpec[];
  /** Browser access through presigned URLs (the signature is the credential, not the origin). */
  readonly cors?: readonly BucketCorsRule[];
  readonly purpose: string;
}

export interface EventBusSpec {
  readonly name: string;
  readonly purpose: string;
}

export interface RuleSpec {
  readonly name: string;
  readonly bus: string;
  readonly pattern: Readonly<Record<string, unknown>>;
  readonly queue: string;
  /**
   * InputTransformer template of the queue target (may use `<aws.events.event.json>`); without
   * it the queue receives the event itself.
   */
  readonly targetInputTemplate?: string;
  readonly purpose: string;
}

/**
 * A scheduled EventBridge rule that invokes the worker Lambda with `{"task": task}`. The
 * long-running worker runs the same task with its own cron; emulators get the rule without a
 * target (there is no worker function to invoke).
 */
export interface ScheduleSpec {
  readonly name: string;
  /** Name of a @ScheduledTask. */
  readonly task: string;
  /** `rate(1 minute)` or `cron(...)` (EventBridge syntax). */
  readonly expression: string;
  readonly purpose: string;
}

export interface EmailTemplateSpec {
  readonly name: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface SecretSpec {
  readonly name: string;
  /** Local emulators only: how to fill the secret when the bootstrap creates it. */
  readonly generate: 'password' | 'sender-address';
  readonly purpose: string;
}

export interface UserPoolSpec {
  readonly name: string;
  readonly clientName: string;
  readonly groups: readonly string[];
  /** Created on emulators only; its password lives in the named secret. */
  readonly demoUser: { readonly secret: string; readonly groups: readonly string[] };
}

export interface ResourceManifest {
  readonly tables: readonly TableSpec[];
  readonly queues: readonly QueueSpec[];
  readonly buckets: readonly BucketSpec[];
  readonly buses: readonly EventBusSpec[];
  readonly rules: readonly RuleSpec[];
  readonly schedules: readonly ScheduleSpec[];
  readonly emailIdentities: readonly string[];
  readonly secrets: readonly SecretSpec[];
  readonly userPools: readonly UserPoolSpec[];
}
