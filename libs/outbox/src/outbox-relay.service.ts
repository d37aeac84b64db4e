import { Injectable, Logger } from '@nestjs/common';
import { MessagePublisher } from '#libs/platform';
import type { OutboxMessageEntity } from './outbox-message.entity.js';
import { OutboxRepository } from './outbox.repository.js';

export interface RelayReport {
  sent: number;
  failed: number;
  /** Rows left for later: claimed by another relay, waiting for a retry, or behind such a row. */
  held: number;
}

export interface RelayOptions {
  /** Rows read per window. */
  readonly windowSize: number;
  /** Windows per run, so one run stays short. */
  readonly maxWindows: number;
  /** How long a claim protects a row being sent. */
  readonly leaseMs: number;
  /** Consecutive send failures after which the run stops (the queue service is likely down). */
  readonly maxConsecutiveFailures: number;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = {
  windowSize: 50,
  maxWindows: 10,
  leaseMs: 60_000,
  maxConsecutiveFailures: 3,
};

/** Wait before the next attempt of a row that failed `attempts` times: 1 s, 2 s, 4 s ... 5 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 300_000);
}

/**
 * The send half of the transactional outbox: publishes committed, unsent rows to their queues.
 *
 * - Several relays may run at once (worker processes, Lambda): each row is claimed with a
 *   conditional UPDATE before it is sent, so only one of them sends it.
 * - A failed send keeps the row (attempts, last_error) and schedules a retry with backoff; nothing
 *   is lost while the queue is unreachable.
 * - Rows sharing an ordering key leave in creation order: once a row is held back, every later row
 *   with its key waits for the next run.
 * - Delivery is at least once (a crash between the send and `sent_at` resends the row): consumers
 *   deduplicate on the `eventId` message attribute.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly options: RelayOptions = DEFAULT_RELAY_OPTIONS;

  constructor(
    private readonly repository: OutboxRepository,
    private readonly publisher: MessagePublisher,
  ) {}

  async relayPending(): Promise<RelayReport> {
    const report: RelayReport = { sent: 0, failed: 0, held: 0 };
    for (let window = 0; window < this.options.maxWindows; window++) {
      const rows = await this.repository.findUnsent(this.options.windowSize);
      if (rows.length === 0) break;
      const before = report.sent;
      const stop = await this.relayWindow(rows, report);
      if (stop || report.sent === before || rows.length < this.options.windowSize) break;
    }
    if (report.sent > 0 || report.failed > 0) this.logger.log(report, 'outbox relayed');
    return report;
  }

  /** Returns true when the run should stop (too many consecutive failures). */
  private async relayWindow(rows: OutboxMessageEntity[], report: RelayReport): Promise<boolean> {
    const heldKeys = new Set<string>();
    let consecutiveFailures = 0;
    for (const row of rows) {
      const key = row.orderingKey ?? row.id;
      const now = new Date();
      const nowIso = now.toISOString();
      if (heldKeys.has(key) || (row.claimedUntil !== null && row.claimedUntil > nowIso)) {
        heldKeys.add(key);
        report.held++;
        continue;
      }
      const lease = new Date(now.getTime() + this.options.leaseMs).toISOString();
      if (!(await this.repository.claim(row.id, nowIso, lease))) {
        heldKeys.add(key); // another relay has it
        report.held++;
        continue;
      }
      try {
        await this.publisher.publish(row.destination, JSON.parse(row.payload), {
          attributes: { eventId: row.id, eventType: row.type },
          ...(row.correlationId ? { correlationId: row.correlationId } : {}),
        });
        await this.repository.markSent(row.id, new Date().toISOString());
        report.sent++;
        consecutiveFailures = 0;
      } catch (error) {
        const attempts = row.attempts + 1;
        const retryAt = new Date(Date.now() + retryDelayMs(attempts)).toISOString();
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        await this.repository.markFailed(row.id, message, retryAt);
        this.logger.warn(
          { err: error, outboxId: row.id, destination: row.destination, attempts, retryAt },
          'outbox send failed; will retry',
        );
        heldKeys.add(key);
        report.failed++;
        if (++consecutiveFailures >= this.options.maxConsecutiveFailures) return true;
      }
    }
    return false;
  }
}
