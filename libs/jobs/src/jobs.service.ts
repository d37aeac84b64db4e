import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import {
  ConflictError,
  currentCorrelationId,
  IdempotentRequests,
  isAdmin,
  NotFoundError,
  requestHash as hashRequest,
  type Principal,
} from '#libs/platform';
import { decodeCursor, encodeCursor } from './domain/cursor.js';
import {
  InvalidCursorError,
  JobPayloadTooLargeError,
  JobStateConflictError,
} from './domain/job-errors.js';
import { initialSweepAt, sendsAtCreation, type Job } from './domain/job.js';
import type { CreateJobInput } from './dto/create-job.dto.js';
import { toJobDto, toJobSummaryDto, type JobDto, type JobPageDto } from './dto/job.dto.js';
import type { ListJobsQueryDto } from './dto/list-jobs.query.dto.js';
import { JobHandlerRegistry } from './handlers/job-handler.registry.js';
import { JobQueue } from './job-queue.adapter.js';
import { JobsRepository, listingIndex } from './jobs.repository.js';

export interface CreatedJob {
  readonly job: JobDto;
  /** True when an Idempotency-Key matched an earlier identical request. */
  readonly replayed: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Job API: create (durably, then enqueue), read, list, cancel, retry. */
@Injectable()
export class JobsService {
  private readonly logger = new Logger(JobsService.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly idempotency: IdempotentRequests,
    private readonly queue: JobQueue,
    private readonly registry: JobHandlerRegistry,
    private readonly config: AppConfig,
  ) {}

  types(): string[] {
    return [...this.registry.types];
  }

  async create(
    principal: Principal,
    input: CreateJobInput,
    idempotencyKey?: string,
  ): Promise<CreatedJob> {
    this.registry.assertKnown(input.type);
    IdempotentRequests.assertValidKey(idempotencyKey);
    const payload = JSON.stringify(input.payload);
    const size = Buffer.byteLength(payload, 'utf8');
    if (size > this.config.jobs.maxPayloadBytes)
      throw new JobPayloadTooLargeError(size, this.config.jobs.maxPayloadBytes);

    const now = Date.now();
    const delaySeconds = input.delaySeconds ?? 0;
    const runAt = now + delaySeconds * 1000;
    const correlationId = currentCorrelationId();
    const job: Job = {
      id: randomUUID(),
      type: input.type,
      ownerId: principal.sub,
      status: 'QUEUED',
      payload,
      attempts: 0,
      maxAttempts: input.maxAttempts ?? this.config.jobs.defaultMaxAttempts,
      createdAt: iso(now),
      updatedAt: iso(now),
      runAt: iso(runAt),
      sweepAt: initialSweepAt(runAt, now, this.config.jobs.sweepAfterSeconds),
      ...(correlationId ? { correlationId } : {}),
    };

    const { value: stored, replayed } = await this.idempotency.create<Job>({
      resource: 'job',
      scope: 'jobs',
      ownerId: principal.sub,
      key: idempotencyKey,
      request: canonicalRequest(input),
      resourceId: job.id,
      ttlSeconds: this.config.jobs.idempotencyTtlHours * 3600,
      now,
      write: async (record) => {
        await this.jobs.create(job, record);
        return job;
      },
      replay: async (jobId) => {
        const first = await this.jobs.get(jobId);
        if (!first)
          throw new ConflictError(
            `The job this Idempotency-Key created (${jobId}) has expired; use a new key`,
          );
        return first;
      },
    });
    if (replayed) return { job: toJobDto(stored), replayed: true };
    // Written first: from here the job cannot be lost, even if this send fails.
    if (sendsAtCreation(delaySeconds)) await this.enqueueOrLeaveToSweeper(job, delaySeconds);
    return { job: toJobDto(job), replayed: false };
  }

  async get(principal: Principal, id: string): Promise<JobDto> {
    return toJobDto(await this.visible(principal, id));
  }

  async list(principal: Principal, query: ListJobsQueryDto): Promise<JobPageDto> {
    const filters = {
      ownerId: principal.sub,
      ...(query.status ? { status: query.status } : {}),
      ...(query.type ? { type: query.type } : {}),
    };
    let startKey;
    if (query.cursor !== undefined) {
      const { partition, keyAttributes } = listingIndex(filters);
      startKey = decodeCursor(query.cursor, { attributes: keyAttributes, partition });
      if (!startKey) throw new InvalidCursorError();
    }
    const page = await this.jobs.list({
      ...filters,
      limit: query.limit,
      ...(startKey ? { startKey } : {}),
    });
    return {
      items: page.items.map(toJobSummaryDto),
      nextCursor: page.nextKey ? encodeCursor(page.nextKey) : null,
    };
  }

  /** QUEUED → CANCELLED: no worker will start it afterwards. Cancelling twice is fine. */
  async cancel(principal: Principal, id: string): Promise<JobDto> {
    const job = await this.visible(principal, id);
    const cancelled = job.status === 'QUEUED' ? await this.jobs.cancel(job, Date.now()) : undefined;
    if (cancelled) return toJobDto(cancelled);
    const current = (await this.jobs.get(id)) ?? job;
    if (current.status === 'CANCELLED') return toJobDto(current);
    throw new JobStateConflictError(id, current.status, 'cancel', 'QUEUED');
  }

  /** FAILED → QUEUED with a fresh attempt budget, and enqueued again. */
  async retry(principal: Principal, id: string): Promise<JobDto> {
    const job = await this.visible(principal, id);
    const now = Date.now();
    const sweepAt = iso(now + this.config.jobs.sweepAfterSeconds * 1000);
    const requeued =
      job.status === 'FAILED' ? await this.jobs.requeueFailed(job, now, sweepAt) : undefined;
    if (!requeued) {
      const current = (await this.jobs.get(id)) ?? job;
      throw new JobStateConflictError(id, current.status, 'retry', 'FAILED');
    }
    await this.enqueueOrLeaveToSweeper(requeued, 0);
    // The state this request made: the worker may already have moved it on (RUNNING).
    return toJobDto(requeued);
  }

  /** Owners see their jobs, admins every job; anyone else gets the same 404 as for no job. */
  private async visible(principal: Principal, id: string): Promise<Job> {
    const job = await this.jobs.get(id);
    if (!job || (job.ownerId !== principal.sub && !isAdmin(principal)))
      throw new NotFoundError('Job', id);
    return job;
  }

  private async enqueueOrLeaveToSweeper(job: Job, delaySeconds: number): Promise<void> {
    try {
      await this.queue.enqueue(job, delaySeconds);
    } catch (error) {
      this.logger.warn(
        { err: error, jobId: job.id, sweepAt: job.sweepAt },
        'enqueue failed; the job is stored QUEUED and the sweeper will send it',
      );
    }
  }
}

/** What must be identical for an Idempotency-Key replay (absent options count as null). */
function canonicalRequest(input: CreateJobInput) {
  return {
    type: input.type,
    payload: input.payload,
    delaySeconds: input.delaySeconds ?? null,
    maxAttempts: input.maxAttempts ?? null,
  };
}

/** SHA-256 of the request's canonical JSON (keys sorted), so field order does not matter. */
export function requestHash(input: CreateJobInput): string {
  return hashRequest(canonicalRequest(input));
}
