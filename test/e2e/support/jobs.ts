import type { INestApplicationContext } from '@nestjs/common';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { ResourceNames } from '#libs/aws';
import { TestJobHandlersModule } from '../../fixtures/test-job-handlers.js';
import { aws, eventually, messagesIn, startWorkerApp, testConfig } from './harness.js';

export interface JobBody {
  id: string;
  type: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  result: { kind: string; table?: string; bucket?: string; key: string } | null;
  payload: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  runAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A small client for the jobs routes of a running API. */
export function jobsClient(baseUrl: string, token: string) {
  const headers = (extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    ...extra,
  });
  return {
    post: (path: string, body?: unknown, extra?: Record<string, string>) =>
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: headers(extra),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    get: (path: string) => fetch(`${baseUrl}${path}`, { headers: headers() }),
    async job(id: string): Promise<JobBody> {
      const response = await fetch(`${baseUrl}/jobs/${id}`, { headers: headers() });
      if (response.status !== 200) throw new Error(`GET /jobs/${id} answered ${response.status}`);
      return (await response.json()) as JobBody;
    },
    /** Polls GET /jobs/:id until the job reaches `status`. */
    async until(id: string, status: string, timeoutMs = 30_000): Promise<JobBody> {
      let last: JobBody | undefined;
      try {
        return await eventually(
          async () => {
            last = await this.job(id);
            return last.status === status ? last : undefined;
          },
          timeoutMs,
          `job ${id} to be ${status}`,
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`, {
          cause: error,
        });
      }
    },
  };
}

export async function readJson<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** The in-process long-running worker (SQS pollers and cron), with the test job types. */
export async function startWorker(
  overrides: NodeJS.ProcessEnv = {},
): Promise<INestApplicationContext> {
  return startWorkerApp(overrides, 'process', [TestJobHandlersModule]);
}

export async function queueUrl(deadLetter = false): Promise<string> {
  const names = new ResourceNames(testConfig().prefix);
  const result = await aws().sqs.send(
    new GetQueueUrlCommand({
      QueueName: deadLetter ? names.deadLetterQueue('jobs') : names.queue('jobs'),
    }),
  );
  return result.QueueUrl ?? '';
}

/** Waits until the jobs queue holds no message at all (visible, in flight or delayed). */
export async function queueDrained(timeoutMs = 30_000): Promise<void> {
  const url = await queueUrl();
  await eventually(
    async () => ((await messagesIn(url)) === 0 ? true : undefined),
    timeoutMs,
    'the jobs queue to drain',
  );
}
