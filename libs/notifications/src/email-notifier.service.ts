import { Injectable, Logger } from '@nestjs/common';
import { DeliveryLogRepository } from './delivery-log.repository.js';
import { SesMailer } from './ses.mailer.js';
import { TemplateRenderer, type TemplateData } from './template-renderer.js';
import { UserDirectory } from './user-directory.adapter.js';

export interface EmailNotification {
  /** Id of the event being notified: with the recipient, the idempotency key. */
  readonly eventId: string;
  /** Cognito sub of the user to notify. */
  readonly recipient: string;
  readonly template: string;
  readonly data: TemplateData;
}

export type NotificationOutcome = 'sent' | 'duplicate' | 'skipped';

export class DeliveryInProgressError extends Error {
  override name = 'DeliveryInProgressError';
}

/** How long a consumer may take to send one e-mail before another may take over. */
export const SEND_LEASE_MS = 60_000;

/**
 * Sends one e-mail per (event, recipient), however often the event is delivered:
 * resolve the address, render, claim in the delivery log (conditional write), send, record.
 * A failure is recorded and rethrown so that SQS retries; a redelivery after success is a no-op.
 * (A crash between SES accepting the e-mail and the log saying `sent` can still resend once the
 * lease expires: SES offers no idempotency key.)
 */
@Injectable()
export class EmailNotifier {
  private readonly logger = new Logger(EmailNotifier.name);

  constructor(
    private readonly directory: UserDirectory,
    private readonly renderer: TemplateRenderer,
    private readonly log: DeliveryLogRepository,
    private readonly mailer: SesMailer,
  ) {}

  async notify(notification: EmailNotification): Promise<NotificationOutcome> {
    const { eventId, recipient, template } = notification;
    const key = { eventId, recipient };
    const user = await this.directory.findBySub(recipient);
    const skipReason = !user
      ? 'user not found'
      : !user.enabled
        ? 'user disabled'
        : !user.email
          ? 'user has no e-mail address'
          : !user.emailVerified
            ? 'e-mail address not verified'
            : undefined;
    if (skipReason || !user?.email) {
      await this.log.recordSkipped(
        { ...key, channel: 'email', template },
        skipReason ?? 'no address',
        new Date(),
      );
      this.logger.warn({ eventId, recipient, reason: skipReason }, 'notification skipped');
      return 'skipped';
    }
    const email = { to: user.email, ...this.renderer.render(template, notification.data) };
    const claim = await this.log.claim(
      { ...key, channel: 'email', address: user.email, template },
      new Date(),
      SEND_LEASE_MS,
    );
    if (claim.outcome === 'done') {
      this.logger.log({ eventId, recipient, status: claim.record.status }, 'already notified');
      return 'duplicate';
    }
    if (claim.outcome === 'busy') {
      throw new DeliveryInProgressError(
        `Notification ${eventId}/${recipient} is being sent by another consumer`,
      );
    }
    let messageId: string;
    try {
      messageId = await this.mailer.send(email);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await this.log.markFailed(key, message, new Date());
      throw error;
    }
    await this.log.markSent(key, messageId, new Date());
    this.logger.log(
      { eventId, recipient, template, sesMessageId: messageId, attempt: claim.attempts },
      'e-mail sent',
    );
    return 'sent';
  }
}
