import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import { retryDelaySeconds } from '#libs/platform';
import { UnrecoverableJobError } from './domain/job-errors.js';
import { describeError, type Job, type JobMessage } from './domain/job.js';
import { settleUnclaimed } from './domain/settlement.js';
import type { JobTypeHandler } from './handlers/job-handler.js';
import { JobHandlerRegistry } from './handlers/job-handler.registry.js';
import { JobQueue } from './job-queue.adapter.js';
import { JobsRepository } from './jobs.repository.js';

/** Thrown to keep a message for redelivery without running anything. */
export class JobNotRunnableYetError extends Error {
  override readonly name = 'JobNotRunnableYetError';
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The worker side of a job: claim (conditional QUEUED → RUNNING with a lease), run the type's
 * handler, then SUCCEEDED, or QUEUED again and rethrow (SQS redelivers after the dispatcher's
 * backoff), or — at the last attempt — FAILED plus an explicit copy on the dead-letter queue.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);
  /** Jobs this process is handling right now (a batch can carry two copies of one message). */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly jobs: JobsRepository,
    private readonly queue: JobQueue,
    private readonly registry: JobHandlerRegistry,
    private readonly config: AppConfig,
  ) {}

  async process(message: JobMessage, receiveCount: number): Promise<void> {
    const handler = this.registry.get(message.type);
    // A worker built without this type (a rolling deploy): leave the job for one that has it.
    if (!handler) throw new JobNotRunnableYetError(`No handler for job type ${message.type} here`);
    // A copy of a message this process is already handling: the claim would refuse it anyway
    // (the job is RUNNING under a live lease), so skip the round trip and acknowledge it.
    if (this.inFlight.has(message.jobId)) {
      this.logger.log({ jobId: message.jobId }, 'duplicate delivery acknowledged: already in hand');
      return;
    }
    this.inFlight.add(message.jobId);
    try {
      const token = randomUUID();
      const now = Date.now();
      const lease = this.lease(now);
      const job = await this.jobs.claim(message, token, now, lease.until, lease.sweepAt);
      if (job) await this.run(job, handler, token, receiveCount);
      else await this.settle(message.jobId);
    } finally {
      this.inFlight.delete(message.jobId);
    }
  }

  private async run(
    job: Job,
    handler: JobTypeHandler,
    token: string,
    receiveCount: number,
  ): Promise<void> {
    const heartbeat = this.keepLeaseAlive(job, token);
    let outcome:
      | { ok: true; result: Awaited<ReturnType<JobTypeHandler['run']>> }
      | { ok: false; error: unknown };
    try {
      const result = await handler.run({
        id: job.id,
        type: job.type,
        payload: JSON.parse(job.payload) as Record<string, unknown>,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
      });
      outcome = { ok: true, result };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearInterval(heartbeat);
    }
    const now = Date.now();
    const context = {
      jobId: job.id,
      type: job.type,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
    };
    if (outcome.ok) {
      if (await this.jobs.complete(job, token, outcome.result, now))
        this.logger.log(context, 'job succeeded');
      else
        this.logger.warn(
          context,
          'job finished after its claim was lost; state left to the new owner',
        );
      return;
    }
    const error = describeError(outcome.error);
    const isFinal =
      outcome.error instanceof UnrecoverableJobError || job.attempts >= job.maxAttempts;
    if (isFinal) {
      if (!(await this.jobs.fail(job, token, error, now))) {
        this.logger.warn(
          context,
          'job failed after its claim was lost; state left to the new owner',
        );
        return;
      }
      this.logger.error({ ...context, error }, 'job FAILED; dead-lettering its message');
      await this.deadLetter(job, error, now);
      return;
    }
    const backoff = retryDelaySeconds(receiveCount);
    const sweepAt = iso(now + (backoff + this.config.jobs.sweepAfterSeconds) * 1000);
    await this.jobs.releaseForRetry(job, token, error, now, sweepAt);
    this.logger.warn(
      { ...context, error, retryInSeconds: backoff },
      'job attempt failed; will retry',
    );
    throw outcome.error;
  }

  /** A message whose job could not be claimed: never runs anything (see settleUnclaimed). */
  private async settle(jobId: string): Promise<void> {
    const job = await this.jobs.get(jobId);
    const now = Date.now();
    const settlement = settleUnclaimed(job, now);
    if (!job || settlement.kind === 'ack') {
      this.logger.log(
        { jobId, reason: settlement.kind === 'ack' ? settlement.reason : 'job not found' },
        'message acknowledged without running',
      );
      return;
    }
    switch (settlement.kind) {
      case 'dead-letter':
        await this.deadLetter(job, job.lastError ?? 'failed', now);
        return;
      case 'exhaust': {
        const error = `Attempts exhausted (${job.attempts}/${job.maxAttempts}): the last attempt never reported back (its worker stopped or lost the lease)`;
        if (await this.jobs.fail(job, undefined, error, now))
          await this.deadLetter(job, error, now);
        return;
      }
      case 'defer':
        await this.queue.enqueue(job, settlement.delaySeconds);
        return;
      case 'retry':
        throw new JobNotRunnableYetError(settlement.reason);
    }
  }

  private async deadLetter(job: Job, error: string, now: number): Promise<void> {
    await this.queue.deadLetter(job, error);
    await this.jobs.markDeadLettered(job.id, now);
  }

  private lease(nowMs: number): { until: string; sweepAt: string } {
    const { leaseSeconds, sweepAfterSeconds } = this.config.jobs;
    return {
      until: iso(nowMs + leaseSeconds * 1000),
      sweepAt: iso(nowMs + (leaseSeconds + sweepAfterSeconds) * 1000),
    };
  }

  /** Extends the lease every third of its length while the handler runs. */
  private keepLeaseAlive(job: Job, token: string): NodeJS.Timeout {
    const timer = setInterval(
      () => {
        const lease = this.lease(Date.now());
        this.jobs
          .extendLease(job, token, lease.until, lease.sweepAt)
          .then((kept) => {
            if (!kept) this.logger.warn({ jobId: job.id }, 'lease lost while running');
          })
          .catch((error: unknown) => {
            this.logger.warn({ err: error, jobId: job.id }, 'could not extend the lease');
          });
      },
      (this.config.jobs.leaseSeconds * 1000) / 3,
    );
    timer.unref();
    return timer;
  }
}
