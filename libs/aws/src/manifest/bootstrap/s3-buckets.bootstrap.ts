import {
  CreateBucketCommand,
  GetBucketCorsCommand,
  type GetBucketCorsCommandOutput,
  GetBucketNotificationConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketNotificationConfigurationCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isAwsError } from '../../aws-errors.js';
import type { ResourceNames } from '../../resource-names.js';
import type { BucketSpec } from '../manifest.types.js';
import { changed, type Outcome, type StepLog } from './bootstrap-support.js';
import type { SqsQueues } from './sqs-queues.bootstrap.js';

type CorsRule = NonNullable<GetBucketCorsCommandOutput['CORSRules']>[number];

/**
 * Private buckets: public access blocked, encrypted, with their queue notifications (after the
 * queues, which must allow S3 to send) and CORS rules.
 */
export class S3Buckets {
  constructor(
    private readonly s3: S3Client,
    private readonly queues: SqsQueues,
    private readonly names: ResourceNames,
    private readonly log: StepLog,
  ) {}

  async ensure(spec: BucketSpec): Promise<void> {
    const name = this.names.bucket(spec.name);
    let outcome: Outcome = 'unchanged';
    const exists = await this.s3
      .send(new HeadBucketCommand({ Bucket: name }))
      .then(() => true)
      .catch((error: unknown) => {
        if (isAwsError(error, 'NotFound', 'NoSuchBucket')) return false;
        throw error;
      });
    if (!exists) {
      await this.s3.send(new CreateBucketCommand({ Bucket: name }));
      outcome = 'created';
    }
    if (await this.ensurePrivate(name)) outcome = changed(outcome);
    if (await this.ensureNotifications(name, spec)) outcome = changed(outcome);
    if (await this.ensureCors(name, spec)) outcome = changed(outcome);
    this.log.record('bucket', name, outcome);
  }

  /** Blocks public access and turns default encryption on unless access is already blocked. */
  private async ensurePrivate(bucket: string): Promise<boolean> {
    const block = await this.s3
      .send(new GetPublicAccessBlockCommand({ Bucket: bucket }))
      .then((r) => r.PublicAccessBlockConfiguration)
      .catch((error: unknown) => {
        if (isAwsError(error, 'NoSuchPublicAccessBlockConfiguration')) return undefined;
        throw error;
      });
    const fullyBlocked =
      block?.BlockPublicAcls === true &&
      block.BlockPublicPolicy === true &&
      block.IgnorePublicAcls === true &&
      block.RestrictPublicBuckets === true;
    if (fullyBlocked) return false;
    await this.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await this.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    );
    return true;
  }

  /** Puts the spec's CORS rules unless the bucket already has exactly them. */
  private async ensureCors(bucket: string, spec: BucketSpec): Promise<boolean> {
    if (!spec.cors) return false;
    const wanted = spec.cors.map((rule) => ({
      AllowedOrigins: [...rule.allowedOrigins],
      AllowedMethods: [...rule.allowedMethods],
      AllowedHeaders: [...rule.allowedHeaders],
      ExposeHeaders: [...rule.exposeHeaders],
      MaxAgeSeconds: rule.maxAgeSeconds,
    }));
    const current = await this.s3
      .send(new GetBucketCorsCommand({ Bucket: bucket }))
      .then((r) => r.CORSRules ?? [])
      .catch((error: unknown) => {
        if (isAwsError(error, 'NoSuchCORSConfiguration')) return [];
        throw error;
      });
    if (sameCorsRules(current, wanted)) return false;
    await this.s3.send(
      new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: wanted } }),
    );
    return true;
  }

  private async ensureNotifications(bucket: string, spec: BucketSpec): Promise<boolean> {
    const wanted = spec.notifications.map((n) => ({
      Id: `${n.queue}-${n.prefix}`.replace(/[^\w-]/g, '-'),
      QueueArn: this.queues.arn(n.queue),
      Events: [...n.events],
      prefix: n.prefix,
    }));
    for (const n of spec.notifications) {
      await this.queues.allowServiceToSend(n.queue, `arn:aws:s3:::${bucket}`, 's3.amazonaws.com');
    }
    const current = await this.s3.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: bucket }),
    );
    // Compared by what they do, not by Id: the CDK stack's notifications handler names them
    // `<stack id>-<hash>`, and the same queue, events and prefix are the same notification.
    const key = (arn: string | undefined, events: readonly string[], prefix: string | undefined) =>
      JSON.stringify([arn ?? '', [...events].sort(), prefix ?? '']);
    const currentKeys = new Set(
      (current.QueueConfigurations ?? []).map((q) =>
        key(
          q.QueueArn,
          q.Events ?? [],
          q.Filter?.Key?.FilterRules?.find((r) => r.Name?.toLowerCase() === 'prefix')?.Value,
        ),
      ),
    );
    if (
      wanted.length === (current.QueueConfigurations ?? []).length &&
      wanted.every((w) => currentKeys.has(key(w.QueueArn, w.Events, w.prefix)))
    ) {
      return false;
    }
    await this.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          QueueConfigurations: wanted.map((w) => ({
            Id: w.Id,
            QueueArn: w.QueueArn,
            Events: w.Events.map((e) => e as 's3:ObjectCreated:*'),
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: w.prefix }] } },
          })),
        },
      }),
    );
    return true;
  }
}

/** Order- and case-insensitive comparison of CORS rule lists (emulators echo them reordered). */
function sameCorsRules(current: readonly CorsRule[], wanted: readonly CorsRule[]): boolean {
  const canonical = (rules: readonly CorsRule[]) =>
    JSON.stringify(
      rules.map((r) => ({
        origins: [...(r.AllowedOrigins ?? [])].sort(),
        methods: [...(r.AllowedMethods ?? [])].sort(),
        headers: (r.AllowedHeaders ?? []).map((h) => h.toLowerCase()).sort(),
        expose: [...(r.ExposeHeaders ?? [])].sort(),
        maxAge: r.MaxAgeSeconds ?? 0,
      })),
    );
  return canonical(current) === canonical(wanted);
}
