import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';
import { runCount, TestJobHandlersModule } from '../fixtures/test-job-handlers.js';
import {
  aws,
  demoToken,
  signInUser,
  startApi,
  testConfig,
  type RunningApi,
} from './support/harness.js';
import {
  jobsClient,
  queueDrained,
  queueUrl,
  readJson,
  startWorker,
  type JobBody,
} from './support/jobs.js';

interface Problem {
  status: number;
  code: string;
  detail?: string;
  errors?: string[];
  [extension: string]: unknown;
}

interface Page {
  items: JobBody[];
  nextCursor: string | null;
}

const names = new ResourceNames(testConfig().prefix);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('jobs: API and worker end to end', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: ReturnType<typeof jobsClient>;
  let sub = '';

  before(async () => {
    api = await startApi(testConfig(), [TestJobHandlersModule]);
    worker = await startWorker();
    client = jobsClient(api.url, await demoToken());
    sub = (await readJson<{ sub: string }>(await client.get('/me'))).sub;
  });
  after(async () => {
    await worker.close();
    await api.close();
  });

  it('db: POST answers 202 QUEUED, the worker runs it, the data is an item of the results table', async () => {
    const payload = { customer: 'c-42', amount: 12.5, tags: ['a', 'b'], nested: { ok: true } };
    const response = await client.post('/jobs', { type: 'db', payload });
    assert.equal(response.status, 202);
    const created = await readJson<JobBody>(response);
    assert.equal(created.status, 'QUEUED');
    assert.equal(created.type, 'db');
    assert.equal(created.attempts, 0);
    assert.deepEqual(created.payload, payload);
    assert.ok(Date.parse(created.createdAt) > 0);
    assert.equal(response.headers.get('location'), `/jobs/${created.id}`);

    const done = await client.until(created.id, 'SUCCEEDED');
    assert.equal(done.attempts, 1);
    assert.equal(done.lastError, null);
    assert.deepEqual(done.result, {
      kind: 'dynamodb',
      table: names.table('job-results'),
      key: created.id,
    });
    assert.ok(done.startedAt && done.finishedAt);

    const item = await aws().documents.send(
      new GetCommand({ TableName: names.table('job-results'), Key: { jobId: created.id } }),
    );
    assert.deepEqual(item.Item?.data, payload);
  });

  it('s3: the data is written as a JSON object under jobs/ in the storage bucket', async () => {
    const payload = { report: 'monthly', lines: [1, 2, 3], text: 'héllo' };
    const created = await readJson<JobBody>(await client.post('/jobs', { type: 's3', payload }));
    const done = await client.until(created.id, 'SUCCEEDED');
    const key = `jobs/${created.id}.json`;
    assert.deepEqual(done.result, { kind: 's3', bucket: names.bucket('storage'), key });
    const object = await aws().s3.send(
      new GetObjectCommand({ Bucket: names.bucket('storage'), Key: key }),
    );
    assert.equal(object.ContentType, 'application/json');
    assert.deepEqual(JSON.parse((await object.Body?.transformToString()) ?? ''), payload);
  });

  it('accepts the original Ajout_job body (job_type plus its data) unchanged', async () => {
    const s3 = await client.post('/jobs', { job_type: 's3', file: 'report.csv', rows: 3 });
    assert.equal(s3.status, 202);
    const s3Job = await readJson<JobBody>(s3);
    assert.equal(s3Job.type, 's3');
    assert.deepEqual(s3Job.payload, { file: 'report.csv', rows: 3 });
    await client.until(s3Job.id, 'SUCCEEDED');
    const object = await aws().s3.send(
      new GetObjectCommand({ Bucket: names.bucket('storage'), Key: `jobs/${s3Job.id}.json` }),
    );
    assert.deepEqual(JSON.parse((await object.Body?.transformToString()) ?? ''), {
      file: 'report.csv',
      rows: 3,
    });

    const db = await readJson<JobBody>(
      await client.post('/jobs', { job_type: 'db', data: { id: 7, name: 'seven' } }),
    );
    await client.until(db.id, 'SUCCEEDED');
    const item = await aws().documents.send(
      new GetCommand({ TableName: names.table('job-results'), Key: { jobId: db.id } }),
    );
    assert.deepEqual(item.Item?.data, { data: { id: 7, name: 'seven' } });
  });

  it('Idempotency-Key: the same body gives the same job, run once; another body is a 409', async () => {
    const key = `order-${randomUUID()}`;
    const body = { type: 'test-count', payload: { order: 1, lines: ['x'] } };
    const first = await client.post('/jobs', body, { 'idempotency-key': key });
    assert.equal(first.status, 202);
    const job = await readJson<JobBody>(first);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    // Same content, different field order: still the same request.
    const again = await client.post(
      '/jobs',
      { payload: { lines: ['x'], order: 1 }, type: 'test-count' },
      { 'idempotency-key': key },
    );
    assert.equal(again.status, 202);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal((await readJson<JobBody>(again)).id, job.id);

    await client.until(job.id, 'SUCCEEDED');
    const replayAfterRun = await readJson<JobBody>(
      await client.post('/jobs', body, { 'idempotency-key': key }),
    );
    assert.equal(replayAfterRun.id, job.id);
    assert.equal(replayAfterRun.status, 'SUCCEEDED');
    await queueDrained();
    assert.equal(runCount(job.id), 1, 'the side effect happened once');

    const conflict = await client.post(
      '/jobs',
      { type: 'test-count', payload: { order: 2 } },
      { 'idempotency-key': key },
    );
    assert.equal(conflict.status, 409);
    assert.match(conflict.headers.get('content-type') ?? '', /application\/problem\+json/);
    const problem = await readJson<Problem>(conflict);
    assert.equal(problem.code, 'idempotency-key-reused');
    assert.equal(problem.jobId, job.id);

    // Keys are per user: another user's identical key is a different request.
    const other = jobsClient(api.url, await signInUser(`jobs-idem-${randomUUID()}@example.com`));
    const theirs = await readJson<JobBody>(
      await other.post('/jobs', body, { 'idempotency-key': key }),
    );
    assert.notEqual(theirs.id, job.id);
  });

  it('answers client mistakes with problems: 422 unknown type, 413 payload, 400 invalid body', async () => {
    const unknown = await client.post('/jobs', { type: 'fax', payload: {} });
    assert.equal(unknown.status, 422);
    const unknownProblem = await readJson<Problem>(unknown);
    assert.equal(unknownProblem.code, 'unknown-job-type');
    const known = unknownProblem.knownTypes as string[];
    for (const type of ['db', 's3', 'test-count']) assert.ok(known.includes(type), type);
    assert.equal((await client.post('/jobs', { job_type: 'fax', x: 1 })).status, 422);

    const limit = testConfig().jobs.maxPayloadBytes;
    const tooLarge = await client.post('/jobs', {
      type: 'db',
      payload: { blob: 'x'.repeat(limit) },
    });
    assert.equal(tooLarge.status, 413);
    const tooLargeProblem = await readJson<Problem>(tooLarge);
    assert.equal(tooLargeProblem.code, 'payload-too-large');
    assert.equal(tooLargeProblem.limitBytes, limit);

    const invalid: unknown[] = [
      { type: 'db' },
      { type: 'db', payload: [] },
      { type: 'db', payload: {}, extra: 1 },
      { type: 'db', payload: {}, maxAttempts: 11 },
      { type: 'db', payload: {}, delaySeconds: -1 },
      { job_type: 5 },
      [1, 2],
    ];
    for (const body of invalid) {
      const response = await client.post('/jobs', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.ok((await readJson<Problem>(response)).errors?.length, JSON.stringify(body));
    }
    const badKey = await client.post(
      '/jobs',
      { type: 'db', payload: {} },
      { 'idempotency-key': 'k'.repeat(256) },
    );
    assert.equal(badKey.status, 400);
    assert.equal((await client.get('/jobs/not-a-uuid')).status, 400);
    assert.equal((await client.get(`/jobs/${randomUUID()}`)).status, 404);
  });

  it('GET /jobs pages newest first with an opaque cursor, filters by status and type, per owner', async () => {
    const owner = jobsClient(api.url, await signInUser(`jobs-list-${randomUUID()}@example.com`));
    const ids: string[] = [];
    for (const type of ['test-count', 'db', 'test-count', 'db', 'test-count']) {
      const job = await readJson<JobBody>(
        await owner.post('/jobs', { type, payload: { n: ids.length } }),
      );
      ids.push(job.id);
      await sleep(5);
    }
    for (const id of ids) await owner.until(id, 'SUCCEEDED');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: Page = await readJson<Page>(await owner.get(`/jobs?limit=2${query}`));
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.deepEqual(seen, [...ids].reverse(), 'every job once, newest first');
    assert.ok(pages >= 3);

    const dbOnly = await readJson<Page>(await owner.get('/jobs?type=db'));
    assert.deepEqual(
      dbOnly.items.map((j) => j.id),
      [ids[3], ids[1]],
    );
    const succeededCounts = await readJson<Page>(
      await owner.get('/jobs?status=SUCCEEDED&type=test-count'),
    );
    assert.deepEqual(
      succeededCounts.items.map((j) => j.id),
      [ids[4], ids[2], ids[0]],
    );
    assert.equal(succeededCounts.nextCursor, null);
    assert.deepEqual((await readJson<Page>(await owner.get('/jobs?status=QUEUED'))).items, []);
    assert.equal('payload' in (dbOnly.items[0] ?? {}), false, 'listings leave payloads out');

    const firstPage = await readJson<Page>(await owner.get('/jobs?type=db&limit=1'));
    assert.ok(firstPage.nextCursor);
    const foreignCursor = await owner.get(`/jobs?cursor=${firstPage.nextCursor}`);
    assert.equal(foreignCursor.status, 400, 'a cursor only fits its own query');
    assert.equal((await readJson<Problem>(foreignCursor)).code, 'invalid-cursor');
    assert.equal((await owner.get('/jobs?cursor=bm9wZQ')).status, 400);
    for (const bad of ['limit=0', 'limit=101', 'limit=x', 'status=DONE'])
      assert.equal((await owner.get(`/jobs?${bad}`)).status, 400, bad);

    // Someone else sees none of them.
    const mine = await readJson<Page>(await client.get('/jobs?limit=100'));
    assert.ok(!mine.items.some((j) => ids.includes(j.id)));
    assert.equal((await client.get(`/jobs/${ids[0] ?? ''}`)).status, 404);
  });

  it('cancel before processing: the job never runs; cancel/retry in the wrong state is a 409', async () => {
    const job = await readJson<JobBody>(
      await client.post('/jobs', { type: 'test-count', payload: {}, delaySeconds: 2 }),
    );
    const cancelled = await client.post(`/jobs/${job.id}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.equal((await readJson<JobBody>(cancelled)).status, 'CANCELLED');
    assert.equal(
      (await client.post(`/jobs/${job.id}/cancel`)).status,
      200,
      'cancelling twice is fine',
    );

    await sleep(2500); // the delayed message is delivered now, and must be dropped
    await queueDrained();
    const after = await client.job(job.id);
    assert.equal(after.status, 'CANCELLED');
    assert.equal(after.attempts, 0);
    assert.equal(runCount(job.id), 0, 'never run');

    const finished = await readJson<JobBody>(
      await client.post('/jobs', { type: 'test-count', payload: {} }),
    );
    await client.until(finished.id, 'SUCCEEDED');
    const late = await client.post(`/jobs/${finished.id}/cancel`);
    assert.equal(late.status, 409);
    const problem = await readJson<Problem>(late);
    assert.equal(problem.code, 'job-state-conflict');
    assert.equal(problem.jobStatus, 'SUCCEEDED');
    assert.equal((await client.post(`/jobs/${finished.id}/retry`)).status, 409);
  });

  it('the same message delivered twice, even at the same moment, runs the job once', async () => {
    const job = await readJson<JobBody>(
      await client.post('/jobs', {
        type: 'test-count',
        payload: { sleepMs: 400 },
        delaySeconds: 2,
      }),
    );
    const copy = JSON.stringify({ jobId: job.id, type: job.type, ownerId: sub });
    const url = await queueUrl();
    for (let i = 0; i < 2; i++)
      await aws().sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: copy, DelaySeconds: 2 }),
      );

    const done = await client.until(job.id, 'SUCCEEDED');
    await queueDrained();
    assert.equal(done.attempts, 1);
    assert.equal(runCount(job.id), 1);

    await aws().sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: copy }));
    await queueDrained();
    assert.equal(
      runCount(job.id),
      1,
      'a late redelivery of a finished job is acknowledged without running',
    );
    assert.equal((await client.job(job.id)).attempts, 1);
  });

  it('lists job types; counts dead letters for anyone; redrive is for admins; all in OpenAPI', async () => {
    const types = await readJson<{ types: string[] }>(await client.get('/jobs/types'));
    assert.ok(types.types.includes('db') && types.types.includes('s3'));
    const count = await client.get('/jobs/dead-letters');
    assert.equal(count.status, 200);
    const body = await readJson<{ count: number; inFlight: number }>(count);
    assert.equal(typeof body.count, 'number');
    assert.equal(typeof body.inFlight, 'number');
    assert.equal((await client.post('/jobs/dead-letters/redrive', {})).status, 403);

    const openApi = await readJson<{ paths: Record<string, unknown> }>(
      await fetch(`${api.url}/docs-json`),
    );
    for (const path of ['/jobs', '/jobs/{id}', '/jobs/{id}/cancel', '/jobs/dead-letters/redrive'])
      assert.ok(path in openApi.paths, `${path} is documented`);
  });
});
