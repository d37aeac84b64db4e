/**
 * Jobs throughput against one moto server, side by side in one run:
 *  1. end to end: N × POST /jobs (type db) → SUCCEEDED, beside a raw SQS loop that sends N
 *     messages while a receiver receives and deletes them (same concurrency, same batch size);
 *  2. worker drain: N jobs already queued, then the worker is started, beside a raw loop
 *     draining N queued messages.
 * Prints jobs/s, p50/p95 latency and the ratios. The API runs in this process, the worker as its
 * own process (`node dist/apps/worker/src/main.js`), as in production.
 * Run: npm run bench -- jobs-throughput     (JOBS=1000 CONCURRENCY=10 by default)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { startMoto } from '#emulator';
import { createAwsClients, destroyAwsClients, ResourceNames, signInDemoUser } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { createApiApp } from '../apps/api/src/api-app.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const N = Math.max(10, Math.min(Number(process.env.JOBS ?? 1000), 20_000));
const CONCURRENCY = Math.max(1, Math.min(Number(process.env.CONCURRENCY ?? 10), 100));
const BATCH = 10;
const PHASE_TIMEOUT_MS = 5 * 60_000;

const moto = await startMoto();
const scratch = mkdtempSync(join(tmpdir(), 'bench-jobs-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'test',
  AWS_ENDPOINT_URL: moto.url,
  RESOURCE_PREFIX: 'benchjobs',
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  SQLITE_PATH: join(scratch, 'bench.sqlite'),
  WORKER_BATCH_SIZE: String(BATCH),
  WORKER_POLL_WAIT_SECONDS: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const config = AppConfig.fromEnv(env);
const names = new ResourceNames(config.prefix);
const aws = createAwsClients(config.aws);

interface Figures {
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly wallMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function figures(latencies: number[], wallMs: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { perSecond: (latencies.length / wallMs) * 1000, p50: at(0.5), p95: at(0.95), wallMs };
}

/** Runs `task(i)` for i < count with at most `limit` in flight. */
async function pool(count: number, limit: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // Rarely: moto answers queue attributes by scanning the queue, so polling slows what it measures.
    await sleep(1000);
  }
}

async function queueEmpty(url: string): Promise<boolean> {
  const { Attributes: a = {} } = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(a).every((v) => v === '0');
}

// ---------------------------------------------------------------- raw SQS loop

/** Receives and deletes `count` messages (batch 10, deletes in parallel like sqs-consumer). */
async function rawReceiver(url: string, count: number, done: (body: string, at: number) => void) {
  let received = 0;
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  while (received < count && Date.now() < deadline) {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: BATCH, WaitTimeSeconds: 1 }),
    );
    await Promise.all(
      Messages.map(async (message) => {
        await aws.sqs.send(
          new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
        );
        done(message.Body ?? '', performance.now());
      }),
    );
    received += Messages.length;
  }
  if (received < count) throw new Error(`raw loop received ${received}/${count}`);
}

async function rawQueue(): Promise<string> {
  const created = await aws.sqs.send(
    new CreateQueueCommand({ QueueName: `bench-raw-${randomUUID().slice(0, 8)}` }),
  );
  return created.QueueUrl ?? '';
}

async function rawEndToEnd(): Promise<Figures> {
  const url = await rawQueue();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const started = performance.now();
  const receiving = rawReceiver(url, N, (body, at) => {
    latencies.push(at - (sentAt.get(body) ?? at));
  });
  await pool(N, CONCURRENCY, async (i) => {
    const body = JSON.stringify({ jobId: `raw-${i}`, type: 'db', ownerId: 'bench' });
    sentAt.set(body, performance.now());
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  });
  await receiving;
  const wall = performance.now() - started;
  await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
  return figures(latencies, wall);
}

async function rawDrain(): Promise<Figures> {
  const url = await rawQueue();
  await pool(N, CONCURRENCY, async (i) => {
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `drain-${i}` }));
  });
  const started = performance.now();
  const latencies: number[] = [];
  await rawReceiver(url, N, (_body, at) => latencies.push(at - started));
  const wall = performance.now() - started;
  await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
  return figures(latencies, wall);
}

// ---------------------------------------------------------------- CodeCraft jobs

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['dist/apps/worker/src/main.js'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Finished {
  readonly id: string;
  readonly status: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

async function finishedJobs(ids: readonly string[]): Promise<Finished[]> {
  const found: Finished[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] = ids.slice(i, i + 100).map((id) => ({ id }));
    while (keys.length > 0) {
      const result = await aws.documents.send(
        new BatchGetCommand({
          RequestItems: {
            [names.table('jobs')]: {
              Keys: keys,
              ProjectionExpression: 'id, #s, startedAt, finishedAt',
              ExpressionAttributeNames: { '#s': 'status' },
            },
          },
        }),
      );
      found.push(...((result.Responses?.[names.table('jobs')] ?? []) as Finished[]));
      keys = result.UnprocessedKeys?.[names.table('jobs')]?.Keys ?? [];
    }
  }
  return found;
}

function makeClient(baseUrl: string, token: string) {
  return async (payload: unknown): Promise<string> => {
    const response = await fetch(`${baseUrl}/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'db', payload }),
    });
    if (response.status !== 202) throw new Error(`POST /jobs answered ${response.status}`);
    return ((await response.json()) as { id: string }).id;
  };
}

async function settle(ids: readonly string[], jobsUrl: string): Promise<Finished[]> {
  await until('the jobs queue to drain', async () =>
    (await queueEmpty(jobsUrl)) ? true : undefined,
  );
  return until('every job to finish', async () => {
    const jobs = await finishedJobs(ids);
    return jobs.length === ids.length && jobs.every((j) => j.status === 'SUCCEEDED')
      ? jobs
      : undefined;
  });
}

async function jobsEndToEnd(post: (payload: unknown) => Promise<string>, jobsUrl: string) {
  const postedAt = new Map<string, number>();
  const ids: string[] = [];
  const started = Date.now();
  await pool(N, CONCURRENCY, async (i) => {
    const at = Date.now();
    const id = await post({ n: i, note: 'bench' });
    postedAt.set(id, at);
    ids.push(id);
  });
  const jobs = await settle(ids, jobsUrl);
  const finished = jobs.map((j) => Date.parse(j.finishedAt ?? ''));
  const wall = Math.max(...finished) - started;
  return figures(
    jobs.map((j) => Date.parse(j.finishedAt ?? '') - (postedAt.get(j.id) ?? started)),
    wall,
  );
}

async function jobsDrain(post: (payload: unknown) => Promise<string>, jobsUrl: string) {
  const ids: string[] = [];
  await pool(N, CONCURRENCY, async (i) => {
    ids.push(await post({ n: i, note: 'drain' }));
  });
  const worker = startWorker();
  try {
    const jobs = await settle(ids, jobsUrl);
    const first = Math.min(...jobs.map((j) => Date.parse(j.startedAt ?? '')));
    const last = Math.max(...jobs.map((j) => Date.parse(j.finishedAt ?? '')));
    return figures(
      jobs.map((j) => Date.parse(j.finishedAt ?? '') - first),
      last - first,
    );
  } finally {
    await stopWorker(worker);
  }
}

// ---------------------------------------------------------------- run

function line(label: string, unit: string, f: Figures): string {
  return `  ${label.padEnd(34)} ${f.perSecond.toFixed(1).padStart(8)} ${unit}   p50 ${f.p50.toFixed(0).padStart(5)} ms   p95 ${f.p95.toFixed(0).padStart(5)} ms   (${(f.wallMs / 1000).toFixed(1)} s)`;
}

for (const script of ['bootstrap', 'migrate']) {
  const result = spawnSync(process.execPath, [`dist/scripts/${script}.js`], {
    env,
    stdio: 'ignore',
  });
  if (result.status !== 0) throw new Error(`${script} failed`);
}
let worker: ChildProcess | undefined;
const api = await createApiApp(config);
try {
  await api.listen(0, '127.0.0.1');
  const address = api.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const post = makeClient(
    `http://127.0.0.1:${address.port}`,
    (await signInDemoUser(config, aws)).accessToken,
  );
  const jobsUrl =
    (await aws.sqs.send(new GetQueueUrlCommand({ QueueName: names.queue('jobs') }))).QueueUrl ?? '';

  // Warm-up: JWKS, queue URLs, connections, JIT; both sides.
  worker = startWorker();
  await settle([await post({ warmup: true })], jobsUrl);
  const rawE2e = await rawEndToEnd();
  const ours = await jobsEndToEnd(post, jobsUrl);
  await stopWorker(worker);
  worker = undefined;
  const rawDrained = await rawDrain();
  const drained = await jobsDrain(post, jobsUrl);

  console.log(
    `Jobs throughput: ${N} jobs of type db, ${CONCURRENCY} concurrent clients, worker batch ${BATCH}, moto on one machine`,
  );
  console.log('End to end (send → deleted / POST → SUCCEEDED):');
  console.log(line('raw SQS send/receive/delete loop', 'msg/s ', rawE2e));
  console.log(line('CodeCraft API + worker', 'jobs/s', ours));
  console.log(
    `  ratio                              ${(ours.perSecond / rawE2e.perSecond).toFixed(2)}x`,
  );
  console.log('Worker drain (N already queued; latency from the first receive / start):');
  console.log(line('raw SQS receive/delete loop', 'msg/s ', rawDrained));
  console.log(line('CodeCraft worker', 'jobs/s', drained));
  console.log(
    `  ratio                              ${(drained.perSecond / rawDrained.perSecond).toFixed(2)}x`,
  );
} finally {
  if (worker) await stopWorker(worker);
  await api.close();
  destroyAwsClients(aws);
  await moto.stop();
  rmSync(scratch, { recursive: true, force: true });
}
