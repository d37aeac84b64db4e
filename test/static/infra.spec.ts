/**
 * The CDK stack (infra/) checked against the resource manifest it is built from, property by
 * property: every manifest table, queue, rule, secret, alarm and schedule under its physical name,
 * the worker's event sources, least-privilege IAM, the bucket, the VPC without NAT, the functions'
 * environment, what prod changes. The checks are functions that list problems
 * (infra/test/template-checks.ts); each is proved, further down, to reject a template where its
 * property is broken (edited templates, a manifest the stack was not built from, and stacks
 * synthesized with a property deliberately broken). No snapshot: a snapshot proves nothing.
 *
 * Synthesis is offline: no AWS account, no Docker (the images come from ECR by default, and an
 * image asset is only built by `cdk deploy`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Aspects, Stack, type IAspect } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnEventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { ResourceNames, type ResourceManifest } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { createApp } from '../../infra/src/app.js';
import { CodeCraftStack } from '../../infra/src/codecraft-stack.js';
import { Buckets, STAGING_EXPIRY_DAYS, stagingPrefix } from '../../infra/src/constructs/data.js';
import { EVENT_SOURCE_OVERRIDES, MIGRATE_HANDLER } from '../../infra/src/constructs/functions.js';
import { loadManifest } from '../../infra/src/manifest.js';
import { readSettings } from '../../infra/src/settings.js';
import {
  alarmActionsCheck,
  alarmsCheck,
  bucketsCheck,
  environmentCheck,
  eventSourcesCheck,
  functionId,
  iamCheck,
  networkCheck,
  ofType,
  prop,
  queuesCheck,
  rulesCheck,
  schedulesCheck,
  secretsCheck,
  tableProtectionCheck,
  tablesCheck,
  target,
  type Check,
  type Resource,
  type TemplateJson,
} from '../../infra/test/template-checks.js';

/** dist/test/static/ -> the repository root. */
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const manifest = loadManifest();
const metricsNamespace = AppConfig.fromEnv({}).metricsNamespace;

function synth(
  context: Record<string, unknown> = {},
  options: { manifest?: ResourceManifest; aspect?: IAspect } = {},
): TemplateJson {
  const app = createApp(context);
  const settings = readSettings((key) => app.node.tryGetContext(key), repoRoot);
  const stack = new CodeCraftStack(app, `${settings.prefix}-${settings.stage}`, {
    settings,
    manifest: options.manifest ?? manifest,
  });
  if (options.aspect) Aspects.of(stack).add(options.aspect);
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

const names = new ResourceNames('codecraft');
const dev = synth();

/** Every check of the default stack, by what it guards. */
const checks = (n: ResourceNames, m: ResourceManifest = manifest): Record<string, Check> => ({
  tables: tablesCheck(m, n),
  queues: queuesCheck(m, n),
  rules: rulesCheck(m, n),
  secrets: secretsCheck(m, n),
  alarms: alarmsCheck(m, n, metricsNamespace),
  'alarm actions': alarmActionsCheck,
  schedules: schedulesCheck(m, n),
  'event sources': eventSourcesCheck(m, n),
  iam: iamCheck,
  buckets: bucketsCheck(m, n),
  network: networkCheck,
  environment: environmentCheck(n),
  'dev tables': tableProtectionCheck('dev'),
});

const firstOf = (template: TemplateJson, type: string): Resource => {
  const [found] = ofType(template, type);
  assert.ok(found, `a ${type}`);
  return found[1];
};
const edited = (edit: (template: TemplateJson) => void): TemplateJson => {
  const copy = structuredClone(dev);
  edit(copy);
  return copy;
};

describe('infra: the CDK stack built from the manifest', () => {
  it('loads a manifest with every domain in it', () => {
    for (const section of ['tables', 'queues', 'rules', 'schedules', 'alarms'] as const)
      assert.ok(manifest[section].length > 0, `the manifest has ${section}`);
  });

  for (const [what, check] of Object.entries(checks(names))) {
    it(`holds: ${what}`, () => {
      assert.deepEqual(check(dev), []);
    });
  }

  it('derives every physical name from the prefix setting', () => {
    const other = new ResourceNames('cctest');
    const template = synth({ prefix: 'cctest' });
    for (const [what, check] of Object.entries(checks(other)))
      assert.deepEqual(check(template), [], what);
    assert.throws(() => synth({ prefix: 'Not A Prefix' }), /RESOURCE_PREFIX/);
  });

  it('tunes event sources of manifest queues only', () => {
    const queues = new Set(manifest.queues.map((q) => q.name));
    for (const name of Object.keys(EVENT_SOURCE_OVERRIDES)) assert.ok(queues.has(name), name);
  });

  it('runs the migrations from the worker image before either function changes', () => {
    const migrate = functionId(dev, 'codecraft-migrate');
    assert.ok(migrate);
    assert.deepEqual(prop(dev.Resources[migrate], 'ImageConfig.Command'), [MIGRATE_HANDLER]);
    const [trigger] = ofType(dev, 'Custom::Trigger');
    assert.ok(trigger);
    const version = target(prop(trigger[1], 'HandlerArn'));
    assert.equal(target(prop(dev.Resources[version ?? ''], 'FunctionName')), migrate);
    for (const app of ['api', 'worker']) {
      const fn = dev.Resources[functionId(dev, `codecraft-${app}`) ?? ''];
      assert.ok(fn?.DependsOn?.includes(trigger[0]), `${app} waits for the migrations`);
    }
  });

  it('puts the API behind a throttled HTTP API stage with access logs', () => {
    const stage = firstOf(dev, 'AWS::ApiGatewayV2::Stage');
    assert.equal(prop(stage, 'StageName'), '$default');
    assert.equal(typeof prop(stage, 'DefaultRouteSettings.ThrottlingRateLimit'), 'number');
    assert.equal(typeof prop(stage, 'DefaultRouteSettings.ThrottlingBurstLimit'), 'number');
    const logs = target(prop(stage, 'AccessLogSettings.DestinationArn'));
    assert.equal(dev.Resources[logs ?? '']?.Type, 'AWS::Logs::LogGroup');
  });

  it('runs MySQL 8 on a small instance in the isolated subnets, credentials generated', () => {
    const db = firstOf(dev, 'AWS::RDS::DBInstance');
    assert.equal(prop(db, 'Engine'), 'mysql');
    assert.match(String(prop(db, 'EngineVersion')), /^8\./);
    assert.equal(prop(db, 'DBInstanceClass'), 'db.t4g.micro');
    assert.equal(prop(db, 'PubliclyAccessible'), false);
    assert.equal(prop(db, 'StorageEncrypted'), true);
    const secret = ofType(dev, 'AWS::SecretsManager::Secret').find(
      ([, s]) => prop(s, 'Name') === names.secret('database'),
    );
    assert.match(
      String(prop(secret?.[1], 'GenerateSecretString.SecretStringTemplate')),
      /"dbname":"codecraft"/,
    );
  });

  it('sends e-mail only from the worker, through our identities and configuration set', () => {
    const policies = ofType(dev, 'AWS::IAM::Policy').map(([, p]) => JSON.stringify(p));
    const sending = policies.filter((p) => p.includes('ses:SendEmail'));
    assert.equal(sending.length, 1);
    assert.match(sending[0] ?? '', /configuration-set/);
    const worker = functionId(dev, 'codecraft-worker') ?? '';
    const role = target(prop(dev.Resources[worker], 'Role'));
    assert.ok(role && sending[0]?.includes(`"Ref":"${role}"`), 'on the worker role');
  });

  it('protects data in prod: tables retained, Multi-AZ database, deletion protection', () => {
    const prod = synth({ stage: 'prod' });
    assert.deepEqual(tableProtectionCheck('prod')(prod), []);
    assert.notDeepEqual(tableProtectionCheck('prod')(dev), [], 'dev is not protected');
    const db = firstOf(prod, 'AWS::RDS::DBInstance');
    assert.equal(prop(db, 'MultiAZ'), true);
    assert.equal(prop(db, 'DeletionProtection'), true);
    assert.equal(prop(firstOf(dev, 'AWS::RDS::DBInstance'), 'MultiAZ'), false);
  });

  it('builds the images only when asked, for the chosen architecture, never at synthesis', () => {
    for (const fn of ['api', 'worker'].map(
      (app) => dev.Resources[functionId(dev, `codecraft-${app}`) ?? ''],
    )) {
      assert.deepEqual(prop(fn, 'Architectures'), ['arm64']);
      assert.match(
        JSON.stringify(prop(fn, 'Code.ImageUri')),
        /codecraft-lambda-(api|worker):latest/,
      );
    }
    const x86 = synth({
      architecture: 'x86_64',
      buildImages: 'true',
      'aws:cdk:disable-asset-staging': true,
    });
    const api = x86.Resources[functionId(x86, 'codecraft-api') ?? ''];
    assert.deepEqual(prop(api, 'Architectures'), ['x86_64']);
    // An asset: the image URI names the CDK asset repository, built by `cdk deploy`.
    assert.match(JSON.stringify(prop(api, 'Code.ImageUri')), /cdk-[a-z0-9]+-container-assets/);
  });

  it('expires abandoned staging objects under the prefix libs/files stages them at', () => {
    // The prefix comes from the lib's own staging keys; a lifecycle rule filters by prefix only.
    assert.equal(
      stagingPrefix((p, f) => `.pending/${p}/${f}`),
      '.pending/',
    );
    assert.equal(
      stagingPrefix((p, f) => `${p}/${f}/.pending`),
      undefined,
    );
    const stack = new Stack(createApp(), 'buckets');
    const buckets = new Buckets(stack, 'Buckets', {
      specs: manifest.buckets,
      names,
      queue: (name) => new Queue(stack, `queue-${name}`),
      stagingPrefix: '.pending/',
    });
    assert.ok(buckets.byName.size > 0);
    const rules = prop(
      firstOf(Template.fromStack(stack).toJSON() as TemplateJson, 'AWS::S3::Bucket'),
      'LifecycleConfiguration.Rules',
    );
    assert.ok(
      Array.isArray(rules) &&
        rules.some(
          (rule: Record<string, unknown>) =>
            rule.Prefix === '.pending/' && rule.ExpirationInDays === STAGING_EXPIRY_DAYS,
        ),
      JSON.stringify(rules),
    );
  });

  it('has that rule in the stack', () => {
    const prefix = stagingPrefix();
    assert.equal(prefix, '.pending/', 'libs/files stages presigned uploads under one prefix');
    const rules = JSON.stringify(prop(firstOf(dev, 'AWS::S3::Bucket'), 'LifecycleConfiguration'));
    assert.ok(rules.includes(`"Prefix":${JSON.stringify(prefix)}`), rules);
  });
});

describe('infra: every check rejects a template where its property is broken', () => {
  const all = checks(names);
  const rejects = (what: keyof typeof all, template: TemplateJson, pattern: RegExp) => {
    const problems = all[what]?.(template) ?? [];
    assert.ok(
      problems.some((p) => pattern.test(p)),
      `${what} finds ${String(pattern)} in ${JSON.stringify(problems)}`,
    );
  };
  const table = (template: TemplateJson) => firstOf(template, 'AWS::DynamoDB::Table');
  const props = (resource: Resource) => resource.Properties ?? {};

  it('tables: on demand, PITR, encryption, TTL', () => {
    rejects(
      'tables',
      edited((t) => (props(table(t)).BillingMode = 'PROVISIONED')),
      /not on demand/,
    );
    rejects(
      'tables',
      edited((t) => delete props(table(t)).PointInTimeRecoverySpecification),
      /point-in-time/,
    );
    rejects(
      'tables',
      edited((t) => delete props(table(t)).SSESpecification),
      /encrypted/,
    );
    rejects(
      'tables',
      edited((t) => {
        for (const [, r] of ofType(t, 'AWS::DynamoDB::Table'))
          delete props(r).TimeToLiveSpecification;
      }),
      /TTL/,
    );
  });

  it('queues: SSE, redrive, visibility', () => {
    const queue = (t: TemplateJson) => {
      const [found] = ofType(t, 'AWS::SQS::Queue').filter(([, q]) => prop(q, 'RedrivePolicy'));
      assert.ok(found);
      return props(found[1]);
    };
    rejects(
      'queues',
      edited((t) => delete queue(t).SqsManagedSseEnabled),
      /SSE-SQS/,
    );
    rejects(
      'queues',
      edited((t) => delete queue(t).RedrivePolicy),
      /redrive/,
    );
    rejects(
      'queues',
      edited((t) => (queue(t).VisibilityTimeout = 61)),
      /6 x worker timeout/,
    );
  });

  it('rules: pattern, input template', () => {
    const rule = (t: TemplateJson) => props(firstOf(t, 'AWS::Events::Rule'));
    rejects(
      'rules',
      edited((t) => (rule(t).EventPattern = { source: ['x'] })),
      /pattern/,
    );
    rejects(
      'rules',
      edited((t) => delete rule(t).Targets),
      /does not target/,
    );
  });

  it('secrets: no value in the template', () => {
    rejects(
      'secrets',
      edited((t) => (props(firstOf(t, 'AWS::SecretsManager::Secret')).SecretString = 'hunter2')),
      /value in the template/,
    );
  });

  it('alarms: condition and notification', () => {
    const alarm = (t: TemplateJson) => props(firstOf(t, 'AWS::CloudWatch::Alarm'));
    rejects(
      'alarms',
      edited((t) => (alarm(t).Threshold = 1e9)),
      /condition/,
    );
    rejects(
      'alarm actions',
      edited((t) => delete alarm(t).AlarmActions),
      /notifies nobody/,
    );
  });

  it('schedules: the worker, with the task input', () => {
    const schedule = (t: TemplateJson) => props(firstOf(t, 'AWS::Scheduler::Schedule'));
    rejects(
      'schedules',
      edited((t) => ((schedule(t).Target as Record<string, unknown>).Input = '{}')),
      /input/,
    );
    rejects(
      'schedules',
      edited((t) => ((schedule(t).Target as Record<string, unknown>).Arn = 'arn:elsewhere')),
      /does not invoke the worker/,
    );
  });

  it('event sources: partial batch responses', () => {
    rejects(
      'event sources',
      edited(
        (t) => delete props(firstOf(t, 'AWS::Lambda::EventSourceMapping')).FunctionResponseTypes,
      ),
      /batch item failures/,
    );
  });

  it('iam: wildcard actions, * resources', () => {
    const statements = (t: TemplateJson) => {
      const worker = ofType(t, 'AWS::IAM::Policy').find(([id]) => id.includes('Worker'));
      assert.ok(worker);
      return prop(worker[1], 'PolicyDocument.Statement') as Record<string, unknown>[];
    };
    for (const action of ['*', 's3:*', 'dynamodb:Get*']) {
      rejects(
        'iam',
        edited((t) =>
          statements(t).push({ Effect: 'Allow', Action: action, Resource: 'arn:aws:s3:::x' }),
        ),
        /wildcard action/,
      );
    }
    rejects(
      'iam',
      edited((t) =>
        statements(t).push({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }),
      ),
      /sqs:SendMessage on any resource/,
    );
  });

  it('buckets: public access, TLS, encryption, versioning, notifications', () => {
    const bucket = (t: TemplateJson) => props(firstOf(t, 'AWS::S3::Bucket'));
    rejects(
      'buckets',
      edited(
        (t) =>
          ((bucket(t).PublicAccessBlockConfiguration as Record<string, unknown>).BlockPublicPolicy =
            false),
      ),
      /BlockPublicPolicy is off/,
    );
    rejects(
      'buckets',
      edited((t) => delete props(firstOf(t, 'AWS::S3::BucketPolicy')).PolicyDocument),
      /without TLS/,
    );
    rejects(
      'buckets',
      edited((t) => delete bucket(t).VersioningConfiguration),
      /not versioned/,
    );
    rejects(
      'buckets',
      edited((t) => delete bucket(t).LifecycleConfiguration),
      /multipart/,
    );
    rejects(
      'buckets',
      edited(
        (t) => delete props(firstOf(t, 'Custom::S3BucketNotifications')).NotificationConfiguration,
      ),
      /does not notify/,
    );
  });

  it('network: a NAT gateway, a default route', () => {
    rejects(
      'network',
      edited((t) => (t.Resources.Nat = { Type: 'AWS::EC2::NatGateway', Properties: {} })),
      /NatGateway/,
    );
    rejects(
      'network',
      edited(
        (t) =>
          (t.Resources.Out = {
            Type: 'AWS::EC2::Route',
            Properties: { DestinationCidrBlock: '0.0.0.0/0' },
          }),
      ),
      /default route/,
    );
  });

  it('environment: unknown variables, development settings', () => {
    const env = (t: TemplateJson) =>
      prop(t.Resources[functionId(t, 'codecraft-api') ?? ''], 'Environment.Variables') as Record<
        string,
        unknown
      >;
    rejects(
      'environment',
      edited((t) => (env(t).DB_PASSWORD = 'x')),
      /not a config variable/,
    );
    rejects(
      'environment',
      edited((t) => (env(t).DB_MIGRATIONS_RUN = 'true')),
      /DB_MIGRATIONS_RUN/,
    );
  });

  it('finds what a manifest declares and the stack lacks', () => {
    const more: ResourceManifest = {
      ...manifest,
      tables: [
        ...manifest.tables,
        { name: 'extra', purpose: 'x', partitionKey: { name: 'id', type: 'S' } },
      ],
      queues: [
        ...manifest.queues,
        { name: 'extra', purpose: 'x', visibilityTimeoutSeconds: 30, maxReceiveCount: 3 },
      ],
      rules: [...manifest.rules, { ...(manifest.rules[0] ?? ({} as never)), name: 'extra' }],
      secrets: [...manifest.secrets, { name: 'extra', purpose: 'x', generate: 'password' }],
      alarms: [...manifest.alarms, { ...(manifest.alarms[0] ?? ({} as never)), name: 'extra' }],
      schedules: [
        ...manifest.schedules,
        { name: 'extra', task: 'extra', expression: 'rate(5 minutes)', purpose: 'x' },
      ],
    };
    const against = checks(names, more);
    for (const what of ['tables', 'queues', 'rules', 'secrets', 'alarms', 'schedules'] as const) {
      assert.ok(
        (against[what]?.(dev) ?? []).some((p) => p.includes('extra')),
        `${what} names the missing resource`,
      );
    }
  });

  it('rejects stacks synthesized with a property broken', () => {
    const breaking = (broken: (node: IConstruct) => void): IAspect => ({ visit: broken });
    const noPitr = synth(
      {},
      {
        aspect: breaking((node) => {
          if (node instanceof CfnTable) node.pointInTimeRecoverySpecification = undefined;
        }),
      },
    );
    assert.match(tablesCheck(manifest, names)(noPitr).join('\n'), /point-in-time recovery/);
    const noPartialBatches = synth(
      {},
      {
        aspect: breaking((node) => {
          if (node instanceof CfnEventSourceMapping) node.functionResponseTypes = undefined;
        }),
      },
    );
    assert.match(
      eventSourcesCheck(manifest, names)(noPartialBatches).join('\n'),
      /does not report batch item failures/,
    );
  });
});
