import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import type { DeadLetterCountDto, RedriveResultDto } from './dto/dead-letters.dto.js';
import { JobQueue } from './job-queue.adapter.js';
import { JobsRepository } from './jobs.repository.js';

/** The jobs dead-letter queue: how many wait there, and moving them back. */
@Injectable()
export class JobDeadLettersService {
  private readonly logger = new Logger(JobDeadLettersService.name);

  constructor(
    private readonly queue: JobQueue,
    private readonly jobs: JobsRepository,
    private readonly config: AppConfig,
  ) {}

  async count(): Promise<DeadLetterCountDto> {
    const { visible, inFlight } = await this.queue.countDeadLetters();
    return { count: visible, inFlight };
  }

  /**
   * Moves up to `max` messages back to the jobs queue. A FAILED job among them is reset to QUEUED
   * with a fresh attempt budget first, so it runs again; a message whose job has moved on in the
   * meantime (retried, cancelled, gone) is moved too and simply acknowledged by the worker.
   */
  async redrive(max: number): Promise<RedriveResultDto> {
    let requeued = 0;
    const moved = await this.queue.redrive(max, async (message) => {
      if (!message) return;
      const now = Date.now();
      const sweepAt = new Date(now + this.config.jobs.sweepAfterSeconds * 1000).toISOString();
      if (
        await this.jobs.requeueFailed({ id: message.jobId, ownerId: message.ownerId }, now, sweepAt)
      )
        requeued++;
    });
    this.logger.log({ moved, requeued }, 'jobs dead-letter queue redriven');
    return { moved, requeued };
  }
}
