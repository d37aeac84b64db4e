import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import { UnrecoverableJobError } from './domain/job-errors.js';
import type { Job, JobMessage, ResultLocation } from './domain/job.js';
import type { JobTypeHandler } from './handlers/job-handler.js';
import type { JobHandlerRegistry } from './handlers/job-handler.registry.js';
import type { JobQueue } from './job-queue.adapter.js';
import { JobNotRunnableYetError, JobRunner } from './job-runner.service.js';
import type { JobsRepository } from './jobs.repository.js';

const message: JobMessage = { jobId: 'j1', type: 'db', ownerId: 'u1' };

function stored(overrides: Partial<Job> = {}): Job {
  const now = new Date().toISOString();
  return {
    id: 'j1',
    type: 'db',
    ownerId: 'u1',
    status: 'RUNNING',
    payload: '{"a":1}',
    attempts: 1,
    maxAttempts: 3,
    createdAt: now,
    updatedAt: now,
    runAt: now,
    ...overrides,
  };
}

function setup(options: {
  claimed?: Job | undefined;
  current?: Job | undefined;
  handler?: JobTypeHandler['run'];
}) {
  const calls: string[] = [];
  const jobs = {
    claim: () => {
      calls.push('claim');
      return Promise.resolve('claimed' in options ? options.claimed : stored());
    },
    get: () => Promise.resolve(options.current),
    complete: (_job: Job, _token: string, result: ResultLocation | undefined) => {
      calls.push(`complete:${result?.kind ?? 'none'}`);
      return Promise.resolve(true);
    },
    releaseForRetry: (_job: Job, _token: string, error: string) => {
      calls.push(`release:${error}`);
      return Promise.resolve(true);
    },
    fail: (_job: Job, token: string | undefined, error: string) => {
      calls.push(`fail:${token ? 'claim' : 'exhausted'}:${error}`);
      return Promise.resolve(true);
    },
    markDeadLettered: () => {
      calls.push('marked');
      return Promise.resolve();
    },
    extendLease: () => Promise.resolve(true),
  } as unknown as JobsRepository;
  const queue = {
    deadLetter: () => {
      calls.push('dlq');
      return Promise.resolve();
    },
    enqueue: (_job: Job, delay: number) => {
      calls.push(`enqueue:${delay}`);
      return Promise.resolve();
    },
  } as unknown as JobQueue;
  const seen: unknown[] = [];
  const handler: JobTypeHandler = {
    run: (job) => {
      seen.push(job.payload);
      return options.handler
        ? options.handler(job)
        : Promise.resolve({ kind: 's3', bucket: 'b', key: 'k' });
    },
  };
  const registry = {
    get: (type: string) => (type === 'db' ? handler : undefined),
  } as unknown as JobHandlerRegistry;
  const runner = new JobRunner(jobs, queue, registry, AppConfig.fromEnv({}));
  return { runner, calls, seen };
}

describe('JobRunner', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('claims, runs the handler with the stored payload, and completes with the result location', async () => {
    const { runner, calls, seen } = setup({});
    await runner.process(message, 1);
    assert.deepEqual(calls, ['claim', 'complete:s3']);
    assert.deepEqual(seen, [{ a: 1 }]);
  });

  it('below maxAttempts: back to QUEUED with the error, and rethrows for the SQS backoff', async () => {
    const { runner, calls } = setup({ handler: () => Promise.reject(new Error('boom')) });
    await assert.rejects(runner.process(message, 1), /boom/);
    assert.deepEqual(calls, ['claim', 'release:Error: boom']);
  });

  it('at maxAttempts: FAILED, dead-lettered, and the message acknowledged', async () => {
    const { runner, calls } = setup({
      claimed: stored({ attempts: 3 }),
      handler: () => Promise.reject(new Error('boom')),
    });
    await runner.process(message, 3);
    assert.deepEqual(calls, ['claim', 'fail:claim:Error: boom', 'dlq', 'marked']);
  });

  it('an unrecoverable error fails at once', async () => {
    const { runner, calls } = setup({
      handler: () => Promise.reject(new UnrecoverableJobError('bad data')),
    });
    await runner.process(message, 1);
    assert.deepEqual(calls, [
      'claim',
      'fail:claim:UnrecoverableJobError: bad data',
      'dlq',
      'marked',
    ]);
  });

  it('an unclaimable job is settled without running: finished → ack, not due → deferred', async () => {
    const finished = setup({ claimed: undefined, current: stored({ status: 'SUCCEEDED' }) });
    await finished.runner.process(message, 2);
    assert.deepEqual(finished.calls, ['claim']);
    assert.deepEqual(finished.seen, []);

    const early = setup({
      claimed: undefined,
      current: stored({ status: 'QUEUED', runAt: new Date(Date.now() + 10_000).toISOString() }),
    });
    await early.runner.process(message, 1);
    assert.deepEqual(early.calls, ['claim', 'enqueue:10']);
  });

  it('a job whose last attempt never came back is FAILED and dead-lettered', async () => {
    const { runner, calls } = setup({
      claimed: undefined,
      current: stored({ attempts: 3, leaseUntil: new Date(Date.now() - 1000).toISOString() }),
    });
    await runner.process(message, 4);
    assert.equal(calls[1]?.startsWith('fail:exhausted:Attempts exhausted (3/3)'), true);
    assert.deepEqual(calls.slice(2), ['dlq', 'marked']);
  });

  it('leaves a type it has no handler for to another worker', async () => {
    const { runner, calls } = setup({});
    await assert.rejects(runner.process({ ...message, type: 'fax' }, 1), JobNotRunnableYetError);
    assert.deepEqual(calls, []);
  });

  it('acknowledges a second copy of a message it is already handling', async () => {
    let release: () => void = () => undefined;
    const { runner, calls } = setup({
      handler: () =>
        new Promise((resolve) => {
          release = () => {
            resolve(undefined);
          };
        }),
    });
    const first = runner.process(message, 1);
    await new Promise((resolve) => setImmediate(resolve));
    await runner.process(message, 1);
    release();
    await first;
    assert.deepEqual(calls, ['claim', 'complete:none']);
  });
});
