import { Injectable, Logger } from '@nestjs/common';
import { DeliveryLogRepository, type DeliveryContext } from './delivery-log.repository.js';
import { isPermanentSendError } from './send-errors.js';
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

/** A notification whose address is already known (e.g. a bank account's holder e-mail). */
export interface EmailDelivery extends EmailNotification {
  readonly address: string;
  readonly accountId?: string;
  readonly correlationId?: string;
}

/** `failed`: a permanent failure, recorded; retrying would not help. */
export type NotificationOutcome = 'sent' | 'duplicate' | 'skipped' | 'failed';

export class DeliveryInProgressError extends Error {
  override name = 'DeliveryInProgressError';
}

/** How long a consumer may take to send one e-mail before another may take over. */
export const SEND_LEASE_MS = 60_000;

/**
 * Sends one e-mail per (event, recipient), however often the event is delivered:
 * resolve the address, claim in the delivery log (conditional write), render, send, record.
 * A transient failure is recorded and rethrown so that SQS retries with backoff; a permanent one
 * (rejected message, bad template data) is recorded `failed` for good and not retried; a
 * redelivery after success is a no-op. (A crash between SES accepting the e-mail and the log
 * saying `sent` can still resend once the lease expires: SES offers no idempotency key.)
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

  /** Notifies a Cognito user (address looked up by sub at send time). */
  async notify(notification: EmailNotification): Promise<NotificationOutcome> {
    const { eventId, recipient, template } = notification;
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
      return this.skip({ eventId, recipient, template }, skipReason ?? 'no address');
    }
    return this.deliver({ ...notification, address: user.email });
  }

  /** Logs a notification that is not sent (no address, preferences...); the first record wins. */
  async skip(
    notification: Pick<
      EmailDelivery,
      'eventId' | 'recipient' | 'template' | 'accountId' | 'correlationId'
    >,
    reason: string,
  ): Promise<'skipped'> {
    const { eventId, recipient } = notification;
    await this.log.recordSkipped({ ...notification, channel: 'email' }, reason, new Date());
    this.logger.warn({ eventId, recipient, reason }, 'notification skipped');
    return 'skipped';
  }

  async deliver(delivery: EmailDelivery): Promise<NotificationOutcome> {
    const { eventId, recipient, template, address } = delivery;
    const key = { eventId, recipient };
    const context: DeliveryContext = {
      channel: 'email',
      template,
      ...(delivery.accountId ? { accountId: delivery.accountId } : {}),
      ...(delivery.correlationId ? { correlationId: delivery.correlationId } : {}),
    };
    const claim = await this.log.claim({ ...key, ...context, address }, new Date(), SEND_LEASE_MS);
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
      messageId = await this.mailer.send({
        to: address,
        ...this.renderer.render(template, delivery.data),
      });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const permanent = isPermanentSendError(error);
      await this.log.markFailed(key, message, new Date(), permanent);
      this.logger.error(
        { err: error, eventId, recipient, template, attempt: claim.attempts, permanent },
        permanent ? 'e-mail failed for good' : 'e-mail failed; will retry',
      );
      if (permanent) return 'failed';
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
