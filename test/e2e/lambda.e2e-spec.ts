import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  EventBridgeEvent,
  SQSEvent,
} from 'aws-lambda';
import { createHandler, migrate } from '../../apps/worker/src/lambda.js';
import { migrations } from '#libs/database';
import { ProbeModule } from '../fixtures/probe.consumer.js';
import { lambdaContext, loadEvent } from './support/fixtures.js';
import { demoToken } from './support/harness.js';

interface HttpResult {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
}

const scratch = mkdtempSync(join(tmpdir(), 'lambda-'));
const heartbeat = join(scratch, 'heartbeat');
process.env.WORKER_HEARTBEAT_FILE = heartbeat;

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('API Lambda handler (serverless-express)', async () => {
  const { handler, closeCachedApp } = await import('../../apps/api/src/lambda.js');
  const context = lambdaContext('codecraft-api');
  after(closeCachedApp);

  it('answers an API Gateway HTTP API (v2) event', async () => {
    const event = loadEvent<APIGatewayProxyEventV2>('api-gateway-http-v2');
    const result = (await handler(event, context)) as HttpResult;
    assert.equal(result.statusCode, 200);
    assert.deepEqual(JSON.parse(result.body), { status: 'ok', info: {}, error: {}, details: {} });
  });

  it('answers an API Gateway REST API (v1) event', async () => {
    const event = loadEvent<APIGatewayProxyEvent>('api-gateway-rest-v1');
    const result = (await handler(event, context)) as HttpResult;
    assert.equal(result.statusCode, 200);
  });

  it('applies the guard: 401 without a token, 200 with one', async () => {
    const event = loadEvent<APIGatewayProxyEventV2>('api-gateway-http-v2');
    const anonymous = {
      ...event,
      rawPath: '/me',
      rawQueryString: '',
      requestContext: {
        ...event.requestContext,
        http: { ...event.requestContext.http, path: '/me' },
      },
    };
    const denied = (await handler(anonymous, context)) as HttpResult;
    assert.equal(denied.statusCode, 401);
    assert.equal((JSON.parse(denied.body) as { code?: string }).code, 'unauthorized');
    const signedIn = {
      ...anonymous,
      headers: { ...anonymous.headers, authorization: `Bearer ${await demoToken()}` },
    };
    const allowed = (await handler(signedIn, context)) as HttpResult;
    assert.equal(allowed.statusCode, 200);
  });
});

describe('Worker Lambda handler', () => {
  const handler = createHandler([ProbeModule]);
  const context = lambdaContext('codecraft-worker');
  after(() => handler.close());

  it('processes an SQS batch and reports only the failing record', async () => {
    const event = loadEvent<SQSEvent>('sqs-batch');
    const result = await handler(event, context);
    assert.deepEqual(result, {
      batchItemFailures: [{ itemIdentifier: '2e1424d4-f796-459a-8184-9c92662be6da' }],
    });
  });

  it('reports nothing when the whole batch succeeds', async () => {
    const event = loadEvent<SQSEvent>('sqs-batch');
    const onlyGood = { Records: event.Records.filter((r) => r.body.includes('"ok"')) };
    assert.deepEqual(await handler(onlyGood, context), { batchItemFailures: [] });
  });

  it('runs the scheduled task named by an EventBridge schedule rule', async () => {
    rmSync(heartbeat, { force: true });
    await handler(
      loadEvent<EventBridgeEvent<'Scheduled Event', unknown>>('eventbridge-scheduled'),
      context,
    );
    assert.ok(existsSync(heartbeat), 'the heartbeat task ran');
    rmSync(heartbeat);
    await handler({ task: 'heartbeat' }, context);
    assert.ok(Date.parse(readFileSync(heartbeat, 'utf8')) > 0, 'a constant {task} input works too');
  });

  it('fails loudly for an unknown task', async () => {
    await assert.rejects(handler({ task: 'nope' }, context), /Unknown scheduled task nope/);
  });
});

describe('Worker Lambda migrate entry point (run by every cloud deployment)', () => {
  it('applies every pending migration once, then reports the schema current', async () => {
    const onSqlite = !process.env.DATABASE_URL && !process.env.DB_SECRET_ID;
    const scratch = mkdtempSync(join(tmpdir(), 'migrate-'));
    const previous = process.env.SQLITE_PATH;
    if (onSqlite) process.env.SQLITE_PATH = join(scratch, 'fresh.sqlite');
    try {
      const first = await migrate();
      // MySQL/MariaDB: the test runner migrated it already.
      assert.equal(first.applied.length, onSqlite ? migrations.length : 0, first.applied.join());
      assert.deepEqual(await migrate(), { applied: [] });
    } finally {
      if (onSqlite) process.env.SQLITE_PATH = previous;
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
