import {
  Global,
  Module,
  type Abstract,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppConfig } from '#libs/config';
import { createAwsClients, destroyAwsClients, type AwsClients } from './aws-clients.js';
import { ResourceNames } from './resource-names.js';

const AWS_CLIENTS = Symbol('AWS_CLIENTS');

function pick<K extends keyof AwsClients>(token: Abstract<AwsClients[K]>, key: K): Provider {
  return {
    provide: token,
    useFactory: (clients: AwsClients) => clients[key],
    inject: [AWS_CLIENTS],
  };
}

class AwsClientsLifecycle implements OnApplicationShutdown {
  constructor(private readonly clients: AwsClients) {}
  onApplicationShutdown(): void {
    destroyAwsClients(this.clients);
  }
}

/**
 * Every AWS SDK v3 client as an injectable provider, keyed by its class:
 * `constructor(private readonly s3: S3Client)`. Built from AppConfig, so AWS_ENDPOINT_URL (and
 * AWS_ENDPOINT_URL_<SERVICE>) point them at emulators.
 */
@Global()
@Module({
  providers: [
    {
      provide: AWS_CLIENTS,
      useFactory: (config: AppConfig) => createAwsClients(config.aws),
      inject: [AppConfig],
    },
    {
      provide: AwsClientsLifecycle,
      useFactory: (c: AwsClients) => new AwsClientsLifecycle(c),
      inject: [AWS_CLIENTS],
    },
    {
      provide: ResourceNames,
      useFactory: (config: AppConfig) => new ResourceNames(config.prefix),
      inject: [AppConfig],
    },
    pick(DynamoDBClient, 'dynamo'),
    pick(DynamoDBDocumentClient, 'documents'),
    pick(S3Client, 's3'),
    pick(SQSClient, 'sqs'),
    pick(SESClient, 'ses'),
    pick(EventBridgeClient, 'events'),
    pick(SecretsManagerClient, 'secrets'),
    pick(CognitoIdentityProviderClient, 'cognito'),
    pick(CloudWatchClient, 'cloudwatch'),
  ],
  exports: [
    ResourceNames,
    DynamoDBClient,
    DynamoDBDocumentClient,
    S3Client,
    SQSClient,
    SESClient,
    EventBridgeClient,
    SecretsManagerClient,
    CognitoIdentityProviderClient,
    CloudWatchClient,
  ],
})
export class AwsModule {}
