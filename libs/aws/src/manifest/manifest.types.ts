/**
 * Declarative description of every AWS resource the system needs (logical names, no prefix). Each
 * lib declares its own part as a `ResourceFragment`; the manifest is assembled from them.
 */

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
 * target (there is no worker function to invoke). Derived from @ScheduledTask, never written by
 * hand: the rule is named like the task.
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

/** `app`: the namespace the services write their EMF metrics to (METRICS_NAMESPACE). */
export type AlarmNamespace = 'app' | `AWS/${string}`;

/** A dimension's value, by logical name where it names a resource (resolved per environment). */
export type DimensionValue =
  /** The physical name of a manifest queue. */
  | { readonly queue: string }
  /** The physical name of a manifest queue's dead-letter queue. */
  | { readonly deadLetterQueue: string }
  /** The EMF `service` dimension an app writes (`{ service: 'worker' }`: `${prefix}-worker`). */
  | { readonly service: string }
  | { readonly value: string };

export type AlarmStatistic = 'Average' | 'Maximum' | 'Minimum' | 'Sum' | 'SampleCount';
export type AlarmComparison =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/** A CloudWatch metric alarm on one metric (no actions yet: the cloud stack adds the topic). */
export interface AlarmSpec {
  readonly name: string;
  readonly namespace: AlarmNamespace;
  readonly metric: string;
  readonly dimensions: Readonly<Record<string, DimensionValue>>;
  readonly statistic: AlarmStatistic;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
  readonly comparison: AlarmComparison;
  /** What a period without data means (metrics written only when something happens: healthy). */
  readonly treatMissingData: 'notBreaching' | 'breaching' | 'ignore' | 'missing';
  readonly purpose: string;
}

/** A bucket notification declared by the lib whose queue receives it (not by the bucket's owner). */
export interface BucketNotificationFragment extends BucketNotificationSpec {
  readonly bucket: string;
}

/**
 * One lib's resources. Schedules are not declared here: they come from the @ScheduledTask classes.
 * Names are logical and unique across fragments; references (a rule's queue, a notification's
 * bucket, an alarm's queue) may name resources of this fragment, of the libs it imports, or of the
 * shared fragment in libs/aws.
 */
export interface ResourceFragment {
  /** The declaring lib (unique): `jobs`, `bank`, `platform/idempotency`... */
  readonly owner: string;
  readonly tables?: readonly TableSpec[];
  readonly queues?: readonly QueueSpec[];
  readonly buckets?: readonly Omit<BucketSpec, 'notifications'>[];
  readonly bucketNotifications?: readonly BucketNotificationFragment[];
  readonly buses?: readonly EventBusSpec[];
  readonly rules?: readonly RuleSpec[];
  readonly emailTemplates?: readonly EmailTemplateSpec[];
  readonly emailIdentities?: readonly string[];
  readonly secrets?: readonly SecretSpec[];
  readonly userPools?: readonly UserPoolSpec[];
  readonly alarms?: readonly AlarmSpec[];
}

export interface ResourceManifest {
  readonly tables: readonly TableSpec[];
  readonly queues: readonly QueueSpec[];
  readonly buckets: readonly BucketSpec[];
  readonly buses: readonly EventBusSpec[];
  readonly rules: readonly RuleSpec[];
  readonly schedules: readonly ScheduleSpec[];
  /**
   * Kept in the repository and nowhere else: the notifications lib renders them and sends simple
   * content, so they are not created in SES (one source, testable offline, the same everywhere).
   */
  readonly emailTemplates: readonly EmailTemplateSpec[];
  readonly emailIdentities: readonly string[];
  readonly secrets: readonly SecretSpec[];
  readonly userPools: readonly UserPoolSpec[];
  readonly alarms: readonly AlarmSpec[];
}
