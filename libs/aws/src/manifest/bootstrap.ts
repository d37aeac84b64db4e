import { randomBytes } from 'node:crypto';
import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetGroupCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
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
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  paginateListIdentities,
  VerifyEmailIdentityCommand,
  type SESClient,
} from '@aws-sdk/client-ses';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '../aws-clients.js';
import { ensureUser } from '../cognito-users.js';
import { isAwsError } from '../aws-errors.js';
import { ResourceNames } from '../resource-names.js';
import type {
  BucketSpec,
  IndexSpec,
  QueueSpec,
  ResourceManifest,
  RuleSpec,
  ScheduleSpec,
  SecretSpec,
  TableSpec,
  UserPoolSpec,
} from './manifest.types.js';

export type Outcome = 'created' | 'updated' | 'unchanged';
export interface BootstrapStep {
  readonly kind: string;
  readonly name: string;
  readonly outcome: Outcome;
}

export interface BootstrapOptions {
  readonly names: ResourceNames;
  readonly senderAddress: string;
  readonly demoUserEmail: string;
  /** Emulator only: create the demo user and generated secrets. */
  readonly local: boolean;
  readonly onStep?: (step: BootstrapStep) => void;
}

/**
 * Creates or updates every resource in the manifest. Idempotent: a second run reports every step
 * `unchanged`. Order matters: queues before the bucket and rules that target them.
 */
export class ResourceBootstrapper {
  private readonly steps: BootstrapStep[] = [];
  private readonly queueArns = new Map<string, string>();
  private readonly queueUrls = new Map<string, string>();
  private emailIdentities: Promise<Set<string>> | undefined;

  constructor(
    private readonly clients: Pick<
      AwsClients,
      'dynamo' | 's3' | 'sqs' | 'ses' | 'events' | 'secrets' | 'cognito'
    >,
    private readonly options: BootstrapOptions,
  ) {}

  async run(manifest: ResourceManifest): Promise<readonly BootstrapStep[]> {
    for (const table of manifest.tables) await this.ensureTable(this.clients.dynamo, table);
    for (const queue of manifest.queues) await this.ensureQueue(this.clients.sqs, queue);
    for (const bucket of manifest.buckets) await this.ensureBucket(this.clients.s3, bucket);
    for (const bus of manifest.buses) await this.ensureBus(this.clients.events, bus.name);
    for (const rule of manifest.rules) await this.ensureRule(this.clients.events, rule);
    for (const schedule of manifest.schedules)
      await this.ensureSchedule(this.clients.events, schedule);
    const identities = new Set([...manifest.emailIdentities, this.options.senderAddress]);
    for (const identity of identities) await this.ensureEmailIdentity(this.clients.ses, identity);
    if (this.options.local) {
      for (const secret of manifest.secrets) await this.ensureSecret(this.clients.secrets, secret);
    }
    for (const pool of manifest.userPools) await this.ensureUserPool(this.clients.cognito, pool);
    return this.steps;
  }

  private record(kind: string, name: string, outcome: Outcome): void {
    const step = { kind, name, outcome };
    this.steps.push(step);
    this.options.onStep?.(step);
  }

  // ---------------------------------------------------------------- DynamoDB

  private async ensureTable(dynamo: DynamoDBClient, spec: TableSpec): Promise<void> {
    const name = this.options.names.table(spec.name);
    const existing = await dynamo
      .send(new DescribeTableCommand({ TableName: name }))
      .then((r) => r.Table)
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      });
    let outcome: Outcome = 'unchanged';
    if (!existing) {
      await dynamo.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(spec),
          KeySchema: keySchema(spec.partitionKey.name, spec.sortKey?.name),
          ...(spec.indexes?.length
            ? {
                GlobalSecondaryIndexes: spec.indexes.map((index) => ({
                  IndexName: index.name,
                  KeySchema: keySchema(index.partitionKey.name, index.sortKey?.name),
                  Projection: { ProjectionType: 'ALL' },
                })),
              }
            : {}),
        }),
      );
      await waitUntilTableExists({ client: dynamo, maxWaitTime: 60 }, { TableName: name });
      outcome = 'created';
    } else {
      const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
      for (const index of (spec.indexes ?? []).filter((i) => !present.has(i.name))) {
        await this.addIndex(dynamo, name, spec, index);
        outcome = 'updated';
      }
    }
    if (spec.ttlAttribute) {
      const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: name }));
      const current = ttl.TimeToLiveDescription;
      if (current?.TimeToLiveStatus !== 'ENABLED' || current.AttributeName !== spec.ttlAttribute) {
        await dynamo.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
          }),
        );
        if (outcome === 'unchanged') outcome = 'updated';
      }
    }
    this.record('table', name, outcome);
  }

  private async addIndex(
    dynamo: DynamoDBClient,
    table: string,
    spec: TableSpec,
    index: IndexSpec,
  ): Promise<void> {
    await dynamo.send(
      new UpdateTableCommand({
        TableName: table,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: keySchema(index.partitionKey.name, index.sortKey?.name),
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
  }

  // ---------------------------------------------------------------- SQS

  private async ensureQueue(sqs: SQSClient, spec: QueueSpec): Promise<void> {
    const dlqName = this.options.names.deadLetterQueue(spec.name);
    const dlqArn = await this.upsertQueue(sqs, dlqName, {
      MessageRetentionPeriod: String(14 * 24 * 3600),
    });
    await this.upsertQueue(sqs, this.options.names.queue(spec.name), {
      VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(spec.retentionSeconds ?? 4 * 24 * 3600),
      ReceiveMessageWaitTimeSeconds: '20',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlqArn,
        maxReceiveCount: spec.maxReceiveCount,
      }),
    });
    this.queueUrls.set(spec.name, await queueUrl(sqs, this.options.names.queue(spec.name)));
  }

  /** Creates the queue or brings its attributes in line; returns its ARN. */
  private async upsertQueue(
    sqs: SQSClient,
    name: string,
    wanted: Record<string, string>,
  ): Promise<string> {
    const url = await queueUrl(sqs, name).catch((error: unknown) => {
      if (isAwsError(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'))
        return undefined;
      throw error;
    });
    if (!url) {
      const created = await sqs.send(
        new CreateQueueCommand({ QueueName: name, Attributes: wanted }),
      );
      const arn = await queueArn(sqs, required(created.QueueUrl, 'QueueUrl'));
      this.queueArns.set(name, arn);
      this.record('queue', name, 'created');
      return arn;
    }
    const current = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    const attributes: Record<string, string | undefined> = current.Attributes ?? {};
    const drift = Object.entries(wanted).filter(
      ([key, value]) => !sameAttribute(attributes[key], value),
    );
    if (drift.length > 0) {
      await sqs.send(
        new SetQueueAttributesCommand({ QueueUrl: url, Attributes: Object.fromEntries(drift) }),
      );
    }
    const arn = required(attributes.QueueArn, 'QueueArn');
    this.queueArns.set(name, arn);
    this.record('queue', name, drift.length > 0 ? 'updated' : 'unchanged');
    return arn;
  }

  /** Lets S3 and EventBridge deliver into a queue (the queue policy is a single document). */
  private async allowServiceToSend(
    sqs: SQSClient,
    logicalQueue: string,
    sourceArn: string,
    service: string,
  ): Promise<void> {
    const url = required(
      this.queueUrls.get(logicalQueue),
      `queue ${logicalQueue} (declare it in the manifest)`,
    );
    const arn = required(this.queueArns.get(this.options.names.queue(logicalQueue)), 'queue arn');
    const current = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
    );
    const policy = parsePolicy(current.Attributes?.Policy);
    const sid =
      `allow-${service.split('.')[0] ?? service}-${sourceArn.split(':').pop() ?? ''}`.replace(
        /[^\w-]/g,
        '-',
      );
    if (policy.Statement.some((s) => s.Sid === sid)) return;
    policy.Statement.push({
      Sid: sid,
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sqs:SendMessage',
      Resource: arn,
      Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } },
    });
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { Policy: JSON.stringify(policy) },
      }),
    );
  }

  // ---------------------------------------------------------------- S3

  private async ensureBucket(s3: S3Client, spec: BucketSpec): Promise<void> {
    const name = this.options.names.bucket(spec.name);
    let outcome: Outcome = 'unchanged';
    const exists = await s3
      .send(new HeadBucketCommand({ Bucket: name }))
      .then(() => true)
      .catch((error: unknown) => {
        if (isAwsError(error, 'NotFound', 'NoSuchBucket')) return false;
        throw error;
      });
    if (!exists) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      outcome = 'created';
    }
    const block = await s3
      .send(new GetPublicAccessBlockCommand({ Bucket: name }))
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
    if (!fullyBlocked) {
      await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: name,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        }),
      );
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: name,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        }),
      );
      if (outcome === 'unchanged') outcome = 'updated';
    }
    if (await this.ensureBucketNotifications(s3, name, spec)) {
      if (outcome === 'unchanged') outcome = 'updated';
    }
    if (await this.ensureBucketCors(s3, name, spec)) {
      if (outcome === 'unchanged') outcome = 'updated';
    }
    this.record('bucket', name, outcome);
  }

  /** Puts the spec's CORS rules unless the bucket already has exactly them. */
  private async ensureBucketCors(s3: S3Client, bucket: string, spec: BucketSpec): Promise<boolean> {
    if (!spec.cors) return false;
    const wanted = spec.cors.map((rule) => ({
      AllowedOrigins: [...rule.allowedOrigins],
      AllowedMethods: [...rule.allowedMethods],
      AllowedHeaders: [...rule.allowedHeaders],
      ExposeHeaders: [...rule.exposeHeaders],
      MaxAgeSeconds: rule.maxAgeSeconds,
    }));
    const current = await s3
      .send(new GetBucketCorsCommand({ Bucket: bucket }))
      .then((r) => r.CORSRules ?? [])
      .catch((error: unknown) => {
        if (isAwsError(error, 'NoSuchCORSConfiguration')) return [];
        throw error;
      });
    if (sameCorsRules(current, wanted)) return false;
    await s3.send(
      new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: wanted } }),
    );
    return true;
  }

  private async ensureBucketNotifications(
    s3: S3Client,
    bucket: string,
    spec: BucketSpec,
  ): Promise<boolean> {
    const wanted = spec.notifications.map((n) => ({
      Id: `${n.queue}-${n.prefix}`.replace(/[^\w-]/g, '-'),
      QueueArn: required(this.queueArns.get(this.options.names.queue(n.queue)), `queue ${n.queue}`),
      Events: [...n.events],
      prefix: n.prefix,
    }));
    for (const n of spec.notifications) {
      await this.allowServiceToSend(
        this.clients.sqs,
        n.queue,
        `arn:aws:s3:::${bucket}`,
        's3.amazonaws.com',
      );
    }
    const current = await s3.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: bucket }),
    );
    const currentIds = new Set(
      (current.QueueConfigurations ?? []).map((q) => `${q.Id ?? ''}|${q.QueueArn ?? ''}`),
    );
    if (
      wanted.length === currentIds.size &&
      wanted.every((w) => currentIds.has(`${w.Id}|${w.QueueArn}`))
    ) {
      return false;
    }
    await s3.send(
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

  // ---------------------------------------------------------------- EventBridge

  private async ensureBus(events: EventBridgeClient, logical: string): Promise<void> {
    const name = this.options.names.bus(logical);
    const exists = await events
      .send(new DescribeEventBusCommand({ Name: name }))
      .then(() => true)
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return false;
        throw error;
      });
    if (!exists) await events.send(new CreateEventBusCommand({ Name: name }));
    this.record('event-bus', name, exists ? 'unchanged' : 'created');
  }

  private async ensureRule(events: EventBridgeClient, spec: RuleSpec): Promise<void> {
    const name = this.options.names.rule(spec.name);
    const bus = this.options.names.bus(spec.bus);
    const pattern = JSON.stringify(spec.pattern);
    const current = await events
      .send(new DescribeRuleCommand({ Name: name, EventBusName: bus }))
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      });
    let outcome: Outcome = 'unchanged';
    if (!current || !samePattern(current.EventPattern, pattern) || current.State !== 'ENABLED') {
      const put = await events.send(
        new PutRuleCommand({
          Name: name,
          EventBusName: bus,
          EventPattern: pattern,
          State: 'ENABLED',
          Description: spec.purpose,
        }),
      );
      outcome = current ? 'updated' : 'created';
      await this.allowServiceToSend(
        this.clients.sqs,
        spec.queue,
        required(put.RuleArn, 'RuleArn'),
        'events.amazonaws.com',
      );
    } else if (current.Arn) {
      await this.allowServiceToSend(
        this.clients.sqs,
        spec.queue,
        current.Arn,
        'events.amazonaws.com',
      );
    }
    const queueArn = required(
      this.queueArns.get(this.options.names.queue(spec.queue)),
      `queue ${spec.queue}`,
    );
    const targets = await events.send(
      new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus }),
    );
    const template = spec.targetInputTemplate;
    const inSync = (targets.Targets ?? []).some(
      (t) => t.Arn === queueArn && t.InputTransformer?.InputTemplate === template,
    );
    if (!inSync) {
      await events.send(
        new PutTargetsCommand({
          Rule: name,
          EventBusName: bus,
          Targets: [
            {
              Id: spec.queue,
              Arn: queueArn,
              ...(template ? { InputTransformer: { InputTemplate: template } } : {}),
            },
          ],
        }),
      );
      if (outcome === 'unchanged') outcome = 'updated';
    }
    this.record('rule', name, outcome);
  }

  /**
   * The schedule rule on the default bus. Its target (the worker function, input
   * `{"task": ...}`) belongs to the cloud stack: locally nothing could be invoked.
   */
  private async ensureSchedule(events: EventBridgeClient, spec: ScheduleSpec): Promise<void> {
    const name = this.options.names.rule(spec.name);
    const current = await events
      .send(new DescribeRuleCommand({ Name: name }))
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      });
    if (current?.ScheduleExpression === spec.expression && current.State === 'ENABLED') {
      this.record('schedule', name, 'unchanged');
      return;
    }
    await events.send(
      new PutRuleCommand({
        Name: name,
        ScheduleExpression: spec.expression,
        State: 'ENABLED',
        Description: `${spec.purpose} (task ${spec.task})`,
      }),
    );
    this.record('schedule', name, current ? 'updated' : 'created');
  }

  // ---------------------------------------------------------------- SES

  private async ensureEmailIdentity(ses: SESClient, identity: string): Promise<void> {
    // Listed, not looked up: LocalStack reports any address asked about as verified.
    this.emailIdentities ??= (async () => {
      const listed = new Set<string>();
      for await (const page of paginateListIdentities(
        { client: ses },
        { IdentityType: 'EmailAddress' },
      ))
        for (const name of page.Identities ?? []) listed.add(name);
      return listed;
    })();
    const exists = (await this.emailIdentities).has(identity);
    if (!exists) await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: identity }));
    this.record('email-identity', identity, exists ? 'unchanged' : 'created');
  }

  // ---------------------------------------------------------------- Secrets Manager

  private async ensureSecret(secrets: SecretsManagerClient, spec: SecretSpec): Promise<void> {
    const name = this.options.names.secret(spec.name);
    const exists = await secrets
      .send(new DescribeSecretCommand({ SecretId: name }))
      .then(() => true)
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return false;
        throw error;
      });
    if (!exists) {
      const value =
        spec.generate === 'sender-address' ? this.options.senderAddress : generatePassword();
      await secrets.send(
        new CreateSecretCommand({ Name: name, SecretString: value, Description: spec.purpose }),
      );
    }
    this.record('secret', name, exists ? 'unchanged' : 'created');
  }

  // ---------------------------------------------------------------- Cognito

  private async ensureUserPool(
    cognito: CognitoIdentityProviderClient,
    spec: UserPoolSpec,
  ): Promise<void> {
    const name = this.options.names.userPool(spec.name);
    let poolId = await findUserPoolId(cognito, name);
    if (!poolId) {
      const created = await cognito.send(
        new CreateUserPoolCommand({
          PoolName: name,
          UsernameAttributes: ['email'],
          AutoVerifiedAttributes: ['email'],
          Policies: {
            PasswordPolicy: {
              MinimumLength: 12,
              RequireLowercase: true,
              RequireUppercase: true,
              RequireNumbers: true,
              RequireSymbols: false,
            },
          },
        }),
      );
      poolId = required(created.UserPool?.Id, 'UserPool.Id');
      this.record('user-pool', name, 'created');
    } else {
      this.record('user-pool', name, 'unchanged');
    }
    const clientId = await findUserPoolClientId(cognito, poolId, spec.clientName);
    if (!clientId) {
      await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: spec.clientName,
          GenerateSecret: false,
          ExplicitAuthFlows: [
            'ALLOW_USER_PASSWORD_AUTH',
            'ALLOW_USER_SRP_AUTH',
            'ALLOW_REFRESH_TOKEN_AUTH',
          ],
        }),
      );
    }
    this.record(
      'user-pool-client',
      `${name}/${spec.clientName}`,
      clientId ? 'unchanged' : 'created',
    );
    for (const group of spec.groups) {
      const exists = await cognito
        .send(new GetGroupCommand({ UserPoolId: poolId, GroupName: group }))
        .then(() => true)
        .catch((error: unknown) => {
          if (isAwsError(error, 'ResourceNotFoundException')) return false;
          throw error;
        });
      if (!exists)
        await cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
      this.record('user-group', `${name}/${group}`, exists ? 'unchanged' : 'created');
    }
    if (this.options.local) await this.ensureDemoUser(cognito, poolId, spec);
  }

  private async ensureDemoUser(
    cognito: CognitoIdentityProviderClient,
    poolId: string,
    spec: UserPoolSpec,
  ): Promise<void> {
    const secret = await this.clients.secrets.send(
      new GetSecretValueCommand({ SecretId: this.options.names.secret(spec.demoUser.secret) }),
    );
    const password = required(secret.SecretString, 'demo user secret');
    const username = this.options.demoUserEmail;
    const created = await ensureUser(cognito, poolId, {
      email: username,
      password,
      groups: spec.demoUser.groups,
    });
    this.record('demo-user', username, created ? 'created' : 'unchanged');
  }
}

export async function findUserPoolId(
  cognito: CognitoIdentityProviderClient,
  name: string,
): Promise<string | undefined> {
  let token: string | undefined;
  do {
    const page = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: token }));
    const match = page.UserPools?.find((p) => p.Name === name);
    if (match?.Id) return match.Id;
    token = page.NextToken;
  } while (token);
  return undefined;
}

export async function findUserPoolClientId(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  clientName: string,
): Promise<string | undefined> {
  let token: string | undefined;
  do {
    const page = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60, NextToken: token }),
    );
    const match = page.UserPoolClients?.find((c) => c.ClientName === clientName);
    if (match?.ClientId) return match.ClientId;
    token = page.NextToken;
  } while (token);
  return undefined;
}

function keySchema(partition: string, sort: string | undefined): KeySchemaElement[] {
  return [
    { AttributeName: partition, KeyType: 'HASH' },
    ...(sort ? [{ AttributeName: sort, KeyType: 'RANGE' as const }] : []),
  ];
}

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const keys = [
    spec.partitionKey,
    spec.sortKey,
    ...(spec.indexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const unique = new Map<string, AttributeDefinition>();
  for (const key of keys)
    if (key) unique.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  return [...unique.values()];
}

async function queueUrl(sqs: SQSClient, name: string): Promise<string> {
  const result = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  return required(result.QueueUrl, 'QueueUrl');
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return required(result.Attributes?.QueueArn, 'QueueArn');
}

function sameAttribute(current: string | undefined, wanted: string): boolean {
  if (current === wanted) return true;
  if (current === undefined) return false;
  try {
    return JSON.stringify(JSON.parse(current)) === JSON.stringify(JSON.parse(wanted));
  } catch {
    return false;
  }
}

type CorsRule = NonNullable<GetBucketCorsCommandOutput['CORSRules']>[number];

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

function samePattern(current: string | undefined, wanted: string): boolean {
  return current !== undefined && sameAttribute(current, wanted);
}

interface PolicyDocument {
  Version: string;
  Statement: { Sid?: string; [key: string]: unknown }[];
}

function parsePolicy(raw: string | undefined): PolicyDocument {
  if (!raw) return { Version: '2012-10-17', Statement: [] };
  const parsed = JSON.parse(raw) as Partial<PolicyDocument>;
  return {
    Version: parsed.Version ?? '2012-10-17',
    Statement: Array.isArray(parsed.Statement) ? parsed.Statement : [],
  };
}

function generatePassword(): string {
  // Satisfies the pool policy: upper, lower, digits, length >= 12.
  return `Cc1${randomBytes(18).toString('base64url')}`;
}

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`AWS returned no ${what}`);
  return value;
}
