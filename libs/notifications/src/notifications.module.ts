import { Module } from '@nestjs/common';
import { SecretStore } from '#libs/aws';
import { DeliveryLogRepository } from './delivery-log.repository.js';
import { EmailNotifier } from './email-notifier.service.js';
import { SesMailer } from './ses.mailer.js';
import { TemplateRenderer } from './template-renderer.js';
import { UserDirectory } from './user-directory.adapter.js';

/** E-mail notifications: templates, SES mailer, Cognito address look-up, delivery log. */
@Module({
  providers: [
    SecretStore,
    TemplateRenderer,
    SesMailer,
    UserDirectory,
    DeliveryLogRepository,
    EmailNotifier,
  ],
  exports: [TemplateRenderer, SesMailer, UserDirectory, DeliveryLogRepository, EmailNotifier],
})
export class NotificationsModule {}
