import { Logger } from '@nestjs/common';
import { ScheduledTask, type ScheduledTaskHandler } from '#libs/platform';
import { OutboxRepository } from './outbox.repository.js';

export const OUTBOX_PURGE_TASK = 'outbox-purge';
/** Sent rows are kept a week for inspection, then deleted. */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Deletes sent outbox rows past their retention, hourly at minute 17. */
@ScheduledTask({
  name: OUTBOX_PURGE_TASK,
  purpose: 'Deletes sent outbox rows older than a week',
  cron: '0 17 * * * *',
  schedule: 'cron(17 * * * ? *)',
})
export class OutboxPurgeTask implements ScheduledTaskHandler {
  private readonly logger = new Logger(OutboxPurgeTask.name);

  constructor(private readonly repository: OutboxRepository) {}

  async run(): Promise<void> {
    const cutoff = new Date(Date.now() - OUTBOX_RETENTION_MS).toISOString();
    const deleted = await this.repository.deleteSentBefore(cutoff);
    if (deleted > 0) this.logger.log({ deleted, cutoff }, 'outbox purged');
  }
}
