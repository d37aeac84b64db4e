import { Logger } from '@nestjs/common';
import {
  EmfMetrics,
  MetricUnit,
  normalizeCorrelationId,
  QueueConsumer,
  withCorrelationId,
  type InboundMessage,
  type MessageConsumer,
} from '#libs/platform';
import { BankEventVerifier } from './bank-event-verifier.service.js';
import { BankNotifier } from './bank-notifier.service.js';
import { MalformedBankMessageError, parseBankNotification } from './domain/bank-event.js';

export const NOTIFICATIONS_QUEUE = 'notifications';

/**
 * Worker side of the notifications queue (EventBridge bank rules → SQS): one e-mail per event,
 * under the correlation id the event carries from the HTTP request. Transient failures rethrow
 * (SQS retries with backoff, then the DLQ); a malformed message, or an event the ledger does not
 * hold exactly (forged, or tampered with), is logged and dropped, since no retry can fix it.
 */
@QueueConsumer(NOTIFICATIONS_QUEUE)
export class BankNotificationsConsumer implements MessageConsumer {
  private readonly logger = new Logger(BankNotificationsConsumer.name);

  constructor(
    private readonly notifier: BankNotifier,
    private readonly verifier: BankEventVerifier,
    private readonly metrics: EmfMetrics,
  ) {}

  async handle(message: InboundMessage): Promise<void> {
    let parsed;
    try {
      parsed = parseBankNotification(message.body);
    } catch (error) {
      if (!(error instanceof MalformedBankMessageError)) throw error;
      this.logger.error({ messageId: message.messageId, reason: error.message }, 'dropped');
      return;
    }
    const { detail } = parsed.event;
    const verdict = await this.verifier.verify(detail);
    if (verdict !== 'genuine') {
      this.logger.warn(
        {
          messageId: message.messageId,
          eventId: detail.eventId,
          operationId: detail.operationId,
          accountId: detail.accountId,
          verdict,
        },
        'bank event not in the ledger: dropped',
      );
      return;
    }
    await withCorrelationId(normalizeCorrelationId(detail.correlationId), async () => {
      const dimensions = { template: parsed.template };
      let outcome;
      try {
        outcome = await this.notifier.notify(parsed);
      } catch (error) {
        this.metrics.emit([{ name: 'EmailsFailed', unit: MetricUnit.Count, value: 1 }], dimensions);
        throw error;
      }
      const latency = Date.now() - Date.parse(detail.bookedAt);
      this.metrics.emit(
        [
          { name: 'EmailsSent', unit: MetricUnit.Count, value: outcome === 'sent' ? 1 : 0 },
          { name: 'EmailsFailed', unit: MetricUnit.Count, value: outcome === 'failed' ? 1 : 0 },
          { name: 'ProcessingLatency', unit: MetricUnit.Milliseconds, value: latency },
        ],
        dimensions,
      );
      this.logger.log(
        {
          eventId: detail.eventId,
          accountId: detail.accountId,
          template: parsed.template,
          outcome,
        },
        'bank event handled',
      );
    });
  }
}
