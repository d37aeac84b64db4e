export * from './template-renderer.js';
export * from './ses.mailer.js';
export * from './user-directory.adapter.js';
export * from './delivery-log.repository.js';
export * from './email-notifier.service.js';
export * from './notifications.module.js';
export * from './notifications.resources.js';
export * from './send-errors.js';
