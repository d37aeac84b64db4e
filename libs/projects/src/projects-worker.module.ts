import { Module } from '@nestjs/common';
import { NotificationsModule } from '#libs/notifications';
import { OutboxModule } from '#libs/outbox';
import { ProjectEventsConsumer } from './project-events.consumer.js';
import { ProjectNotifier } from './project-notifier.service.js';

/**
 * Worker side: the outbox relay (scheduled task `outbox-relay`, every second) and the
 * project-events consumer that e-mails the owner.
 */
@Module({
  imports: [OutboxModule, NotificationsModule],
  providers: [ProjectNotifier, ProjectEventsConsumer],
})
export class ProjectsWorkerModule {}
