import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import type { Job } from './domain/job.js';
import type { JobQueue } from './job-queue.adapter.js';
import type { JobsRepository } from './jobs.repository.js';
import { JobsSweeperTask } from './jobs-sweeper.task.js';

function job(id: string, status: 'QUEUED' | 'RUNNING', runInSeconds: number): Job {
  const now = Date.now();
  return {
    id,
    type: 'db',
    ownerId: 'u',
    status,
    payload: '{}',
    attempts: status === 'RUNNING' ? 1 : 0,
    maxAttempts: 3,
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
    runAt: new Date(now + runInSeconds * 1000).toISOString(),
    sweepAt: new Date(now - 1000).toISOString(),
  };
}

function setup(due: Record<'QUEUED' | 'RUNNING', Job[]>, losers: string[] = []) {
  const moved: string[] = [];
  const sent: string[] = [];
  const jobs = {
    dueForSweep: (status: 'QUEUED' | 'RUNNING') => Promise.resolve(due[status]),
    moveSweep: (j: Job) => {
      moved.push(j.id);
      return Promise.resolve(!losers.includes(j.id));
    },
  } as unknown as JobsRepository;
  const queue = {
    enqueue: (j: Job, delay = 0) => {
      sent.push(`${j.id}:${delay}`);
      return Promise.resolve();
    },
  } as unknown as JobQueue;
  return { task: new JobsSweeperTask(jobs, queue, AppConfig.fromEnv({})), moved, sent };
}

describe('JobsSweeperTask', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('sends QUEUED jobs left behind, with what remains of their delay', async () => {
    const { task, sent } = setup({
      QUEUED: [job('lost', 'QUEUED', -30), job('soon', 'QUEUED', 120)],
      RUNNING: [],
    });
    await task.run();
    assert.deepEqual(sent, ['lost:0', 'soon:120']);
  });

  it('holds a job still more than 15 minutes away', async () => {
    const { task, moved, sent } = setup({ QUEUED: [job('far', 'QUEUED', 3600)], RUNNING: [] });
    await task.run();
    assert.deepEqual(moved, ['far']);
    assert.deepEqual(sent, []);
  });

  it('re-sends RUNNING jobs whose lease expired long ago', async () => {
    const { task, sent } = setup({ QUEUED: [], RUNNING: [job('orphan', 'RUNNING', -600)] });
    await task.run();
    assert.deepEqual(sent, ['orphan:0']);
  });

  it('sends nothing for a job another sweeper has just taken', async () => {
    const { task, sent } = setup({ QUEUED: [job('taken', 'QUEUED', -30)], RUNNING: [] }, ['taken']);
    await task.run();
    assert.deepEqual(sent, []);
  });
});
