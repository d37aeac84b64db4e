import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  EventBridgeEvent,
  SQSRecord,
} from 'aws-lambda';
import { ResourceNames } from '#libs/aws';
import { loadEvent } from '../../e2e/support/fixtures.js';

const prefix = (): string => process.env.RESOURCE_PREFIX ?? 'codecraft';

/**
 * The functions' configuration as the stack gives it: production, the database and AWS endpoints
 * the runner prepared, Cognito auth, migrations already applied (the deploy runs them, not a
 * cold start).
 */
export function functionEnv(
  extra: Record<string, string> = {},
): Record<string, string | undefined> {
  const endpoints = Object.entries(process.env).filter(([key]) =>
    key.startsWith('AWS_ENDPOINT_URL'),
  );
  return {
    ...Object.fromEntries(endpoints),
    AWS_REGION: process.env.AWS_REGION,
    RESOURCE_PREFIX: prefix(),
    DATABASE_URL: process.env.DATABASE_URL,
    DB_SECRET_ID: process.env.DB_SECRET_ID,
    AUTH_MODE: 'cognito',
    DB_MIGRATIONS_RUN: 'false',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'json',
    ...extra,
  };
}

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly token?: string;
  readonly body?: unknown;
}

/** The recorded API Gateway HTTP API (v2) event, turned into another request. */
export function httpEvent({ method, path, token, body }: HttpRequest): APIGatewayProxyEventV2 {
  const recorded = loadEvent<APIGatewayProxyEventV2>('api-gateway-http-v2', prefix());
  const headers: Record<string, string | undefined> = { ...recorded.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return {
    ...recorded,
    rawPath: path,
    rawQueryString: '',
    queryStringParameters: undefined,
    headers,
    requestContext: {
      ...recorded.requestContext,
      requestId: randomUUID(),
      http: { ...recorded.requestContext.http, method, path },
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body), isBase64Encoded: false }),
  };
}

/** What serverless-express answers an HTTP API (v2) event with. */
export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
};

/** The recorded SQS record, as SQS would deliver `body` from the logical queue `queue`. */
export function sqsRecord(queue: string, body: unknown): SQSRecord {
  const recorded = loadEvent<{ Records: SQSRecord[] }>('sqs-batch', prefix()).Records[0];
  if (!recorded) throw new Error('the sqs-batch fixture has no record');
  const arn = recorded.eventSourceARN.replace(/[^:]+$/, new ResourceNames(prefix()).queue(queue));
  return {
    ...recorded,
    messageId: randomUUID(),
    receiptHandle: `handle-${randomUUID()}`,
    body: JSON.stringify(body),
    eventSourceARN: arn,
  };
}

/** The recorded EventBridge scheduled event, fired by the schedule rule of `task`. */
export function scheduledEvent(task: string): EventBridgeEvent<'Scheduled Event', unknown> {
  const recorded = loadEvent<EventBridgeEvent<'Scheduled Event', unknown>>(
    'eventbridge-scheduled',
    prefix(),
  );
  const ruleName = new ResourceNames(prefix()).rule(task);
  const rule = recorded.resources[0]?.replace(/rule\/.*$/, `rule/${ruleName}`);
  return { ...recorded, id: randomUUID(), resources: rule ? [rule] : [] };
}
