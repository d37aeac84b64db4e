import { ScheduledTask, type ScheduledTaskHandler } from '#libs/platform';
import { OutboxRelay } from './outbox-relay.service.js';

export const OUTBOX_RELAY_TASK = 'outbox-relay';

/** Relays committed outbox rows every second (worker cron; the Lambda runs it by name). */
@ScheduledTask({ name: OUTBOX_RELAY_TASK, cron: '* * * * * *' })
export class OutboxRelayTask implements ScheduledTaskHandler {
  constructor(private readonly relay: OutboxRelay) {}

  async run(): Promise<void> {
    await this.relay.relayPending();
  }
}
