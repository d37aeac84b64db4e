import { Injectable } from '@nestjs/common';
import { EmailNotifier, type NotificationOutcome } from '#libs/notifications';
import { AccountsRepository } from './accounts.repository.js';
import type { NotificationPreferences } from './bank.types.js';
import type { BankNotificationMessage, BankTemplate } from './domain/bank-event.js';

/** Which preference lets each template through. */
const PREFERENCE: Readonly<Record<BankTemplate, keyof NotificationPreferences>> = {
  'deposit-confirmation': 'deposits',
  'withdrawal-notice': 'withdrawals',
  'large-operation-alert': 'largeOperations',
};

/**
 * Turns a routed bank event into one e-mail to the account holder, reading the account at send
 * time (current address and preferences). Preferences that say no are logged SKIPPED.
 */
@Injectable()
export class BankNotifier {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly email: EmailNotifier,
  ) {}

  async notify(message: BankNotificationMessage): Promise<NotificationOutcome> {
    const { template } = message;
    const detail = message.event.detail;
    const key = {
      eventId: detail.eventId,
      // The account is the recipient: its holder's address may change, the account id does not.
      recipient: detail.accountId,
      template,
      accountId: detail.accountId,
      correlationId: detail.correlationId,
    };
    const account = await this.accounts.get(detail.accountId);
    if (!account) return this.email.skip(key, 'account not found');
    if (!account.notifications.email) return this.email.skip(key, 'e-mails turned off');
    const preference = PREFERENCE[template];
    if (!account.notifications[preference])
      return this.email.skip(key, `${preference} notifications turned off`);
    return this.email.deliver({
      ...key,
      address: account.email,
      data: {
        holderName: account.holderName,
        accountId: account.id,
        eventId: detail.eventId,
        type: detail.type,
        amount: detail.amount,
        currency: detail.currency,
        balanceAfter: detail.balanceAfter,
        reference: detail.reference,
        bookedAt: detail.bookedAt,
      },
    });
  }
}
