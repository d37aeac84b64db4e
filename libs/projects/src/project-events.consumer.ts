import { Logger } from '@nestjs/common';
import { QueueConsumer, type InboundMessage, type MessageConsumer } from '#libs/platform';
import { PROJECT_EVENTS_QUEUE, parseProjectEvent } from './project-events.js';
import { ProjectNotifier } from './project-notifier.service.js';

/**
 * Worker side of the project-events queue: notifies the people concerned. Idempotent per event id
 * (the delivery log), so SQS redeliveries and outbox resends send nothing twice. A failure
 * rethrows: SQS retries with backoff, then moves the message to the DLQ.
 */
@QueueConsumer(PROJECT_EVENTS_QUEUE)
export class ProjectEventsConsumer implements MessageConsumer {
  private readonly logger = new Logger(ProjectEventsConsumer.name);

  constructor(private readonly notifier: ProjectNotifier) {}

  async handle(message: InboundMessage): Promise<void> {
    const event = parseProjectEvent(message.body);
    const outcome = await this.notifier.notify(event);
    this.logger.log(
      { eventId: event.eventId, type: event.type, projectId: event.project.id, outcome },
      'project event handled',
    );
  }
}
