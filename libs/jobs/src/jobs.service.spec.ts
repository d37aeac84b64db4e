import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import {
  IdempotencyKeyReusedError,
  IdempotencyKeyTakenError,
  IdempotentRequests,
  NotFoundError,
  type IdempotencyKeysRepository,
  type IdempotencyRecord,
  type Principal,
} from '#libs/platform';
import {
  InvalidCursorError,
  JobPayloadTooLargeError,
  JobStateConflictError,
  UnknownJobTypeError,
} from './domain/job-errors.js';
import type { Job } from './domain/job.js';
import type { JobHandlerRegistry } from './handlers/job-handler.registry.js';
import type { JobQueue } from './job-queue.adapter.js';
import type { JobsRepository } from './jobs.repository.js';
import { JobsService, requestHash } from './jobs.service.js';

const alice: Principal = { sub: 'alice', username: 'alice', email: undefined, groups: [] };
const admin: Principal = { sub: 'root', username: 'root', email: undefined, groups: ['admin'] };

function setup(options: { enqueueFails?: boolean; onEnqueue?: (job: Job) => void } = {}) {
  const stored = new Map<string, Job>();
  const records = new Map<string, IdempotencyRecord>();
  const sent: string[] = [];
  const jobs = {
    create: (job: Job, record?: { Put: { Item: IdempotencyRecord } }) => {
      if (record && records.has(record.Put.Item.key))
        return Promise.reject(new IdempotencyKeyTakenError());
      if (record) records.set(record.Put.Item.key, record.Put.Item);
      stored.set(job.id, job);
      return Promise.resolve();
    },
    get: (id: string) => Promise.resolve(stored.get(id)),
    cancel: (job: Job) => {
      const cancelled: Job = { ...job, status: 'CANCELLED' };
      stored.set(job.id, cancelled);
      return Promise.resolve(cancelled);
    },
    requeueFailed: (job: Job) => {
      const requeued: Job = { ...job, status: 'QUEUED', attempts: 0 };
      stored.set(job.id, requeued);
      return Promise.resolve(requeued);
    },
    list: () => Promise.resolve({ items: [], nextKey: undefined }),
  } as unknown as JobsRepository;
  const keys = {
    conditionalPut: (record: IdempotencyRecord) => ({ Put: { Item: record } }),
    get: (key: string) => Promise.resolve(records.get(key)),
  } as unknown as IdempotencyKeysRepository;
  const queue = {
    enqueue: (job: Job) => {
      if (options.enqueueFails) return Promise.reject(new Error('SQS down'));
      sent.push(job.id);
      options.onEnqueue?.(job);
      return Promise.resolve();
    },
  } as unknown as JobQueue;
  const registry = {
    types: ['db', 's3'],
    assertKnown: (type: string) => {
      if (!['db', 's3'].includes(type)) throw new UnknownJobTypeError(type, ['db', 's3']);
    },
  } as unknown as JobHandlerRegistry;
  const config = AppConfig.fromEnv({ JOBS_MAX_PAYLOAD_BYTES: '2048' });
  return {
    service: new JobsService(jobs, new IdempotentRequests(keys), queue, registry, config),
    stored,
    sent,
  };
}

describe('JobsService', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('stores the job, then enqueues it', async () => {
    const { service, stored, sent } = setup();
    const { job, replayed } = await service.create(alice, { type: 'db', payload: { a: 1 } });
    assert.equal(replayed, false);
    assert.equal(job.status, 'QUEUED');
    assert.equal(job.maxAttempts, 3);
    assert.equal(stored.get(job.id)?.ownerId, 'alice');
    assert.deepEqual(sent, [job.id]);
  });

  it('keeps the job when the send fails: the sweeper sends it later', async () => {
    const { service, stored } = setup({ enqueueFails: true });
    const { job } = await service.create(alice, { type: 'db', payload: {} });
    assert.equal(stored.get(job.id)?.status, 'QUEUED');
    assert.ok(stored.get(job.id)?.sweepAt);
  });

  it('holds a delay over 15 minutes instead of sending it', async () => {
    const { service, sent } = setup();
    await service.create(alice, { type: 'db', payload: {}, delaySeconds: 901 });
    assert.deepEqual(sent, []);
  });

  it('rejects unknown types and oversized payloads before writing anything', async () => {
    const { service, stored } = setup();
    await assert.rejects(service.create(alice, { type: 'fax', payload: {} }), UnknownJobTypeError);
    await assert.rejects(
      service.create(alice, { type: 'db', payload: { blob: 'é'.repeat(1024) } }),
      JobPayloadTooLargeError,
    );
    assert.equal(stored.size, 0);
  });

  it('replays an Idempotency-Key with the same body, refuses it with another', async () => {
    const { service, sent } = setup();
    const first = await service.create(alice, { type: 'db', payload: { a: 1, b: 2 } }, 'k1');
    const again = await service.create(alice, { type: 'db', payload: { b: 2, a: 1 } }, 'k1');
    assert.equal(again.replayed, true);
    assert.equal(again.job.id, first.job.id);
    assert.deepEqual(sent, [first.job.id], 'sent once');
    await assert.rejects(
      service.create(alice, { type: 'db', payload: { a: 2 } }, 'k1'),
      IdempotencyKeyReusedError,
    );
    const otherUser = await service.create(admin, { type: 'db', payload: { a: 1, b: 2 } }, 'k1');
    assert.notEqual(otherUser.job.id, first.job.id, 'keys are scoped per user');
  });

  it('hashes requests canonically', () => {
    const a = requestHash({ type: 'db', payload: { x: [1, { b: 1, a: 2 }] } });
    const b = requestHash({ type: 'db', payload: { x: [1, { a: 2, b: 1 }] } });
    assert.equal(a, b);
    assert.notEqual(
      a,
      requestHash({ type: 'db', payload: { x: [1, { a: 2, b: 1 }] }, maxAttempts: 2 }),
    );
  });

  it('shows a job to its owner and admins only', async () => {
    const { service } = setup();
    const { job } = await service.create(alice, { type: 'db', payload: {} });
    assert.equal((await service.get(alice, job.id)).id, job.id);
    assert.equal((await service.get(admin, job.id)).id, job.id);
    const mallory = { ...alice, sub: 'mallory' };
    await assert.rejects(service.get(mallory, job.id), NotFoundError);
  });

  it('cancels QUEUED jobs (twice is fine) and refuses a retry of anything but FAILED', async () => {
    const { service } = setup();
    const { job } = await service.create(alice, { type: 'db', payload: {} });
    assert.equal((await service.cancel(alice, job.id)).status, 'CANCELLED');
    assert.equal((await service.cancel(alice, job.id)).status, 'CANCELLED');
    await assert.rejects(service.retry(alice, job.id), JobStateConflictError);
  });

  it('answers a retry with the QUEUED state it wrote, even once a worker has moved the job on', async () => {
    const { service, stored, sent } = setup({
      // The worker picks the message up at once and marks the job RUNNING.
      onEnqueue: (job) => stored.set(job.id, { ...job, status: 'RUNNING', attempts: 1 }),
    });
    const { job } = await service.create(alice, { type: 'db', payload: {} });
    const failed = stored.get(job.id);
    assert.ok(failed);
    stored.set(job.id, { ...failed, status: 'FAILED', attempts: 3 });
    const retried = await service.retry(alice, job.id);
    assert.equal(retried.status, 'QUEUED');
    assert.equal(retried.attempts, 0);
    assert.deepEqual(sent, [job.id, job.id]);
  });

  it('refuses a cursor made for another query', async () => {
    const { service } = setup();
    await assert.rejects(
      service.list(alice, { limit: 20, cursor: 'eyJ4IjoxfQ' }),
      InvalidCursorError,
    );
  });
});
