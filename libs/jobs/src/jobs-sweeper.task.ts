import { Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import { ScheduledTask, type ScheduledTaskHandler } from '#libs/platform';
import { deliveryDelaySeconds, SQS_MAX_DELAY_SECONDS, type Job } from './domain/job.js';
import { JobQueue } from './job-queue.adapter.js';
import { JobsRepository } from './jobs.repository.js';

export const JOBS_SWEEPER_TASK = 'jobs-sweeper';
/** Jobs handled per status and run; the rest wait for the next tick. */
const BATCH = 200;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The safety net that makes "written to DynamoDB" enough for a job never to be lost:
 * - QUEUED past its sweepAt: its message was never sent (the send failed), was lost, or the job's
 *   delay was longer than SQS allows and it is now within 15 minutes of being due → send it;
 * - RUNNING past its sweepAt (lease long expired): its worker died and the message is gone → send
 *   it again; the claim takes over the expired lease.
 * Each job's sweepAt is moved forward by a conditional write before sending, so sweepers running
 * side by side send it once; an extra message is harmless anyway (claims are conditional).
 */
@ScheduledTask({
  name: JOBS_SWEEPER_TASK,
  purpose: 'Re-enqueues jobs whose message was lost or whose worker died',
  cron: '*/30 * * * * *',
  schedule: 'rate(1 minute)',
})
export class JobsSweeperTask implements ScheduledTaskHandler {
  private readonly logger = new Logger(JobsSweeperTask.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async run(): Promise<void> {
    const now = Date.now();
    let sent = 0;
    let failed = 0;
    for (const status of ['QUEUED', 'RUNNING'] as const) {
      for (const job of await this.jobs.dueForSweep(status, now, BATCH)) {
        try {
          const done =
            status === 'QUEUED'
              ? await this.sweepQueued(job, now)
              : await this.sweepExpired(job, now);
          if (done) sent++;
        } catch (error) {
          // The job keeps a sweepAt, so the next run tries it again.
          failed++;
          this.logger.warn({ err: error, jobId: job.id }, 'sweep of a job failed');
        }
      }
    }
    if (sent > 0 || failed > 0) this.logger.log({ sent, failed }, 'jobs sweep done');
  }

  private async sweepQueued(job: Job, now: number): Promise<boolean> {
    const due = Date.parse(job.runAt);
    if (due - now > SQS_MAX_DELAY_SECONDS * 1000) {
      // Not within SQS's delay range yet: look again when it is.
      await this.jobs.moveSweep(job, iso(due - SQS_MAX_DELAY_SECONDS * 1000));
      return false;
    }
    const next = iso(Math.max(now, due) + this.config.jobs.sweepAfterSeconds * 1000);
    if (!(await this.jobs.moveSweep(job, next))) return false;
    await this.queue.enqueue(job, deliveryDelaySeconds(job.runAt, now));
    this.logger.log({ jobId: job.id, runAt: job.runAt }, 'queued job (re-)enqueued');
    return true;
  }

  private async sweepExpired(job: Job, now: number): Promise<boolean> {
    const next = iso(now + this.config.jobs.sweepAfterSeconds * 1000);
    if (!(await this.jobs.moveSweep(job, next))) return false;
    await this.queue.enqueue(job);
    this.logger.warn(
      { jobId: job.id, leaseUntil: job.leaseUntil },
      'job with an expired lease re-enqueued',
    );
    return true;
  }
}
