export * from './outbox-message.entity.js';
export * from './outbox.repository.js';
export * from './outbox-writer.service.js';
export * from './outbox-relay.service.js';
export * from './outbox-relay.task.js';
export * from './outbox-purge.task.js';
export * from './outbox.module.js';
