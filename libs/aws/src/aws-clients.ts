import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsService, AwsSettings } from '#libs/config';

/**
 * Options for one service's SDK v3 client: region, that service's emulator endpoint (its
 * AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL) and the emulator credentials.
 */
export function clientOptions(aws: AwsSettings, service: AwsService) {
  const endpoint = aws.endpoints[service];
  return {
    region: aws.region,
    ...(endpoint ? { endpoint } : {}),
    ...(aws.credentials ? { credentials: aws.credentials } : {}),
    maxAttempts: 3,
  };
}

/** Builds all clients at once (used by Nest providers and by the CLI scripts). */
export function createAwsClients(aws: AwsSettings) {
  const dynamo = new DynamoDBClient(clientOptions(aws, 'DYNAMODB'));
  return {
    dynamo,
    documents: DynamoDBDocumentClient.from(dynamo, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
    // Emulators serve buckets by path (http://host:port/bucket/key); AWS prefers virtual hosts.
    s3: new S3Client({ ...clientOptions(aws, 'S3'), forcePathStyle: Boolean(aws.endpoints.S3) }),
    sqs: new SQSClient(clientOptions(aws, 'SQS')),
    // SES v1: the one e-mail API that moto, LocalStack's free plan and AWS all serve.
    ses: new SESClient(clientOptions(aws, 'SES')),
    events: new EventBridgeClient(clientOptions(aws, 'EVENTBRIDGE')),
    secrets: new SecretsManagerClient(clientOptions(aws, 'SECRETS_MANAGER')),
    cognito: new CognitoIdentityProviderClient(clientOptions(aws, 'COGNITO_IDENTITY_PROVIDER')),
    // Alarms (the bootstrap); metrics themselves are written as EMF log lines, not through the API.
    cloudwatch: new CloudWatchClient(clientOptions(aws, 'CLOUDWATCH')),
  };
}

export type AwsClients = ReturnType<typeof createAwsClients>;

export function destroyAwsClients(clients: AwsClients): void {
  for (const client of Object.values(clients)) client.destroy();
}
