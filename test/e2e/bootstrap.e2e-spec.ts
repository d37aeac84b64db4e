import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { AdminGetUserCommand, GetGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  GetBucketNotificationConfigurationCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ListIdentitiesCommand } from '@aws-sdk/client-ses';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { findUserPoolClientId, findUserPoolId, ResourceNames, resourceManifest } from '#libs/aws';
import { aws, spawnNode, testConfig, testEnv } from './support/harness.js';

const prefix = `boot${randomBytes(3).toString('hex')}`;
const names = new ResourceNames(prefix);
const env = testEnv({ RESOURCE_PREFIX: prefix });

async function bootstrap(): Promise<string> {
  const run = spawnNode('dist/scripts/bootstrap.js', env);
  const code = await run.exited;
  assert.equal(code, 0, run.output());
  return run.output();
}

describe('npm run bootstrap', () => {
  let firstOutput = '';

  it('creates every manifest resource on a fresh emulator', async () => {
    firstOutput = await bootstrap();
    const { dynamo, sqs, s3, events, ses, secrets, cognito, cloudwatch } = aws();

    for (const table of resourceManifest.tables) {
      const { Table } = await dynamo.send(
        new DescribeTableCommand({ TableName: names.table(table.name) }),
      );
      assert.ok(Table, `table ${table.name} exists`);
      assert.equal(Table.KeySchema?.[0]?.AttributeName, table.partitionKey.name);
      const indexes = (Table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort();
      assert.deepEqual(indexes, (table.indexes ?? []).map((i) => i.name).sort());
      if (table.ttlAttribute) {
        const ttl = await dynamo.send(
          new DescribeTimeToLiveCommand({ TableName: names.table(table.name) }),
        );
        assert.equal(ttl.TimeToLiveDescription?.TimeToLiveStatus, 'ENABLED');
        assert.equal(ttl.TimeToLiveDescription.AttributeName, table.ttlAttribute);
      }
    }

    for (const queue of resourceManifest.queues) {
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: names.queue(queue.name) }),
      );
      const { QueueUrl: dlqUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: names.deadLetterQueue(queue.name) }),
      );
      const dlq = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
      );
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
      );
      const redrive = JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}') as {
        deadLetterTargetArn?: string;
        maxReceiveCount?: number | string;
      };
      assert.equal(
        redrive.deadLetterTargetArn,
        dlq.Attributes?.QueueArn,
        `${queue.name} redrives to its DLQ`,
      );
      assert.equal(Number(redrive.maxReceiveCount), queue.maxReceiveCount);
      assert.equal(
        attributes.Attributes?.VisibilityTimeout,
        String(queue.visibilityTimeoutSeconds),
      );
    }

    for (const bucket of resourceManifest.buckets) {
      const block = await s3.send(
        new GetPublicAccessBlockCommand({ Bucket: names.bucket(bucket.name) }),
      );
      assert.deepEqual(block.PublicAccessBlockConfiguration, {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      const notifications = await s3.send(
        new GetBucketNotificationConfigurationCommand({ Bucket: names.bucket(bucket.name) }),
      );
      assert.equal(notifications.QueueConfigurations?.length, bucket.notifications.length);
    }

    for (const bus of resourceManifest.buses) {
      const described = await events.send(
        new DescribeEventBusCommand({ Name: names.bus(bus.name) }),
      );
      assert.equal(described.Name, names.bus(bus.name));
    }
    for (const rule of resourceManifest.rules) {
      const targets = await events.send(
        new ListTargetsByRuleCommand({
          Rule: names.rule(rule.name),
          EventBusName: names.bus(rule.bus),
        }),
      );
      assert.match(targets.Targets?.[0]?.Arn ?? '', new RegExp(`:${names.queue(rule.queue)}$`));
    }

    // Every @ScheduledTask of the worker Lambda has its rule (named like the task).
    assert.deepEqual(resourceManifest.schedules.map((s) => s.task).sort(), [
      'bank-event-relay',
      'bank-scheduled-operations',
      'jobs-sweeper',
      'outbox-purge',
      'outbox-relay',
    ]);
    for (const schedule of resourceManifest.schedules) {
      const rule = await events.send(new DescribeRuleCommand({ Name: names.rule(schedule.name) }));
      assert.equal(rule.ScheduleExpression, schedule.expression, schedule.name);
      assert.equal(rule.State, 'ENABLED');
    }

    const alarmNames = resourceManifest.alarms.map((a) => names.alarm(a.name));
    assert.ok(alarmNames.length > 0 && alarmNames.length <= 100);
    const described = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: alarmNames, AlarmTypes: ['MetricAlarm'] }),
    );
    const alarms = new Map<string, MetricAlarm>(
      (described.MetricAlarms ?? []).map((a) => [a.AlarmName ?? '', a]),
    );
    for (const spec of resourceManifest.alarms) {
      const alarm = alarms.get(names.alarm(spec.name));
      assert.ok(alarm, `alarm ${spec.name} exists`);
      assert.equal(alarm.MetricName, spec.metric);
      assert.equal(
        alarm.Namespace,
        spec.namespace === 'app' ? testConfig().metricsNamespace : spec.namespace,
      );
      assert.equal(alarm.Threshold, spec.threshold);
      assert.equal(alarm.ComparisonOperator, spec.comparison);
    }
    // Dimensions name this environment's resources, not logical ones.
    assert.deepEqual(alarms.get(names.alarm('jobs-dlq-depth'))?.Dimensions, [
      { Name: 'QueueName', Value: names.deadLetterQueue('jobs') },
    ]);
    assert.deepEqual(
      alarms
        .get(names.alarm('emails-failed-deposit-confirmation'))
        ?.Dimensions?.map((d) => `${d.Name ?? ''}=${d.Value ?? ''}`)
        .sort(),
      [`service=${prefix}-worker`, 'template=deposit-confirmation'],
    );

    const sender = testConfig().ses.fromAddress;
    const { Identities } = await ses.send(
      new ListIdentitiesCommand({ IdentityType: 'EmailAddress', MaxItems: 1000 }),
    );
    assert.ok(Identities?.includes(sender), 'sender identity exists');

    for (const secret of resourceManifest.secrets) {
      const described = await secrets.send(
        new DescribeSecretCommand({ SecretId: names.secret(secret.name) }),
      );
      assert.equal(described.Name, names.secret(secret.name));
    }

    for (const pool of resourceManifest.userPools) {
      const poolId = await findUserPoolId(cognito, names.userPool(pool.name));
      assert.ok(poolId, 'user pool exists');
      assert.ok(await findUserPoolClientId(cognito, poolId, pool.clientName), 'app client exists');
      for (const group of pool.groups)
        await cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: group }));
      const user = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: poolId, Username: testConfig().auth.demoUserEmail }),
      );
      assert.equal(user.UserStatus, 'CONFIRMED');
    }
    assert.match(firstOutput, /created/);
  });

  it('changes nothing on a second run', async () => {
    const output = await bootstrap();
    const steps = output.split('\n').filter((line) => /^\s+[+~=] /.test(line));
    assert.equal(
      steps.length,
      firstOutput.split('\n').filter((line) => /^\s+[+~=] /.test(line)).length,
    );
    assert.deepEqual(
      steps.filter((line) => !line.includes('(unchanged)')),
      [],
    );
    assert.match(output, / 0 changed\./);

    const { cognito } = aws();
    const pools = [];
    for (const pool of resourceManifest.userPools)
      pools.push(await findUserPoolId(cognito, names.userPool(pool.name)));
    assert.equal(pools.length, 1, 'no duplicate user pool');
  });
});
