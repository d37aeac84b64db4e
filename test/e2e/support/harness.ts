import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { spawn, type ChildProcess } from 'node:child_process';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import {
  createAwsClients,
  ensureUser,
  resolveUserPool,
  setPassword,
  signIn,
  signInDemoUser,
  type AwsClients,
} from '#libs/aws';
import { AppConfig } from '#libs/config';
import { createApiApp } from '../../../apps/api/src/api-app.js';
import { createWorkerApp } from '../../../apps/worker/src/worker-app.js';
import type { WorkerRuntime } from '../../../apps/worker/src/worker.module.js';

/** The configuration the test runner prepared (emulator endpoint, prefix, database). */
export function testConfig(overrides: NodeJS.ProcessEnv = {}): AppConfig {
  return AppConfig.fromEnv({ ...process.env, ...overrides });
}

export function testEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

export interface RunningApi {
  readonly app: NestExpressApplication;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the real API on a free loopback port. */
export async function startApi(
  config = testConfig(),
  extra: ModuleMetadata['imports'] = [],
): Promise<RunningApi> {
  const app = await createApiApp(config, extra);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/**
 * The worker in this process, initialised: in `process` mode its SQS pollers and schedules run, as
 * `npm run start:worker`; in `lambda` mode only the handlers are wired, as in the Lambda image.
 */
export async function startWorkerApp(
  overrides: NodeJS.ProcessEnv = {},
  runtime: WorkerRuntime = 'process',
  extra: ModuleMetadata['imports'] = [],
): Promise<INestApplicationContext> {
  const worker = await createWorkerApp(testConfig(overrides), runtime, extra);
  await worker.init();
  return worker;
}

/** Messages a queue holds in any state: visible, in flight or delayed (SQS's approximate counts). */
export async function messagesIn(queueUrl: string): Promise<number> {
  const { Attributes: a } = await aws().sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(a?.ApproximateNumberOfMessages ?? 0) +
    Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(a?.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

let clients: AwsClients | undefined;
export function aws(): AwsClients {
  clients ??= createAwsClients(testConfig().aws);
  return clients;
}

let token: Promise<string> | undefined;
/** An access token for the bootstrap's demo user (what `npm run token` prints). */
export function demoToken(): Promise<string> {
  token ??= signInDemoUser(testConfig(), aws()).then((t) => t.accessToken);
  return token;
}

export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

/** Polls `check` every `intervalMs` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  what = 'condition',
  intervalMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface SpawnedProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Runs a compiled script (`dist/...`) with the test environment. */
export function spawnNode(
  script: string,
  env: NodeJS.ProcessEnv = testEnv(),
  args: string[] = [],
): SpawnedProcess {
  const child = spawn(process.execPath, [script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      resolve(code);
    });
  });
  return { child, output: () => output, exited };
}

/** Creates (once) a confirmed Cognito user, optionally in groups, and returns its access token. */
export async function signInUser(email: string, groups: readonly string[] = []): Promise<string> {
  const { cognito } = aws();
  const { poolId, clientId } = await resolveUserPool(testConfig(), cognito);
  const password = `Tt1${randomBytes(12).toString('base64url')}`;
  if (!(await ensureUser(cognito, poolId, { email, password, groups }))) {
    await setPassword(cognito, poolId, email, password);
  }
  return (await signIn(cognito, clientId, email, password)).accessToken;
}
