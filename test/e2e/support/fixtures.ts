import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';

/** Loads a recorded AWS event from test/fixtures/events, with PREFIX replaced by the test prefix. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the event type it expects
export function loadEvent<T>(name: string, prefix = process.env.RESOURCE_PREFIX ?? 'codecraft'): T {
  const raw = readFileSync(
    join(process.cwd(), 'test', 'fixtures', 'events', `${name}.json`),
    'utf8',
  );
  return JSON.parse(raw.replaceAll('PREFIX', prefix)) as T;
}

export function lambdaContext(functionName: string): Context {
  const legacyCallbacks = {
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  return {
    ...legacyCallbacks,
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `req-${Date.now()}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/22/[$LATEST]abc',
    getRemainingTimeInMillis: () => 30_000,
  };
}
