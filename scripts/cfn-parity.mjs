// npm run test:parity (issue 13): the CDK template and the emulator bootstrap declare the same data
// resources. Synthesizes the stack with prefix ccparity, keeps the resources the bootstrap also
// manages and moto's CloudFormation can create (tables, queues, bucket, bus, rules), deploys them
// with CreateStack on a private moto, then runs the bootstrap on top: every resource the stack
// created must come back `unchanged` (same names, keys, indexes, TTL, redrive, notifications,
// patterns); the bootstrap creates the rest (secrets, user pool, e-mail identities, alarms,
// schedule rules). Finally the e2e suite runs on the result.
//   node scripts/cfn-parity.mjs [--no-e2e] [e2e file filters...]   (after npm run build)
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import {
  DynamoDBClient,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  PutBucketCorsCommand,
  PutBucketNotificationConfigurationCommand,
  PutPublicAccessBlockCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startMoto } from './lib/emulator.mjs';
import { run } from './lib/run.mjs';

const prefix = 'ccparity';
const region = 'us-east-1';
const stackName = `${prefix}-data`;
// moto checks no signature; these are its documented dummy credentials, never real ones.
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const args = process.argv.slice(2);
const runE2e = !args.includes('--no-e2e');
const e2eFilters = args.filter((a) => !a.startsWith('--'));

/**
 * What the stack deploys on moto: the manifest's data resources, the kinds the bootstrap compares.
 * Kind and name property are those of the bootstrap's output lines.
 */
const KEPT = {
  'AWS::DynamoDB::Table': { kind: 'table', name: 'TableName' },
  'AWS::SQS::Queue': { kind: 'queue', name: 'QueueName' },
  'AWS::S3::Bucket': { kind: 'bucket', name: 'BucketName' },
  'AWS::Events::EventBus': { kind: 'event-bus', name: 'Name' },
  'AWS::Events::Rule': { kind: 'rule', name: 'Name' },
};
/** Not kept, and why (moto 5.2.5's CloudFormation has no model for the types marked so). */
const DROPPED = {
  'AWS::SecretsManager::Secret': 'no moto CloudFormation model; the bootstrap creates the secrets',
  'AWS::SecretsManager::SecretTargetAttachment': 'no moto model; RDS secret (cloud only)',
  'AWS::Cognito::UserPool': 'no moto model; the bootstrap creates the pool',
  'AWS::Cognito::UserPoolClient': 'no moto model; the bootstrap creates the client',
  'AWS::Cognito::UserPoolGroup': 'no moto model; the bootstrap creates the group',
  'AWS::SES::ConfigurationSet': 'no moto model; cloud only',
  'AWS::SES::EmailIdentity': 'no moto model; the bootstrap verifies the identities',
  'AWS::CloudWatch::Alarm': 'no moto model; the bootstrap creates the alarms',
  'AWS::CloudWatch::Dashboard': 'moto can create it, but it is cloud only (not in the manifest)',
  'AWS::Scheduler::ScheduleGroup': 'no moto model; locally the schedules are EventBridge rules',
  'AWS::Scheduler::Schedule': 'no moto model; locally the schedules are EventBridge rules',
  'AWS::SQS::QueuePolicy': 'no moto model; the bootstrap writes the queue policies itself',
  'AWS::S3::BucketPolicy': 'no moto model; TLS-only policy, cloud only',
  'AWS::SNS::TopicPolicy': 'no moto model; alarm topic, cloud only',
  'AWS::SNS::Subscription': 'no moto model; alarm e-mail, cloud only',
  'AWS::ApiGatewayV2::Api': 'no moto model; HTTP API, cloud only',
  'AWS::ApiGatewayV2::Integration': 'no moto model; HTTP API, cloud only',
  'AWS::ApiGatewayV2::Route': 'no moto model; HTTP API, cloud only',
  'AWS::ApiGatewayV2::Stage': 'no moto model; HTTP API, cloud only',
  'AWS::EC2::SecurityGroupEgress': 'no moto model; VPC, cloud only',
  'Custom::S3BucketNotifications':
    'Lambda-backed custom resource (moto would have to run the handler in Docker); this script ' +
    'applies its NotificationConfiguration itself, as the handler does',
  'Custom::VpcRestrictDefaultSG': 'Lambda-backed custom resource; VPC, cloud only',
  'Custom::Trigger': 'Lambda-backed custom resource; runs the migrations, cloud only',
};
const CLOUD_ONLY =
  'moto can create it, but it is cloud only (not in the manifest): functions, roles, VPC, RDS, logs';

function fail(message) {
  console.error(`cfn-parity: ${message}`);
  process.exitCode = 1;
}

// --- 1. Synthesize (into a private directory: cdk.out/ belongs to npm run synth) -------------
function synth() {
  const out = mkdtempSync(join(tmpdir(), 'cfn-parity-'));
  const cdk = run(
    'npx',
    [
      'cdk',
      '--app',
      'node dist/infra/bin/app.js',
      '--output',
      out,
      '--no-notices',
      '--no-version-reporting',
      'synth',
      '--quiet',
      '-c',
      `prefix=${prefix}`,
    ],
    {
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (cdk.status !== 0) throw new Error(`cdk synth failed (exit ${cdk.status})`);
  const file = readdirSync(out).find((f) => f.endsWith('.template.json'));
  if (!file) throw new Error(`cdk synth wrote no template into ${out}`);
  const template = JSON.parse(readFileSync(join(out, file), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  return template;
}

// --- 2. Keep the data resources, make the template self-consistent -----------------------------
/** Every logical id a Ref / Fn::GetAtt / Fn::Sub in `node` points at. */
function references(node, found = new Set()) {
  if (Array.isArray(node)) for (const item of node) references(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string') found.add(value);
      else if (key === 'Fn::GetAtt')
        found.add(Array.isArray(value) ? value[0] : String(value).split('.')[0]);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? value[0] : value;
        for (const [, name] of String(text).matchAll(/\$\{([^}!.]+)[^}]*\}/g)) found.add(name);
        if (Array.isArray(value)) references(value[1], found);
      } else references(value, found);
    }
  }
  return found;
}

function dataTemplate(template) {
  const resources = {};
  const dropped = new Map();
  const notifications = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'Custom::S3BucketNotifications') notifications.push(resource.Properties);
    const path = String(resource.Metadata?.['aws:cdk:path'] ?? '');
    // The scheduler's dead-letter queue for worker invocations belongs to the functions: cloud only.
    if (KEPT[resource.Type] && path.includes('/Functions/'))
      dropped.set(`${resource.Type} (${path})`, 'cloud only: the functions, not the manifest');
    else if (KEPT[resource.Type]) resources[id] = JSON.parse(JSON.stringify(resource));
    else dropped.set(resource.Type, DROPPED[resource.Type] ?? CLOUD_ONLY);
  }
  for (const resource of Object.values(resources)) {
    delete resource.Metadata;
    if (resource.DependsOn) {
      const on = [resource.DependsOn].flat().filter((d) => d in resources);
      if (on.length > 0) resource.DependsOn = on;
      else delete resource.DependsOn;
    }
    // moto resolves `Ref` to an event bus to the bus object, not its name: write the name AWS
    // returns for that Ref, and keep the order with DependsOn.
    const bus = resource.Properties?.EventBusName;
    if (resource.Type === 'AWS::Events::Rule' && bus?.Ref && resources[bus.Ref]) {
      resource.Properties.EventBusName = resources[bus.Ref].Properties.Name;
      resource.DependsOn = [...new Set([...[resource.DependsOn ?? []].flat(), bus.Ref])];
    }
    // A rule keeps its targets among the kept resources (the queues); others (a function) go.
    if (resource.Type === 'AWS::Events::Rule' && resource.Properties.Targets)
      resource.Properties.Targets = resource.Properties.Targets.filter((t) =>
        [...references(t)].every((r) => r in resources),
      );
  }
  const parameters = {};
  for (const [id, resource] of Object.entries(resources)) {
    for (const ref of references(resource)) {
      if (ref in resources || ref.startsWith('AWS::')) continue;
      if (template.Parameters?.[ref]) parameters[ref] = template.Parameters[ref];
      else throw new Error(`${id} references ${ref}, which the data template drops`);
    }
  }
  return {
    body: {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: `CodeCraft data resources (${prefix}), for the bootstrap parity check`,
      ...(Object.keys(parameters).length > 0 ? { Parameters: parameters } : {}),
      ...(template.Conditions ? { Conditions: template.Conditions } : {}),
      Resources: resources,
    },
    dropped,
    notifications,
  };
}

// --- 3. CloudFormation on moto through the Query API, SigV4-signed --------------------------------
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

async function cloudFormation(endpoint, action, params) {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-15', ...params }).toString();
  const url = new URL(endpoint);
  const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/cloudformation/aws4_request`;
  const headers = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: url.host,
    'x-amz-date': amzDate,
  };
  const signed = Object.keys(headers).sort();
  const canonical = [
    'POST',
    '/',
    '',
    ...signed.map((h) => `${h}:${headers[h]}`),
    '',
    signed.join(';'),
    sha256(body),
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [region, 'cloudformation', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`,
    },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`CloudFormation ${action}: HTTP ${response.status}: ${text}`);
  return text;
}

const xmlValues = (xml, tag) =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

async function deploy(endpoint, body) {
  await cloudFormation(endpoint, 'CreateStack', {
    StackName: stackName,
    TemplateBody: JSON.stringify(body),
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const described = await cloudFormation(endpoint, 'DescribeStacks', { StackName: stackName });
    const [status] = xmlValues(described, 'StackStatus');
    if (status === 'CREATE_COMPLETE') break;
    if (!status?.endsWith('_IN_PROGRESS') || Date.now() > deadline) {
      const events = await cloudFormation(endpoint, 'DescribeStackEvents', {
        StackName: stackName,
      });
      throw new Error(
        `stack ${stackName} is ${status}: ${xmlValues(events, 'ResourceStatusReason').join('; ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const listed = await cloudFormation(endpoint, 'ListStackResources', { StackName: stackName });
  return [...listed.matchAll(/<member>([\s\S]*?)<\/member>/g)].map(([, member]) => ({
    logicalId: xmlValues(member, 'LogicalResourceId')[0],
    physicalId: xmlValues(member, 'PhysicalResourceId')[0],
    type: xmlValues(member, 'ResourceType')[0],
    status: xmlValues(member, 'ResourceStatus')[0],
  }));
}

// --- 4. What AWS CloudFormation applies and moto's ignores ---------------------------------------
// moto's S3 model reads only BucketEncryption and Tags, its DynamoDB model neither TTL nor PITR.
// Applying those properties from the template itself (never from the manifest) keeps the check
// honest: a template value that differs from the manifest's still shows up as `updated`.
async function completeWhatMotoIgnores(endpoint, body, notifications, stackId) {
  const s3 = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  const dynamo = new DynamoDBClient({ endpoint, region, credentials });
  const applied = [];
  const resolve = (value) => {
    if (value && typeof value === 'object' && 'Fn::GetAtt' in value) {
      const [id, attribute] = value['Fn::GetAtt'];
      const resource = body.Resources[id];
      if (resource?.Type === 'AWS::SQS::Queue' && attribute === 'Arn')
        return `arn:aws:sqs:${region}:123456789012:${resource.Properties.QueueName}`;
      throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute}`);
    }
    if (value && typeof value === 'object' && 'Ref' in value) {
      const resource = body.Resources[value.Ref];
      if (resource?.Type === 'AWS::S3::Bucket') return resource.Properties.BucketName;
      throw new Error(`cannot resolve Ref ${value.Ref}`);
    }
    return value;
  };
  try {
    for (const { Type, Properties: p } of Object.values(body.Resources)) {
      if (Type === 'AWS::S3::Bucket') {
        const Bucket = p.BucketName;
        if (p.PublicAccessBlockConfiguration) {
          await s3.send(
            new PutPublicAccessBlockCommand({
              Bucket,
              PublicAccessBlockConfiguration: p.PublicAccessBlockConfiguration,
            }),
          );
          applied.push(`${Bucket} PublicAccessBlockConfiguration`);
        }
        if (p.VersioningConfiguration) {
          await s3.send(
            new PutBucketVersioningCommand({
              Bucket,
              VersioningConfiguration: { Status: p.VersioningConfiguration.Status },
            }),
          );
          applied.push(`${Bucket} VersioningConfiguration`);
        }
        if (p.CorsConfiguration) {
          const CORSRules = p.CorsConfiguration.CorsRules.map((r) => ({
            ...(r.Id ? { ID: r.Id } : {}),
            AllowedHeaders: r.AllowedHeaders,
            AllowedMethods: r.AllowedMethods,
            AllowedOrigins: r.AllowedOrigins,
            ExposeHeaders: r.ExposedHeaders,
            MaxAgeSeconds: r.MaxAge,
          }));
          await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules } }));
          applied.push(`${Bucket} CorsConfiguration`);
        }
      }
      if (Type === 'AWS::DynamoDB::Table') {
        if (p.TimeToLiveSpecification) {
          await dynamo.send(
            new UpdateTimeToLiveCommand({
              TableName: p.TableName,
              TimeToLiveSpecification: p.TimeToLiveSpecification,
            }),
          );
          applied.push(`${p.TableName} TimeToLiveSpecification`);
        }
        if (p.PointInTimeRecoverySpecification) {
          await dynamo.send(
            new UpdateContinuousBackupsCommand({
              TableName: p.TableName,
              PointInTimeRecoverySpecification: {
                PointInTimeRecoveryEnabled:
                  p.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled,
              },
            }),
          );
          applied.push(`${p.TableName} PointInTimeRecoverySpecification`);
        }
      }
    }
    // The CDK's notifications handler puts the configuration with ids `<stack id>-<hash>`.
    for (const n of notifications) {
      const Bucket = resolve(n.BucketName);
      const QueueConfigurations = (n.NotificationConfiguration.QueueConfigurations ?? []).map(
        (q) => ({
          Id: `${stackId}-${sha256(JSON.stringify(q)).slice(0, 16)}`,
          QueueArn: resolve(q.QueueArn),
          Events: q.Events,
          ...(q.Filter ? { Filter: q.Filter } : {}),
        }),
      );
      await s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: { QueueConfigurations },
        }),
      );
      applied.push(`${Bucket} notifications (Custom::S3BucketNotifications)`);
    }
  } finally {
    s3.destroy();
    dynamo.destroy();
  }
  return applied;
}

// --- 5. Bootstrap on top, then the e2e suite --------------------------------------------------------
function bootstrap(env) {
  const result = run(process.execPath, ['dist/scripts/bootstrap.js'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(result.stdout);
  if (result.status !== 0) throw new Error(`bootstrap failed (exit ${result.status})`);
  return [
    ...result.stdout.matchAll(/^\s+[=+~] (\S+)\s+(\S+) \((created|updated|unchanged)\)$/gm),
  ].map(([, kind, name, outcome]) => ({ kind, name, outcome }));
}

function compare(stackResources, body, steps) {
  const byKey = new Map(steps.map((s) => [`${s.kind} ${s.name}`, s]));
  const fromStack = new Set();
  const problems = [];
  for (const r of stackResources) {
    const kept = KEPT[r.type];
    const resource = body.Resources[r.logicalId];
    if (!kept || !resource) continue;
    const name = resource.Properties[kept.name];
    const key = `${kept.kind} ${name}`;
    fromStack.add(key);
    const step = byKey.get(key);
    if (!step) problems.push(`${key}: created by the stack, the bootstrap does not declare it`);
    else if (step.outcome === 'updated')
      problems.push(`${key}: updated (the template and the manifest disagree)`);
    else if (step.outcome === 'created')
      problems.push(`${key}: created twice (the bootstrap did not find the stack's)`);
  }
  const kinds = new Set(Object.values(KEPT).map((k) => k.kind));
  for (const s of steps)
    if (kinds.has(s.kind) && !fromStack.has(`${s.kind} ${s.name}`))
      problems.push(`${s.kind} ${s.name}: in the manifest, not in the template`);
  return problems;
}

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const moto = await startMoto();
try {
  console.log(`Synthesizing the stack with -c prefix=${prefix}...`);
  // CFN_PARITY_TEMPLATE: an already synthesized template (with prefix ccparity) instead.
  const given = process.env.CFN_PARITY_TEMPLATE;
  const template = given ? JSON.parse(readFileSync(given, 'utf8')) : synth();
  const { body, dropped, notifications } = dataTemplate(template);
  if (process.env.CFN_PARITY_DUMP)
    writeFileSync(process.env.CFN_PARITY_DUMP, JSON.stringify(body, null, 2));
  console.log(`Dropped (${dropped.size} types):`);
  for (const [type, why] of [...dropped].sort()) console.log(`  - ${type}: ${why}`);

  console.log(`CreateStack ${stackName} on moto ${moto.url} (${seconds()})`);
  const stackResources = await deploy(moto.url, body);
  const counts = {};
  for (const r of stackResources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  console.log(
    `CREATE_COMPLETE: ${Object.entries(counts)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ')}`,
  );
  const failed = stackResources.filter((r) => r.status !== 'CREATE_COMPLETE');
  if (failed.length > 0)
    throw new Error(`not created: ${failed.map((r) => `${r.logicalId} ${r.status}`).join(', ')}`);
  const described = await cloudFormation(moto.url, 'DescribeStacks', { StackName: stackName });
  const applied = await completeWhatMotoIgnores(
    moto.url,
    body,
    notifications,
    xmlValues(described, 'StackId')[0],
  );
  console.log(`Applied what moto's CloudFormation ignores: ${applied.length} properties`);
  for (const a of applied) console.log(`  - ${a}`);

  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.url,
    AWS_REGION: region,
    RESOURCE_PREFIX: prefix,
    LOG_LEVEL: 'error',
  };
  console.log(`Bootstrap on top (${seconds()}):`);
  const steps = bootstrap(env);
  const tally = { unchanged: 0, created: 0, updated: 0 };
  for (const s of steps) tally[s.outcome] += 1;
  console.log(
    `Bootstrap: ${tally.unchanged} unchanged, ${tally.created} created, ${tally.updated} updated`,
  );
  const problems = compare(stackResources, body, steps);
  if (problems.length > 0) {
    for (const p of problems) fail(p);
  } else {
    console.log(`Parity: every resource of the stack is unchanged (${seconds()}).`);
  }

  if (runE2e && problems.length === 0) {
    console.log(`e2e on the parity stack (${seconds()})...`);
    const e2e = run(process.execPath, ['scripts/test.mjs', '--e2e', ...e2eFilters], {
      env: { ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
      stdio: 'inherit',
    });
    if (e2e.status !== 0) fail(`e2e failed on the parity stack (exit ${e2e.status})`);
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await moto.stop();
  console.log(`cfn-parity ${process.exitCode ? 'FAILED' : 'passed'} in ${seconds()}`);
}
