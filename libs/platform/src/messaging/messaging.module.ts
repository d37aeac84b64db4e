import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TaskRunner } from '../scheduling/task-runner.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { MessagePublisher } from './message-publisher.js';
import { QueueUrls } from './queue-urls.js';

/** Publishing (API and worker) and dispatching (worker, Lambda) of queue messages and scheduled tasks. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [QueueUrls, MessagePublisher, MessageDispatcher, TaskRunner],
  exports: [QueueUrls, MessagePublisher, MessageDispatcher, TaskRunner],
})
export class MessagingModule {}
