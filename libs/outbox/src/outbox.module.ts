import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxMessageEntity } from './outbox-message.entity.js';
import { OutboxPurgeTask } from './outbox-purge.task.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRelayTask } from './outbox-relay.task.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxWriter } from './outbox-writer.service.js';

/**
 * Transactional outbox for any domain: `OutboxWriter` in the API's transactions, the relay tasks in
 * the worker (importing the module from several domain modules still yields one of each task).
 */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessageEntity])],
  providers: [OutboxRepository, OutboxWriter, OutboxRelay, OutboxRelayTask, OutboxPurgeTask],
  exports: [OutboxWriter, OutboxRelay, OutboxRepository],
})
export class OutboxModule {}
