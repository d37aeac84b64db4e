// The Lambda images' handlers under the real Lambda Runtime API: aws-lambda-rie serves it,
// aws-lambda-ric (the Node runtime interface client) loads the built handler from a task root laid
// out like the image's, and every event below goes through RIE's invocation endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFunction, type RunningFunction } from '#lambda-runtime';
import { JOBS_QUEUE } from '#libs/jobs';
import { TaskRunner } from '#libs/platform';
import { PROJECT_EVENTS_QUEUE } from '#libs/projects';
import { demoToken, startWorkerApp } from '../e2e/support/harness.js';
import {
  functionEnv,
  httpEvent,
  scheduledEvent,
  sqsRecord,
  type HttpRequest,
  type HttpResult,
} from './support/events.js';

interface FunctionError {
  errorType: string;
  errorMessage: string;
}

/** The tasks the worker Lambda can run: every @ScheduledTask its Nest context discovers. */
async function scheduledTaskNames(): Promise<string[]> {
  const worker = await startWorkerApp({}, 'lambda');
  try {
    return worker
      .get(TaskRunner)
      .list()
      .map((task) => task.options.name);
  } finally {
    await worker.close();
  }
}

const tasks = await scheduledTaskNames();
const started = new Map<string, RunningFunction>();
let api: RunningFunction;
let worker: RunningFunction;

before(async () => {
  const start = async (kind: 'api' | 'worker') => {
    const fn = await startFunction({ kind, env: functionEnv() });
    started.set(kind, fn);
    return fn;
  };
  [api, worker] = await Promise.all([start('api'), start('worker')]);
});

after(async () => {
  // Into this file's test log (.cache/test-logs/), whose tail the runner prints on a failure.
  for (const [kind, fn] of started)
    process.stdout.write(`----- ${kind} function (RIE + runtime output) -----\n${fn.output()}\n`);
  await Promise.all([...started.values()].map((fn) => fn.stop()));
});

async function call(request: HttpRequest): Promise<HttpResult> {
  const { statusCode, body, raw } = await api.invoke(httpEvent(request));
  assert.equal(statusCode, 200, `RIE answered ${statusCode}: ${raw}`);
  assert.ok(body && typeof body === 'object' && 'statusCode' in body, `not an HTTP result: ${raw}`);
  return body as HttpResult;
}

function initDiagnostic(fn: RunningFunction, name: string): string {
  const ms = fn.initDurationMs();
  assert.ok(ms !== undefined, `no INIT REPORT line in the ${name} function's output`);
  return `${name} function init (INIT REPORT): ${ms.toFixed(0)} ms`;
}

describe('API function (lambda-api image, HTTP API v2 events)', () => {
  it('GET /health/live answers 200 (cold start)', async (t) => {
    const result = await call({ method: 'GET', path: '/health/live' });
    assert.equal(result.statusCode, 200);
    assert.equal((JSON.parse(result.body) as { status?: string }).status, 'ok');
    t.diagnostic(initDiagnostic(api, 'api'));
  });

  it('GET /docs-json serves the OpenAPI document', async () => {
    const result = await call({ method: 'GET', path: '/docs-json' });
    assert.equal(result.statusCode, 200);
    assert.match(result.headers['content-type'] ?? '', /^application\/json/);
    const document = JSON.parse(result.body) as { openapi?: string; paths?: object };
    assert.match(document.openapi ?? '', /^3\./);
    assert.ok(document.paths && '/jobs' in document.paths);
  });

  it('refuses an unauthenticated call with 401 problem+json', async () => {
    const result = await call({ method: 'POST', path: '/jobs', body: { type: 'db', payload: {} } });
    assert.equal(result.statusCode, 401);
    assert.match(result.headers['content-type'] ?? '', /^application\/problem\+json/);
    assert.equal((JSON.parse(result.body) as { status?: number }).status, 401);
  });

  it('accepts POST /jobs with a Cognito access token: 202', async () => {
    const result = await call({
      method: 'POST',
      path: '/jobs',
      token: await demoToken(),
      body: { type: 'db', payload: { from: 'lambda tier' } },
    });
    assert.equal(result.statusCode, 202, result.body);
    assert.equal((JSON.parse(result.body) as { status?: string }).status, 'QUEUED');
  });
});

describe('worker function (lambda-worker image)', () => {
  async function submitJob(type: string, token: string): Promise<string> {
    const result = await call({
      method: 'POST',
      path: '/jobs',
      token,
      body: { type, payload: {} },
    });
    assert.equal(result.statusCode, 202, result.body);
    return (JSON.parse(result.body) as { id: string }).id;
  }

  async function jobStatus(id: string, token: string): Promise<string | undefined> {
    const result = await call({ method: 'GET', path: `/jobs/${id}`, token });
    return (JSON.parse(result.body) as { status?: string }).status;
  }

  it('an SQS batch with one bad record reports exactly that record', async (t) => {
    const token = await demoToken();
    const me = await call({ method: 'GET', path: '/me', token });
    const { sub } = JSON.parse(me.body) as { sub: string };
    const [first, second] = [await submitJob('db', token), await submitJob('s3', token)];
    const job = (jobId: string, type: string) =>
      sqsRecord(JOBS_QUEUE, { jobId, type, ownerId: sub });
    const bad = sqsRecord(PROJECT_EVENTS_QUEUE, { schemaVersion: -1 });
    const records = [job(first, 'db'), bad, job(second, 's3')];

    const { statusCode, body, raw } = await worker.invoke({ Records: records });
    t.diagnostic(initDiagnostic(worker, 'worker'));
    assert.equal(statusCode, 200, raw);
    assert.deepEqual(body, {
      batchItemFailures: [{ itemIdentifier: bad.messageId }],
    });
    assert.equal(await jobStatus(first, token), 'SUCCEEDED');
    assert.equal(await jobStatus(second, token), 'SUCCEEDED');
  });

  it('the worker has scheduled tasks to run', (t) => {
    assert.ok(tasks.length > 0, 'no @ScheduledTask in the worker');
    t.diagnostic(`scheduled tasks: ${tasks.join(', ')}`);
  });

  for (const task of tasks) {
    it(`runs scheduled task ${task} from its EventBridge schedule`, async () => {
      const { statusCode, body, raw } = await worker.invoke(scheduledEvent(task));
      assert.equal(statusCode, 200, raw);
      assert.equal(body, null, `the task failed: ${raw}`);
    });
  }

  it('runs a task from a rule with a constant {task} input', async () => {
    const { body, raw } = await worker.invoke({ task: tasks[0] });
    assert.equal(body, null, raw);
  });

  it('an unknown task is a function error (HTTP 200, errorType in the body)', async () => {
    const { statusCode, body, raw } = await worker.invoke(scheduledEvent('no-such-task'));
    assert.equal(statusCode, 200, 'RIE answers function errors with 200');
    const error = body as FunctionError;
    assert.equal(error.errorType, 'Error', raw);
    assert.match(error.errorMessage, /Unknown scheduled task no-such-task/);
    for (const task of tasks) assert.ok(error.errorMessage.includes(task), `${task} unknown`);
  });
});
