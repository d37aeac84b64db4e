import type { AwsClients } from '../../aws-clients.js';
import type { ResourceManifest } from '../manifest.types.js';
import { StepLog, type BootstrapOptions, type BootstrapStep } from './bootstrap-support.js';
import { CloudWatchAlarms } from './cloudwatch-alarms.bootstrap.js';
import { CognitoUserPools } from './cognito.bootstrap.js';
import { DynamoDbTables } from './dynamodb-tables.bootstrap.js';
import { EventBridgeRules } from './eventbridge.bootstrap.js';
import { S3Buckets } from './s3-buckets.bootstrap.js';
import { LocalSecrets } from './secrets.bootstrap.js';
import { SesIdentities } from './ses-identities.bootstrap.js';
import { SqsQueues } from './sqs-queues.bootstrap.js';

export type BootstrapClients = Pick<
  AwsClients,
  'dynamo' | 's3' | 'sqs' | 'ses' | 'events' | 'secrets' | 'cognito' | 'cloudwatch'
>;

/**
 * Creates or updates every resource in the manifest, one service at a time. Idempotent: a second
 * run reports every step `unchanged`. Order matters: queues before the bucket notifications and
 * rules that target them, secrets before the demo user whose password they hold, queues before
 * the alarms on them.
 */
export class ResourceBootstrapper {
  constructor(
    private readonly clients: BootstrapClients,
    private readonly options: BootstrapOptions,
  ) {}

  async run(manifest: ResourceManifest): Promise<readonly BootstrapStep[]> {
    const { clients, options } = this;
    const { names } = options;
    const log = new StepLog(options.onStep);
    const tables = new DynamoDbTables(clients.dynamo, names, log);
    const queues = new SqsQueues(clients.sqs, names, log);
    const buckets = new S3Buckets(clients.s3, queues, names, log);
    const events = new EventBridgeRules(clients.events, queues, names, log);
    const identities = new SesIdentities(clients.ses, log);
    const secrets = new LocalSecrets(clients.secrets, names, options.senderAddress, log);
    const pools = new CognitoUserPools(clients.cognito, clients.secrets, names, log);
    const alarms = new CloudWatchAlarms(clients.cloudwatch, names, options.metricsNamespace, log);

    for (const table of manifest.tables) await tables.ensure(table);
    for (const queue of manifest.queues) await queues.ensure(queue);
    for (const bucket of manifest.buckets) await buckets.ensure(bucket);
    for (const bus of manifest.buses) await events.ensureBus(bus.name);
    for (const rule of manifest.rules) await events.ensureRule(rule);
    for (const schedule of manifest.schedules) await events.ensureSchedule(schedule);
    // The configured sender (SES_FROM_ADDRESS) is always one.
    for (const identity of new Set([...manifest.emailIdentities, options.senderAddress]))
      await identities.ensure(identity);
    if (options.local) for (const secret of manifest.secrets) await secrets.ensure(secret);
    const demoUser = options.local ? { email: options.demoUserEmail } : undefined;
    for (const pool of manifest.userPools) await pools.ensure(pool, demoUser);
    await alarms.ensureAll(manifest.alarms);
    return log.steps;
  }
}
