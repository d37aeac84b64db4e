import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { BucketSpec, KeySpec, ResourceNames, TableSpec } from '#libs/aws';
import { fileStagingKey } from '#libs/files';
import type { Stage } from '../settings.js';

const attribute = (key: KeySpec): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

/**
 * Every manifest table: on demand, point-in-time recovery, AWS-managed encryption, TTL and GSIs
 * (projection ALL, as the bootstrap creates them). prod keeps them on stack deletion and refuses
 * to delete them at all.
 */
export class Tables extends Construct {
  readonly byName = new Map<string, dynamodb.Table>();

  constructor(
    scope: Construct,
    id: string,
    props: { specs: readonly TableSpec[]; names: ResourceNames; stage: Stage },
  ) {
    super(scope, id);
    const prod = props.stage === 'prod';
    for (const spec of props.specs) {
      const table = new dynamodb.Table(this, spec.name, {
        tableName: props.names.table(spec.name),
        partitionKey: attribute(spec.partitionKey),
        ...(spec.sortKey ? { sortKey: attribute(spec.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
        deletionProtection: prod,
        removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      for (const index of spec.indexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      this.byName.set(spec.name, table);
    }
  }
}

/**
 * Where libs/files stages presigned uploads: the fixed key prefix its staging keys share, or
 * undefined when they share none (a lifecycle rule filters by prefix only, not by suffix).
 * Derived from the lib's own key function, so a move of the staging keys moves the rule.
 */
export function stagingPrefix(
  stagingKey: (projectId: string, fileId: string) => string = fileStagingKey,
): string | undefined {
  const a = stagingKey('project-a', 'file-a');
  const b = stagingKey('project-b', 'file-b');
  let common = 0;
  while (common < a.length && a[common] === b[common]) common++;
  const prefix = a.slice(0, a.lastIndexOf('/', common - 1) + 1);
  return prefix === '' ? undefined : prefix;
}

/**
 * A staging object left behind by an upload that never completed is garbage once its PENDING
 * item has expired: upload URLs live at most an hour, PENDING items a day longer.
 */
export const STAGING_EXPIRY_DAYS = 2;

/**
 * The manifest's bucket(s): private (all public access blocked, TLS 1.2+ only), S3-managed
 * encryption, versioned, CORS as declared (presigned browser uploads), the manifest's event
 * notifications to their queues. Lifecycle: incomplete multipart uploads aborted after a day,
 * old versions expired after 30 days, abandoned staging objects expired. Kept on stack deletion.
 */
export class Buckets extends Construct {
  readonly byName = new Map<string, s3.Bucket>();

  constructor(
    scope: Construct,
    id: string,
    props: {
      specs: readonly BucketSpec[];
      names: ResourceNames;
      queue: (logical: string) => sqs.IQueue;
      /** Where abandoned upload staging objects live (stagingPrefix()); none: no rule. */
      stagingPrefix: string | undefined;
    },
  ) {
    super(scope, id);
    const staging = props.stagingPrefix;
    for (const spec of props.specs) {
      const bucket = new s3.Bucket(this, spec.name, {
        bucketName: props.names.bucket(spec.name),
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        removalPolicy: RemovalPolicy.RETAIN,
        cors: (spec.cors ?? []).map((rule) => ({
          allowedOrigins: [...rule.allowedOrigins],
          allowedMethods: rule.allowedMethods.map((m) => s3.HttpMethods[m]),
          allowedHeaders: [...rule.allowedHeaders],
          exposedHeaders: [...rule.exposeHeaders],
          maxAge: rule.maxAgeSeconds,
        })),
        lifecycleRules: [
          {
            id: 'abort-incomplete-multipart-uploads',
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
          {
            id: 'expire-old-versions',
            noncurrentVersionExpiration: Duration.days(30),
            expiredObjectDeleteMarker: true,
          },
          ...(staging
            ? [
                {
                  id: 'expire-abandoned-staging-objects',
                  prefix: staging,
                  expiration: Duration.days(STAGING_EXPIRY_DAYS),
                },
              ]
            : []),
        ],
      });
      for (const notification of spec.notifications) {
        for (const event of notification.events) {
          bucket.addEventNotification(
            s3EventType(event),
            new s3n.SqsDestination(props.queue(notification.queue)),
            { prefix: notification.prefix },
          );
        }
      }
      this.byName.set(spec.name, bucket);
    }
  }
}

const S3_EVENT_TYPES = new Map<string, s3.EventType>(
  Object.values(s3.EventType).map((type) => [type, type]),
);

function s3EventType(event: string): s3.EventType {
  const known = S3_EVENT_TYPES.get(event);
  if (!known) throw new Error(`Unknown S3 event type ${event} in the manifest`);
  return known;
}
