import { ScheduledTask, type ScheduledTaskHandler } from '#libs/platform';
import { BankEventRelay } from './bank-event-relay.service.js';

export const BANK_EVENT_RELAY_TASK = 'bank-event-relay';

/** Relays the bank event outbox every second (worker cron; the Lambda runs it by name). */
@ScheduledTask({ name: BANK_EVENT_RELAY_TASK, cron: '* * * * * *' })
export class BankEventRelayTask implements ScheduledTaskHandler {
  constructor(private readonly relay: BankEventRelay) {}

  async run(): Promise<void> {
    await this.relay.relayPending();
  }
}
