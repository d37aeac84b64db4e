import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListIdentitiesCommand, SESClient } from '@aws-sdk/client-ses';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ResourceNames, resourceManifest } from '#libs/aws';

const TIMEOUT_MS = 3000;

function firstName(list: readonly { name: string }[], what: string): string {
  const first = list[0];
  if (!first) throw new Error(`The resource manifest declares no ${what}`);
  return first.name;
}

/**
 * One readiness probe per AWS dependency. Each touches a real manifest resource, so "ready" means
 * "reachable and bootstrapped", not just "the endpoint answers".
 */
@Injectable()
export class AwsHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly names: ResourceNames,
    private readonly dynamo: DynamoDBClient,
    private readonly s3: S3Client,
    private readonly sqs: SQSClient,
    private readonly events: EventBridgeClient,
    private readonly ses: SESClient,
    private readonly secrets: SecretsManagerClient,
    private readonly cognito: CognitoIdentityProviderClient,
  ) {}

  all() {
    const m = resourceManifest;
    const table = this.names.table(firstName(m.tables, 'table'));
    const bucket = this.names.bucket(firstName(m.buckets, 'bucket'));
    const queue = this.names.queue(firstName(m.queues, 'queue'));
    const bus = this.names.bus(firstName(m.buses, 'event bus'));
    return [
      () =>
        this.probe('dynamodb', (abortSignal) =>
          this.dynamo.send(new DescribeTableCommand({ TableName: table }), { abortSignal }),
        ),
      () =>
        this.probe('s3', (abortSignal) =>
          this.s3.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }),
        ),
      () =>
        this.probe('sqs', (abortSignal) =>
          this.sqs.send(new GetQueueUrlCommand({ QueueName: queue }), { abortSignal }),
        ),
      () =>
        this.probe('eventbridge', (abortSignal) =>
          this.events.send(new DescribeEventBusCommand({ Name: bus }), { abortSignal }),
        ),
      () =>
        this.probe('ses', (abortSignal) =>
          this.ses.send(new ListIdentitiesCommand({ MaxItems: 1 }), { abortSignal }),
        ),
      () =>
        this.probe('secretsmanager', (abortSignal) =>
          this.secrets.send(new ListSecretsCommand({ MaxResults: 1 }), { abortSignal }),
        ),
      () =>
        this.probe('cognito', (abortSignal) =>
          this.cognito.send(new ListUserPoolsCommand({ MaxResults: 1 }), { abortSignal }),
        ),
    ];
  }

  private probe(key: string, call: (signal: AbortSignal) => Promise<unknown>) {
    return this.health
      .check(key)
      .attempt(async ({ signal }) => {
        await call(signal);
      })
      .withTimeout(TIMEOUT_MS);
  }
}
