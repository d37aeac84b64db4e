import { CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ResourceNames, type ResourceManifest } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { Buckets, stagingPrefix, Tables } from './constructs/data.js';
import { Database } from './constructs/database.js';
import {
  Functions,
  readinessProbeStatement,
  sendEmailStatement,
  workerTimeout,
  type FunctionEnvironment,
} from './constructs/functions.js';
import { HttpApi } from './constructs/http-api.js';
import { Email, Secrets, UserPools } from './constructs/identity.js';
import { EventRouting, Queues } from './constructs/messaging.js';
import { Monitoring } from './constructs/monitoring.js';
import { Network } from './constructs/network.js';
import { TaskSchedules } from './constructs/schedules.js';
import type { StackSettings } from './settings.js';

/** RFC 5321-ish: enough to refuse a typo at deploy time. */
const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$';

export interface CodeCraftStackProps extends StackProps {
  readonly settings: StackSettings;
  readonly manifest: ResourceManifest;
}

/**
 * CodeCraft on AWS, built from the resource manifest: what the emulator bootstrap creates locally
 * (tables, queues, bucket, bus and rules, secrets, user pool, e-mail identities, alarms) plus what
 * only the cloud has: the two functions from the Lambda images, the HTTP API, the schedules of the
 * scheduled tasks, MySQL on RDS in a VPC without NAT, the deployment's migrations, a dashboard.
 * Every physical name comes from ResourceNames with the `prefix` setting, as in the apps.
 */
export class CodeCraftStack extends Stack {
  readonly names: ResourceNames;
  readonly functions: Functions;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: CodeCraftStackProps) {
    super(scope, id, props);
    const { settings, manifest } = props;
    const names = (this.names = new ResourceNames(settings.prefix));
    const prod = settings.stage === 'prod';

    const senderAddress = new CfnParameter(this, 'SenderAddress', {
      type: 'String',
      description: 'From address of the notification e-mails (SES verifies it: click the link)',
      allowedPattern: EMAIL_PATTERN,
    }).valueAsString;
    const alarmEmail = new CfnParameter(this, 'AlarmEmail', {
      type: 'String',
      description: 'Where the alarms are e-mailed (SNS asks to confirm the subscription)',
      allowedPattern: EMAIL_PATTERN,
    }).valueAsString;

    const network = new Network(this, 'Network', { retain: prod });
    const database = new Database(this, 'Database', { network, names, stage: settings.stage });

    const timeout = workerTimeout(manifest.queues);
    const queues = new Queues(this, 'Queues', {
      specs: manifest.queues,
      names,
      consumerTimeout: timeout,
    });
    const routing = new EventRouting(this, 'Events', {
      buses: manifest.buses,
      rules: manifest.rules,
      names,
      queues,
    });
    const tables = new Tables(this, 'Tables', {
      specs: manifest.tables,
      names,
      stage: settings.stage,
    });
    const buckets = new Buckets(this, 'Buckets', {
      specs: manifest.buckets,
      names,
      queue: (name) => queues.get(name).queue,
      stagingPrefix: stagingPrefix(),
    });
    const userPools = new UserPools(this, 'Users', {
      specs: manifest.userPools,
      names,
      stage: settings.stage,
    });
    const secrets = new Secrets(this, 'Secrets', {
      specs: manifest.secrets,
      userPools: manifest.userPools,
      names,
      senderAddress,
    });
    const email = new Email(this, 'Email', {
      identities: manifest.emailIdentities,
      senderAddress,
      names,
    });

    const [pool] = userPools.byName.values();
    const environment: FunctionEnvironment = {
      RESOURCE_PREFIX: names.prefix,
      LOG_LEVEL: 'info',
      AUTH_MODE: 'cognito',
      ...(pool
        ? {
            COGNITO_USER_POOL_ID: pool.pool.userPoolId,
            COGNITO_CLIENT_ID: pool.client.userPoolClientId,
          }
        : {}),
      SES_FROM_ADDRESS: senderAddress,
      METRICS_NAMESPACE: metricsNamespace(),
    };
    const functions = (this.functions = new Functions(this, 'Functions', {
      settings,
      names,
      network,
      database,
      environment,
      workerTimeout: timeout,
      migrateAfter: network.endpoints,
    }));
    functions.consume([...queues.byName.values()]);

    // Least privilege: each function gets its own data and nothing of another stack.
    const { api, worker } = functions;
    for (const fn of [api, worker]) {
      for (const table of tables.byName.values()) table.grantReadWriteData(fn);
      for (const bucket of buckets.byName.values())
        for (const statement of objectAccess(bucket)) fn.addToRolePolicy(statement);
      for (const bus of routing.buses.values()) {
        bus.grantPutEventsTo(fn);
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['events:DescribeEventBus'],
            resources: [bus.eventBusArn],
          }),
        );
      }
      // Both send (jobs, project events, the jobs DLQ for a job's final failure).
      for (const { queue, deadLetterQueue } of queues.byName.values()) {
        queue.grantSendMessages(fn);
        deadLetterQueue.grantSendMessages(fn);
      }
      database.secret.grantRead(fn);
      for (const secret of secrets.byName.values()) secret.grantRead(fn);
      // The notifications look account holders up by `sub` (ListUsers).
      for (const { pool: userPool } of userPools.byName.values())
        userPool.grant(fn, 'cognito-idp:ListUsers');
      fn.addToRolePolicy(readinessProbeStatement());
    }
    // The API counts and redrives dead letters (jobs); the worker consumes through its event
    // sources (granted by them) and sends the e-mails.
    for (const { deadLetterQueue } of queues.byName.values())
      deadLetterQueue.grantConsumeMessages(api);
    worker.addToRolePolicy(
      sendEmailStatement(this, {
        identityArns: email.identities.map((i) => i.emailIdentityArn),
        configurationSetName: email.configurationSet.configurationSetName,
      }),
    );

    const schedules = new TaskSchedules(this, 'Schedules', {
      specs: manifest.schedules,
      names,
      worker,
      deadLetterQueue: functions.workerInvocationsDlq,
    });
    const http = new HttpApi(this, 'Http', {
      handler: api,
      names,
      throttle: settings.apiThrottle,
      retainLogs: prod,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      names,
      alarmEmail,
      resources: {
        alarms: manifest.alarms,
        metricsNamespace: metricsNamespace(),
        functions: { api, worker },
        apiStage: http.stage,
        tables: tables.byName,
        queues: queues.byName,
        rules: new Map(
          [...routing.rules].map(([name, { spec, rule }]) => [
            name,
            { rule, busName: names.bus(spec.bus) },
          ]),
        ),
        schedules: schedules.group,
        extraDeadLetterQueues: [
          {
            name: 'worker-invocations-dlq',
            queue: functions.workerInvocationsDlq,
            what: 'Scheduled task runs that failed for good (every retry of the invocation)',
          },
        ],
      },
    });

    new CfnOutput(this, 'ApiUrl', { value: http.stage.url });
    if (pool) {
      new CfnOutput(this, 'UserPoolId', { value: pool.pool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: pool.client.userPoolClientId });
    }
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}

/**
 * What the apps do with objects, and only that: get, head, copy (get + put), put (multipart too),
 * abort a multipart upload, delete; presigned URLs carry the signer's rights, so they are bounded
 * by the same list. ListBucket is what HeadBucket (the readiness probe) needs, and what turns a
 * missing key into 404 rather than 403. `grantReadWrite` would add s3:GetBucket*, s3:List*, legal
 * holds, retention and tagging, which no code calls.
 */
function objectAccess(bucket: s3.IBucket): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: [bucket.arnForObjects('*')],
    }),
    new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
  ];
}

/** METRICS_NAMESPACE as the apps default it: where the manifest's `app` alarms look. */
function metricsNamespace(): string {
  return AppConfig.fromEnv({}).metricsNamespace;
}
