/**
 * Checks of a synthesized CodeCraft template against the resource manifest. Each check lists the
 * problems it finds (empty: the property holds), so that test/static/infra.spec.ts can prove every
 * one of them rejects a template where its property is broken.
 */
import type { ResourceManifest, ResourceNames } from '#libs/aws';
import { configSchema } from '#libs/config';
import { dimensionValue } from '../src/constructs/monitoring.js';
import { VISIBILITY_PER_FUNCTION_TIMEOUT } from '../src/constructs/messaging.js';
import { scheduledTaskInput } from '../src/constructs/schedules.js';

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: string;
}
export interface TemplateJson {
  Resources: Record<string, Resource>;
  Parameters?: Record<string, unknown>;
}

export type Check = (template: TemplateJson) => string[];

// --- reading the template ---------------------------------------------------------------------

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A property path in a resource (`a.b.0.c`), undefined where any step is missing. */
export function prop(resource: Resource | undefined, path: string): unknown {
  let value: unknown = resource?.Properties;
  for (const key of path.split('.')) {
    if (Array.isArray(value)) value = value[Number(key)];
    else if (isRecord(value)) value = value[key];
    else return undefined;
  }
  return value;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

export function ofType(template: TemplateJson, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The logical id a `Ref` or `Fn::GetAtt` points at (undefined for anything else). */
export function target(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

function byProperty(template: TemplateJson, type: string, path: string, value: string) {
  return ofType(template, type).find(([, r]) => prop(r, path) === value);
}

/** The logical id of a function by its (physical) FunctionName. */
export function functionId(template: TemplateJson, name: string): string | undefined {
  return byProperty(template, 'AWS::Lambda::Function', 'FunctionName', name)?.[0];
}

// --- the checks -------------------------------------------------------------------------------

/** Every manifest table, by physical name: on demand, PITR, AWS-managed encryption, keys, TTL, GSIs. */
export const tablesCheck =
  (manifest: ResourceManifest, names: ResourceNames): Check =>
  (template) =>
    manifest.tables.flatMap((spec) => {
      const name = names.table(spec.name);
      const found = byProperty(template, 'AWS::DynamoDB::Table', 'TableName', name);
      if (!found) return [`table ${name} is missing`];
      const [, table] = found;
      const problems: string[] = [];
      if (prop(table, 'BillingMode') !== 'PAY_PER_REQUEST')
        problems.push(`${name} is not on demand`);
      if (prop(table, 'PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled') !== true)
        problems.push(`${name} has no point-in-time recovery`);
      if (prop(table, 'SSESpecification.SSEEnabled') !== true)
        problems.push(`${name} is not encrypted with the AWS-managed key`);
      const keys = list(prop(table, 'KeySchema')).map((k) => JSON.stringify(k));
      const wantKeys = [
        { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
        ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' }] : []),
      ].map((k) => JSON.stringify(k));
      if (JSON.stringify(keys) !== JSON.stringify(wantKeys)) problems.push(`${name}: key schema`);
      if (spec.ttlAttribute) {
        if (
          prop(table, 'TimeToLiveSpecification.AttributeName') !== spec.ttlAttribute ||
          prop(table, 'TimeToLiveSpecification.Enabled') !== true
        )
          problems.push(`${name}: TTL on ${spec.ttlAttribute}`);
      }
      const indexes = list(prop(table, 'GlobalSecondaryIndexes'))
        .map((index) => (isRecord(index) ? text(index.IndexName) : undefined))
        .sort();
      const wantIndexes = (spec.indexes ?? []).map((index) => index.name).sort();
      if (JSON.stringify(indexes) !== JSON.stringify(wantIndexes))
        problems.push(`${name}: indexes ${indexes.join(',')} instead of ${wantIndexes.join(',')}`);
      return problems;
    });

/** prod keeps and protects its tables; dev may delete them. */
export const tableProtectionCheck =
  (stage: 'dev' | 'prod'): Check =>
  (template) =>
    ofType(template, 'AWS::DynamoDB::Table').flatMap(([id, table]) => {
      const protectedTable =
        prop(table, 'DeletionProtectionEnabled') === true && table.DeletionPolicy === 'Retain';
      return protectedTable === (stage === 'prod')
        ? []
        : [`${id}: ${stage} table ${protectedTable ? 'is' : 'is not'} retained and protected`];
    });

/**
 * Every manifest queue and its `-dlq`: SQS-managed encryption, redrive to the DLQ after the
 * manifest's maxReceiveCount, visibility >= the manifest's and >= 6x the worker's timeout.
 */
export const queuesCheck =
  (manifest: ResourceManifest, names: ResourceNames): Check =>
  (template) => {
    const worker = template.Resources[functionId(template, `${names.prefix}-worker`) ?? ''];
    const workerTimeout = Number(prop(worker, 'Timeout'));
    if (!worker || !Number.isFinite(workerTimeout)) return ['the worker function has no timeout'];
    return manifest.queues.flatMap((spec) => {
      const problems: string[] = [];
      const queue = byProperty(template, 'AWS::SQS::Queue', 'QueueName', names.queue(spec.name));
      const dlq = byProperty(
        template,
        'AWS::SQS::Queue',
        'QueueName',
        names.deadLetterQueue(spec.name),
      );
      if (!queue) return [`queue ${names.queue(spec.name)} is missing`];
      if (!dlq) return [`queue ${names.deadLetterQueue(spec.name)} is missing`];
      for (const [id, q] of [queue, dlq]) {
        if (prop(q, 'SqsManagedSseEnabled') !== true) problems.push(`${id} is not SSE-SQS`);
      }
      const [, q] = queue;
      if (target(prop(q, 'RedrivePolicy.deadLetterTargetArn')) !== dlq[0])
        problems.push(`${spec.name} does not redrive to its DLQ`);
      if (prop(q, 'RedrivePolicy.maxReceiveCount') !== spec.maxReceiveCount)
        problems.push(`${spec.name}: maxReceiveCount is not ${spec.maxReceiveCount}`);
      const visibility = Number(prop(q, 'VisibilityTimeout'));
      if (!(visibility >= spec.visibilityTimeoutSeconds))
        problems.push(`${spec.name}: visibility below the manifest's`);
      if (!(visibility >= VISIBILITY_PER_FUNCTION_TIMEOUT * workerTimeout))
        problems.push(
          `${spec.name}: visibility ${visibility} s < 6 x worker timeout ${workerTimeout} s`,
        );
      return problems;
    });
  };

/** Every manifest rule on its bus, with the manifest's pattern, its queue and input template. */
export const rulesCheck =
  (manifest: ResourceManifest, names: ResourceNames): Check =>
  (template) =>
    manifest.rules.flatMap((spec) => {
      const name = names.rule(spec.name);
      const found = byProperty(template, 'AWS::Events::Rule', 'Name', name);
      if (!found) return [`rule ${name} is missing`];
      const [, rule] = found;
      const problems: string[] = [];
      const bus = byProperty(template, 'AWS::Events::EventBus', 'Name', names.bus(spec.bus));
      if (!bus || target(prop(rule, 'EventBusName')) !== bus[0])
        problems.push(`${name} is not on bus ${names.bus(spec.bus)}`);
      if (JSON.stringify(prop(rule, 'EventPattern')) !== JSON.stringify(spec.pattern))
        problems.push(`${name}: pattern differs from the manifest's`);
      const queue = byProperty(template, 'AWS::SQS::Queue', 'QueueName', names.queue(spec.queue));
      const targets = list(prop(rule, 'Targets')).filter(isRecord);
      if (targets.length !== 1 || !queue || target(targets[0]?.Arn) !== queue[0])
        problems.push(`${name} does not target queue ${names.queue(spec.queue)}`);
      const template_ = isRecord(targets[0]?.InputTransformer)
        ? targets[0].InputTransformer.InputTemplate
        : undefined;
      if (template_ !== spec.targetInputTemplate)
        problems.push(`${name}: input template differs from the manifest's`);
      return problems;
    });

/**
 * Every manifest secret (but the emulators' demo-user passwords) under its name, and no secret
 * value written in the template: generated, or a parameter reference.
 */
export const secretsCheck =
  (manifest: ResourceManifest, names: ResourceNames): Check =>
  (template) => {
    const demo = new Set(manifest.userPools.map((pool) => pool.demoUser.secret));
    const problems = manifest.secrets
      .filter((spec) => !demo.has(spec.name))
      .flatMap((spec) =>
        byProperty(template, 'AWS::SecretsManager::Secret', 'Name', names.secret(spec.name))
          ? []
          : [`secret ${names.secret(spec.name)} is missing`],
      );
    for (const spec of manifest.secrets.filter((s) => demo.has(s.name))) {
      if (byProperty(template, 'AWS::SecretsManager::Secret', 'Name', names.secret(spec.name)))
        problems.push(`${names.secret(spec.name)} is for emulators only`);
    }
    for (const [id, secret] of ofType(template, 'AWS::SecretsManager::Secret')) {
      const value = prop(secret, 'SecretString');
      if (value !== undefined && !isRecord(value))
        problems.push(`${id} has its value in the template`);
    }
    return problems;
  };

/** Every manifest alarm under its name, on its metric and dimensions, notifying the topic. */
export const alarmsCheck =
  (manifest: ResourceManifest, names: ResourceNames, metricsNamespace: string): Check =>
  (template) =>
    manifest.alarms.flatMap((spec) => {
      const name = names.alarm(spec.name);
      const found = byProperty(template, 'AWS::CloudWatch::Alarm', 'AlarmName', name);
      if (!found) return [`alarm ${name} is missing`];
      const [, alarm] = found;
      const problems: string[] = [];
      const namespace = spec.namespace === 'app' ? metricsNamespace : spec.namespace;
      if (prop(alarm, 'Namespace') !== namespace || prop(alarm, 'MetricName') !== spec.metric)
        problems.push(`${name}: not on ${namespace}/${spec.metric}`);
      const dimensions: Record<string, unknown> = Object.fromEntries(
        list(prop(alarm, 'Dimensions'))
          .filter(isRecord)
          .map((d): [string, unknown] => [String(d.Name), d.Value]),
      );
      const want = Object.fromEntries(
        Object.entries(spec.dimensions).map(([key, value]) => [key, dimensionValue(names, value)]),
      );
      if (
        JSON.stringify(dimensions, Object.keys(dimensions).sort()) !==
        JSON.stringify(want, Object.keys(want).sort())
      )
        problems.push(`${name}: dimensions ${JSON.stringify(dimensions)}`);
      if (
        prop(alarm, 'Threshold') !== spec.threshold ||
        prop(alarm, 'ComparisonOperator') !== spec.comparison ||
        prop(alarm, 'Statistic') !== spec.statistic ||
        prop(alarm, 'Period') !== spec.periodSeconds ||
        prop(alarm, 'EvaluationPeriods') !== spec.evaluationPeriods ||
        prop(alarm, 'TreatMissingData') !== spec.treatMissingData
      )
        problems.push(`${name}: condition differs from the manifest's`);
      if (list(prop(alarm, 'AlarmActions')).length === 0) problems.push(`${name} notifies nobody`);
      return problems;
    });

/** Every alarm in the template notifies someone. */
export const alarmActionsCheck: Check = (template) =>
  ofType(template, 'AWS::CloudWatch::Alarm')
    .filter(([, alarm]) => list(prop(alarm, 'AlarmActions')).length === 0)
    .map(([id]) => `${id} notifies nobody`);

/**
 * Every manifest schedule (one per @ScheduledTask with a cloud schedule) as an EventBridge
 * Scheduler schedule named like the task, invoking the worker with `{"task": name}`.
 */
export const schedulesCheck =
  (manifest: ResourceManifest, names: ResourceNames): Check =>
  (template) => {
    const worker = functionId(template, `${names.prefix}-worker`);
    const schedules = ofType(template, 'AWS::Scheduler::Schedule');
    const problems = manifest.schedules.flatMap((spec) => {
      const name = names.rule(spec.name);
      const found = schedules.find(([, s]) => prop(s, 'Name') === name);
      if (!found) return [`schedule ${name} (task ${spec.task}) is missing`];
      const [, schedule] = found;
      const problems: string[] = [];
      if (prop(schedule, 'ScheduleExpression') !== spec.expression)
        problems.push(`${name}: ${String(prop(schedule, 'ScheduleExpression'))}`);
      if (!worker || target(prop(schedule, 'Target.Arn')) !== worker)
        problems.push(`${name} does not invoke the worker`);
      const input = text(prop(schedule, 'Target.Input'));
      if (!input || JSON.stringify(JSON.parse(input)) !== JSON.stringify(scheduledTaskInput(spec)))
        problems.push(`${name}: input ${String(input)} is not what the worker runs a task from`);
      return problems;
    });
    if (schedules.length !== manifest.schedules.length)
      problems.push(
        `${schedules.length} schedules for ${manifest.schedules.length} in the manifest`,
      );
    return problems;
  };

/** One SQS event source per manifest queue on the worker, each reporting per-message failures. */
export const eventSourcesCheck =
  (manifest: ResourceManifest, names: ResourceNames): Check =>
  (template) => {
    const worker = functionId(template, `${names.prefix}-worker`);
    const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping');
    const problems = manifest.queues.flatMap((spec) => {
      const queue = byProperty(template, 'AWS::SQS::Queue', 'QueueName', names.queue(spec.name));
      const found = mappings.filter(
        ([, m]) => queue && target(prop(m, 'EventSourceArn')) === queue[0],
      );
      if (found.length !== 1) return [`${found.length} event sources on queue ${spec.name}`];
      const [, mapping] = found[0] ?? [];
      const problems: string[] = [];
      if (!worker || target(prop(mapping, 'FunctionName')) !== worker)
        problems.push(`${spec.name} is not consumed by the worker`);
      if (!(typeof prop(mapping, 'BatchSize') === 'number'))
        problems.push(`${spec.name}: no batch size`);
      if (!(typeof prop(mapping, 'ScalingConfig.MaximumConcurrency') === 'number'))
        problems.push(`${spec.name}: no maximum concurrency`);
      return problems;
    });
    for (const [id, mapping] of mappings) {
      if (JSON.stringify(prop(mapping, 'FunctionResponseTypes')) !== '["ReportBatchItemFailures"]')
        problems.push(`${id} does not report batch item failures`);
    }
    return problems;
  };

/** Every IAM action named in the template (roles' inline policies, policies, managed policies). */
function iamStatements(
  template: TemplateJson,
): { id: string; statement: Record<string, unknown> }[] {
  const documents: { id: string; document: unknown }[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
      documents.push({ id, document: prop(resource, 'PolicyDocument') });
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of list(prop(resource, 'Policies')).filter(isRecord))
        documents.push({ id, document: policy.PolicyDocument });
    }
  }
  return documents.flatMap(({ id, document }) =>
    list(isRecord(document) ? document.Statement : undefined)
      .filter(isRecord)
      .map((statement) => ({ id, statement })),
  );
}

/**
 * IAM actions that AWS authorizes on `*` only (no resource-level permissions): the only ones a
 * statement may grant on `*`. The readiness probes' list calls, and what CDK's VPC flow logs and
 * ECR pulls need where they need it.
 */
export const RESOURCELESS_ACTIONS = new Set([
  'secretsmanager:ListSecrets',
  'ses:ListIdentities',
  'cognito-idp:ListUserPools',
  'ecr:GetAuthorizationToken',
]);

/**
 * No wildcard in any IAM action (not `*`, not `service:*`, not `s3:Get*`), and a `*` resource
 * only for actions that have nothing narrower.
 */
export const iamCheck: Check = (template) =>
  iamStatements(template).flatMap(({ id, statement }) => {
    if (statement.Effect !== 'Allow') return [];
    const actions = [statement.Action].flat().map(String);
    const resources = [statement.Resource].flat();
    const problems = actions
      .filter((action) => action.includes('*'))
      .map((action) => `${id} allows the wildcard action ${action}`);
    if (resources.includes('*')) {
      for (const action of actions.filter((a) => !RESOURCELESS_ACTIONS.has(a)))
        problems.push(`${id} allows ${action} on any resource`);
    }
    return problems;
  });

/** The bucket(s): all public access blocked, TLS-only policy, S3-managed encryption, versioning. */
export const bucketsCheck =
  (manifest: ResourceManifest, names: ResourceNames): Check =>
  (template) =>
    manifest.buckets.flatMap((spec) => {
      const name = names.bucket(spec.name);
      const found = byProperty(template, 'AWS::S3::Bucket', 'BucketName', name);
      if (!found) return [`bucket ${name} is missing`];
      const [id, bucket] = found;
      const problems: string[] = [];
      for (const flag of [
        'BlockPublicAcls',
        'BlockPublicPolicy',
        'IgnorePublicAcls',
        'RestrictPublicBuckets',
      ]) {
        if (prop(bucket, `PublicAccessBlockConfiguration.${flag}`) !== true)
          problems.push(`${name}: ${flag} is off`);
      }
      if (
        prop(
          bucket,
          'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm',
        ) !== 'AES256'
      )
        problems.push(`${name} is not S3-managed encrypted`);
      if (prop(bucket, 'VersioningConfiguration.Status') !== 'Enabled')
        problems.push(`${name} is not versioned`);
      const rules = list(prop(bucket, 'LifecycleConfiguration.Rules')).filter(isRecord);
      if (
        !rules.some(
          (r) =>
            r.Status === 'Enabled' &&
            isRecord(r.AbortIncompleteMultipartUpload) &&
            r.AbortIncompleteMultipartUpload.DaysAfterInitiation === 1,
        )
      )
        problems.push(`${name} keeps incomplete multipart uploads`);
      const policy = ofType(template, 'AWS::S3::BucketPolicy').find(
        ([, p]) => target(prop(p, 'Bucket')) === id,
      );
      const statements = list(prop(policy?.[1], 'PolicyDocument.Statement')).filter(isRecord);
      const denyPlainHttp = statements.some(
        (s) =>
          s.Effect === 'Deny' &&
          [s.Action].flat().includes('s3:*') &&
          JSON.stringify(s.Principal) === '{"AWS":"*"}' &&
          JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}' &&
          [s.Resource].flat().length === 2,
      );
      if (!denyPlainHttp) problems.push(`${name} does not deny requests without TLS`);
      const notifications = ofType(template, 'Custom::S3BucketNotifications').find(
        ([, n]) => target(prop(n, 'BucketName')) === id,
      );
      for (const notification of spec.notifications) {
        const queue = byProperty(
          template,
          'AWS::SQS::Queue',
          'QueueName',
          names.queue(notification.queue),
        );
        const configured = list(
          prop(notifications?.[1], 'NotificationConfiguration.QueueConfigurations'),
        )
          .filter(isRecord)
          .some(
            (c) =>
              queue !== undefined &&
              target(c.QueueArn) === queue[0] &&
              JSON.stringify(c.Events) === JSON.stringify(notification.events) &&
              JSON.stringify(c.Filter).includes(JSON.stringify(notification.prefix)),
          );
        if (!configured)
          problems.push(`${name} does not notify ${notification.queue} of ${notification.prefix}`);
      }
      return problems;
    });

/** No way out of the VPC but its endpoints: no NAT gateway, internet gateway or public subnet. */
export const networkCheck: Check = (template) => {
  const problems: string[] = [];
  for (const type of [
    'AWS::EC2::NatGateway',
    'AWS::EC2::InternetGateway',
    'AWS::EC2::EgressOnlyInternetGateway',
    'AWS::EC2::EIP',
  ]) {
    for (const [id] of ofType(template, type)) problems.push(`${id}: ${type}`);
  }
  for (const [id, subnet] of ofType(template, 'AWS::EC2::Subnet')) {
    if (prop(subnet, 'MapPublicIpOnLaunch') !== false) problems.push(`${id} is a public subnet`);
  }
  for (const [id, route] of ofType(template, 'AWS::EC2::Route')) {
    if (prop(route, 'DestinationCidrBlock') === '0.0.0.0/0') problems.push(`${id}: default route`);
  }
  const endpoints = ofType(template, 'AWS::EC2::VPCEndpoint');
  const gateways = endpoints.filter(([, e]) => prop(e, 'VpcEndpointType') === 'Gateway');
  if (gateways.length < 2) problems.push('no gateway endpoints for S3 and DynamoDB');
  return problems;
};

/** The functions' environment: only variables the config schema defines, production settings. */
export const environmentCheck =
  (names: ResourceNames): Check =>
  (template) => {
    const known = new Set(Object.keys(configSchema.shape));
    return ['api', 'worker', 'migrate'].flatMap((app) => {
      const fn = template.Resources[functionId(template, `${names.prefix}-${app}`) ?? ''];
      if (!fn) return [`function ${names.prefix}-${app} is missing`];
      const variables = prop(fn, 'Environment.Variables');
      if (!isRecord(variables)) return [`${app} has no environment`];
      const problems = Object.keys(variables)
        .filter((key) => !known.has(key))
        .map((key) => `${app}: ${key} is not a config variable`);
      const want = {
        NODE_ENV: 'production',
        DB_MIGRATIONS_RUN: 'false',
        RESOURCE_PREFIX: names.prefix,
      };
      for (const [key, value] of Object.entries(want)) {
        if (variables[key] !== value) problems.push(`${app}: ${key} is not ${value}`);
      }
      for (const key of [
        'COGNITO_USER_POOL_ID',
        'COGNITO_CLIENT_ID',
        'DB_SECRET_ID',
        'SES_FROM_ADDRESS',
      ]) {
        if (variables[key] === undefined) problems.push(`${app}: ${key} is not set`);
      }
      return problems;
    });
  };
