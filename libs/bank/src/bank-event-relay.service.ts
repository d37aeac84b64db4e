import { Injectable, Logger } from '@nestjs/common';
import { EmfMetrics, MetricUnit } from '#libs/platform';
import { BankEventsPublisher, PUT_EVENTS_BATCH } from './bank-events.publisher.js';
import { BankOutboxRepository, type OutboxEvent } from './bank-outbox.repository.js';

/** Events read per run, and how long a claim protects an event being put. */
const WINDOW = 50;
const LEASE_MS = 30_000;

export interface RelayReport {
  readonly put: number;
  readonly failed: number;
}

/**
 * The relay half of the DynamoDB outbox: claims pending events (conditional update, so relays
 * running side by side put each once), puts them on the bus, deletes them once EventBridge has
 * accepted them. A failure keeps the event; it is put again after its lease. Delivery is at least
 * once; consumers deduplicate on detail.eventId.
 */
@Injectable()
export class BankEventRelay {
  private readonly logger = new Logger(BankEventRelay.name);

  constructor(
    private readonly outbox: BankOutboxRepository,
    private readonly publisher: BankEventsPublisher,
    private readonly metrics: EmfMetrics,
  ) {}

  async relayPending(): Promise<RelayReport> {
    const pending = await this.outbox.pending(WINDOW);
    const claimed: OutboxEvent[] = [];
    for (const event of pending) {
      if (await this.outbox.claim(event.id, new Date(), LEASE_MS)) claimed.push(event);
    }
    let put = 0;
    let failed = 0;
    for (let i = 0; i < claimed.length; i += PUT_EVENTS_BATCH) {
      const batch = claimed.slice(i, i + PUT_EVENTS_BATCH);
      let results;
      try {
        results = await this.publisher.put(batch.map((e) => e.detail));
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        results = batch.map((e) => ({ eventId: e.id, error: message }));
      }
      for (const [index, result] of results.entries()) {
        const event = batch[index];
        if (!event) continue;
        if (result.error === undefined) {
          await this.outbox.delete(event.id);
          put++;
          this.metrics.emit([{ name: 'OperationsBooked', unit: MetricUnit.Count, value: 1 }], {
            operationType: event.detail.type,
          });
        } else {
          await this.outbox.recordFailure(event.id, result.error);
          failed++;
          this.logger.warn(
            { eventId: event.id, correlationId: event.detail.correlationId, error: result.error },
            'bank event not put; will retry',
          );
        }
      }
    }
    if (put > 0 || failed > 0) this.logger.log({ put, failed }, 'bank events relayed');
    return { put, failed };
  }
}
