import { ScheduledTask, type ScheduledTaskHandler } from '#libs/platform';
import { OutboxRelay } from './outbox-relay.service.js';

export const OUTBOX_RELAY_TASK = 'outbox-relay';

/** Relays committed outbox rows every second in the worker, every minute in Lambda. */
@ScheduledTask({
  name: OUTBOX_RELAY_TASK,
  purpose: 'Relays committed outbox rows to their queues',
  cron: '* * * * * *',
  schedule: 'rate(1 minute)',
})
export class OutboxRelayTask implements ScheduledTaskHandler {
  constructor(private readonly relay: OutboxRelay) {}

  async run(): Promise<void> {
    await this.relay.relayPending();
  }
}
