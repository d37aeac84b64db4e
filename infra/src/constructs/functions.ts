import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import type { QueueSpec, ResourceNames } from '#libs/aws';
import type { Env } from '#libs/config';
import type { StackSettings } from '../settings.js';
import type { Database } from './database.js';
import { imageCode, lambdaArchitecture } from './images.js';
import type { Network } from './network.js';

/** Only variables the apps' config schema defines (libs/config/src/config.schema.ts). */
export type FunctionEnvironment = Partial<Record<keyof Env, string>>;

/**
 * The worker's timeout: the longest run the manifest allows a message's handler (a queue's
 * visibility timeout "must exceed the longest handler run"), so that any message fits in one
 * invocation. The queues' visibility is derived from it in turn (6x, see Queues).
 */
export function workerTimeout(queues: readonly QueueSpec[]): Duration {
  return Duration.seconds(Math.max(60, ...queues.map((q) => q.visibilityTimeoutSeconds)));
}

/** API Gateway gives up after 30 s: the API function has no use for longer. */
const API_TIMEOUT = Duration.seconds(29);

/**
 * The worker's SQS event sources. Batches are processed in parallel (Powertools' BatchProcessor)
 * and failures reported per message. maxConcurrency caps the worker invocations one queue can
 * hold, so that a burst on one queue neither starves the others nor opens more MySQL connections
 * than a db.t4g.micro takes. Per-queue differences by logical name (checked against the manifest
 * by the stack test): images decode up to IMAGES_MAX_INPUT_PIXELS each, so two at a time.
 */
export const EVENT_SOURCE_DEFAULTS = {
  batchSize: 10,
  maxBatchingWindow: Duration.seconds(1),
  maxConcurrency: 5,
} as const;
export const EVENT_SOURCE_OVERRIDES: Readonly<
  Record<string, Partial<{ batchSize: number; maxConcurrency: number }>>
> = {
  images: { batchSize: 2 },
};

/**
 * The deployment runs the migrations: a function from the worker image whose handler applies
 * every pending migration and fails (so does the deployment) if one fails. Its CMD names that
 * handler in the image (apps/worker/src/lambda.ts must export `migrate`).
 */
export const MIGRATE_HANDLER = 'dist/apps/worker/src/lambda.migrate';

export interface FunctionsProps {
  readonly settings: StackSettings;
  readonly names: ResourceNames;
  readonly network: Network;
  readonly database: Database;
  /** Config shared by both apps (prefix, Cognito ids, sender, metrics namespace...). */
  readonly environment: FunctionEnvironment;
  readonly workerTimeout: Duration;
  /** Run before the functions change: the database is migrated first. */
  readonly migrateAfter: Construct[];
}

/**
 * The API and worker functions (Lambda container images, in the VPC's isolated subnets), and the
 * migration function run by a deployment trigger before either of them is updated.
 */
export class Functions extends Construct {
  readonly api: lambda.DockerImageFunction;
  readonly worker: lambda.DockerImageFunction;
  readonly migrate: lambda.DockerImageFunction;
  /** Where the worker's failed asynchronous invocations (scheduled task runs) end up. */
  readonly workerInvocationsDlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { settings, names, network, database } = props;
    const retain = settings.stage === 'prod';
    const environment: FunctionEnvironment = {
      ...props.environment,
      NODE_ENV: 'production',
      DB_SECRET_ID: database.secret.secretArn,
      // Migrations are the deployment's job (the trigger below), never a cold start's.
      DB_MIGRATIONS_RUN: 'false',
    };
    const common = (name: string, description: string) => ({
      functionName: `${names.prefix}-${name}`,
      description,
      architecture: lambdaArchitecture(settings.architecture),
      vpc: network.vpc,
      vpcSubnets: network.subnets,
      securityGroups: [network.functionsSecurityGroup],
      environment: Object.fromEntries(Object.entries(environment)),
      logGroup: new logs.LogGroup(this, `${name}-logs`, {
        logGroupName: `/aws/lambda/${names.prefix}-${name}`,
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      }),
    });

    this.api = new lambda.DockerImageFunction(this, 'Api', {
      ...common('api', 'CodeCraft HTTP API (Nest through serverless-express)'),
      code: imageCode(this, settings.images, 'lambda-api', settings.architecture),
      memorySize: 1024,
      timeout: API_TIMEOUT,
    });

    this.workerInvocationsDlq = new sqs.Queue(this, 'WorkerInvocationsDlq', {
      queueName: names.deadLetterQueue('worker-invocations'),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.worker = new lambda.DockerImageFunction(this, 'Worker', {
      ...common('worker', 'CodeCraft worker: SQS batches and scheduled tasks'),
      code: imageCode(this, settings.images, 'lambda-worker', settings.architecture),
      // sharp decodes and encodes images: memory is also the function's CPU share.
      memorySize: 2048,
      timeout: props.workerTimeout,
      deadLetterQueue: this.workerInvocationsDlq,
    });

    this.migrate = new lambda.DockerImageFunction(this, 'Migrate', {
      ...common('migrate', 'CodeCraft: applies pending SQL migrations (run by the deployment)'),
      code: imageCode(this, settings.images, 'lambda-worker', settings.architecture, [
        MIGRATE_HANDLER,
      ]),
      memorySize: 512,
      timeout: Duration.minutes(5),
    });
    database.secret.grantRead(this.migrate);
    new triggers.Trigger(this, 'RunMigrations', {
      handler: this.migrate,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout: Duration.minutes(5),
      executeAfter: [database.instance, ...props.migrateAfter],
      executeBefore: [this.api, this.worker],
    });
  }

  /** One SQS event source per manifest queue on the worker, with partial batch responses. */
  consume(queues: readonly { spec: QueueSpec; queue: sqs.IQueue }[]): void {
    for (const { spec, queue } of queues) {
      const tuning = { ...EVENT_SOURCE_DEFAULTS, ...EVENT_SOURCE_OVERRIDES[spec.name] };
      this.worker.addEventSource(
        new SqsEventSource(queue, {
          batchSize: tuning.batchSize,
          maxBatchingWindow: tuning.maxBatchingWindow,
          maxConcurrency: tuning.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
    }
  }
}

/** ARNs of the SES resources a function may send through. */
export interface SendingResources {
  readonly identityArns: readonly string[];
  readonly configurationSetName: string;
}

/** ses:SendEmail (SES v1, what libs/notifications calls) through our identities only. */
export function sendEmailStatement(
  scope: Construct,
  sending: SendingResources,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['ses:SendEmail', 'ses:SendRawEmail'],
    resources: [
      ...sending.identityArns,
      Stack.of(scope).formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: sending.configurationSetName,
      }),
    ],
  });
}

/**
 * List calls of the readiness probes (libs/platform/src/health) that AWS authorizes on `*` only:
 * none of these actions supports a resource in IAM. They reveal names, never contents.
 */
export function readinessProbeStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['secretsmanager:ListSecrets', 'ses:ListIdentities', 'cognito-idp:ListUserPools'],
    resources: ['*'],
  });
}
