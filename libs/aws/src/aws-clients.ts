import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
// The SDK's own HTTP handler (a dependency of every client, one deduplicated version).
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsService, AwsSettings } from '#libs/config';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
type HttpHandlerOptions = NonNullable<Parameters<NodeHttpHandler['handle']>[1]>;

/** SQS's longest long poll; a ReceiveMessage without WaitTimeSeconds waits the queue's default. */
const SQS_MAX_WAIT_SECONDS = 20;

/**
 * How long an SQS ReceiveMessage may legitimately wait before the service answers (its long poll),
 * or undefined for any other request. The SQS client speaks AWS JSON 1.0.
 */
export function longPollWaitMs(request: HttpRequest): number | undefined {
  if (request.headers['x-amz-target'] !== 'AmazonSQS.ReceiveMessage') return undefined;
  const body: unknown = request.body;
  // The SDK's JSON body is a Uint8Array subclass that warns when treated as a string: read bytes.
  const text =
    typeof body === 'string'
      ? body
      : body instanceof Uint8Array
        ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
        : '';
  let wait: unknown;
  try {
    wait = (JSON.parse(text) as { WaitTimeSeconds?: unknown }).WaitTimeSeconds;
  } catch {
    wait = undefined;
  }
  const seconds = typeof wait === 'number' && wait >= 0 ? wait : SQS_MAX_WAIT_SECONDS;
  return Math.min(seconds, SQS_MAX_WAIT_SECONDS) * 1000;
}

/**
 * NodeHttpHandler whose request timeout is a deadline that fails the attempt (TimeoutError, which
 * the SDK retries), and which gives SQS long polls their wait on top of it.
 */
class TimedHttpHandler extends NodeHttpHandler {
  constructor(
    private readonly requestMs: number,
    connectMs: number,
    socketIdleMs: number | undefined,
  ) {
    super({
      connectionTimeout: connectMs,
      requestTimeout: requestMs,
      throwOnRequestTimeout: true,
      ...(socketIdleMs === undefined ? {} : { socketTimeout: socketIdleMs }),
    });
  }

  override handle(request: HttpRequest, options: HttpHandlerOptions = {}) {
    const wait = options.requestTimeout === undefined ? longPollWaitMs(request) : undefined;
    return super.handle(
      request,
      wait === undefined ? options : { ...options, requestTimeout: this.requestMs + wait },
    );
  }
}

export interface ClientTimeouts {
  /** Deadline of one attempt up to the response headers; default AWS_REQUEST_TIMEOUT_MS. */
  readonly requestMs?: number;
  /** Fail after this long without a byte moving on the socket; default: the SDK's own. */
  readonly socketIdleMs?: number;
}

/**
 * Options for one service's SDK v3 client: region, that service's emulator endpoint (its
 * AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL), the emulator credentials, and the timeouts
 * that bound every call: maxAttempts × AWS_REQUEST_TIMEOUT_MS plus the SDK's backoff
 * (`aws.timeouts.callBoundMs`).
 */
export function clientOptions(
  aws: AwsSettings,
  service: AwsService,
  timeouts: ClientTimeouts = {},
) {
  const endpoint = aws.endpoints[service];
  return {
    region: aws.region,
    ...(endpoint ? { endpoint } : {}),
    ...(aws.credentials ? { credentials: aws.credentials } : {}),
    maxAttempts: aws.timeouts.maxAttempts,
    requestHandler: new TimedHttpHandler(
      timeouts.requestMs ?? aws.timeouts.requestMs,
      aws.timeouts.connectMs,
      timeouts.socketIdleMs,
    ),
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
    // Object bodies are read after the headers, at their reader's pace: a stall fails them.
    s3: new S3Client({
      ...clientOptions(aws, 'S3', { socketIdleMs: aws.timeouts.transferMs }),
      forcePathStyle: Boolean(aws.endpoints.S3),
    }),
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
