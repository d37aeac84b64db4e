import { Logger } from '@nestjs/common';
import { QueueConsumer, type InboundMessage, type MessageConsumer } from '#libs/platform';
import { parseJobMessage } from './domain/job.js';
import { JOBS_QUEUE, JobQueue } from './job-queue.adapter.js';
import { JobRunner } from './job-runner.service.js';

/** The jobs queue, for the long-running worker's poller and the Lambda SQS handler alike. */
@QueueConsumer(JOBS_QUEUE)
export class JobsConsumer implements MessageConsumer {
  private readonly logger = new Logger(JobsConsumer.name);

  constructor(
    private readonly runner: JobRunner,
    private readonly queue: JobQueue,
  ) {}

  async handle(message: InboundMessage): Promise<void> {
    const job = parseJobMessage(message.body);
    if (!job) {
      // Never a job: retrying cannot help. Keep it on the DLQ for inspection, drop it here.
      this.logger.error({ messageId: message.messageId }, 'malformed job message dead-lettered');
      await this.queue.deadLetterRaw(message.body, 'malformed job message');
      return;
    }
    await this.runner.process(job, message.receiveCount);
  }
}
