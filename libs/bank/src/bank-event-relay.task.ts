import { EmfMetrics, MetricUnit, ScheduledTask, type ScheduledTaskHandler } from '#libs/platform';
import { BankEventRelay } from './bank-event-relay.service.js';
import { BankOutboxRepository } from './bank-outbox.repository.js';

export const BANK_EVENT_RELAY_TASK = 'bank-event-relay';
/** The EMF metric behind the bank's outbox backlog alarm (bank.resources.ts). */
export const OUTBOX_BACKLOG_AGE_METRIC = 'OutboxBacklogAge';
export const OUTBOX_BACKLOG_DIMENSIONS = { outbox: 'bank-event-outbox' } as const;

/**
 * Relays the bank event outbox every second in the worker, every minute from the schedule rule in
 * Lambda. Then reports how long the oldest event left behind has waited (nothing when none is):
 * events that EventBridge keeps refusing, or a relay that cannot keep up, raise the alarm.
 */
@ScheduledTask({
  name: BANK_EVENT_RELAY_TASK,
  purpose: 'Relays the bank event outbox to EventBridge',
  cron: '* * * * * *',
  schedule: 'rate(1 minute)',
})
export class BankEventRelayTask implements ScheduledTaskHandler {
  constructor(
    private readonly relay: BankEventRelay,
    private readonly outbox: BankOutboxRepository,
    private readonly metrics: EmfMetrics,
  ) {}

  async run(): Promise<void> {
    await this.relay.relayPending();
    const [oldest] = await this.outbox.pending(1);
    if (!oldest) return;
    const ageSeconds = Math.max(0, (Date.now() - Date.parse(oldest.createdAt)) / 1000);
    this.metrics.emit(
      [{ name: OUTBOX_BACKLOG_AGE_METRIC, unit: MetricUnit.Seconds, value: ageSeconds }],
      OUTBOX_BACKLOG_DIMENSIONS,
    );
  }
}
