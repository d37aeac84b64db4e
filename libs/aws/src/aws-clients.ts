import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsSettings } from '#libs/config';

/** Options shared by every SDK v3 client: region, optional emulator endpoint and credentials. */
export function clientOptions(aws: AwsSettings) {
  return {
    region: aws.region,
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
    ...(aws.credentials ? { credentials: aws.credentials } : {}),
    maxAttempts: 3,
  };
}

/** Builds all clients at once (used by Nest providers and by the CLI scripts). */
export function createAwsClients(aws: AwsSettings) {
  const options = clientOptions(aws);
  const dynamo = new DynamoDBClient(options);
  return {
    dynamo,
    documents: DynamoDBDocumentClient.from(dynamo, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
    // Emulators serve buckets by path (http://host:port/bucket/key); AWS prefers virtual hosts.
    s3: new S3Client({ ...options, forcePathStyle: Boolean(aws.endpoint) }),
    sqs: new SQSClient(options),
    ses: new SESv2Client(options),
    events: new EventBridgeClient(options),
    secrets: new SecretsManagerClient(options),
    cognito: new CognitoIdentityProviderClient(options),
  };
}

export type AwsClients = ReturnType<typeof createAwsClients>;

export function destroyAwsClients(clients: AwsClients): void {
  for (const client of Object.values(clients)) client.destroy();
}
