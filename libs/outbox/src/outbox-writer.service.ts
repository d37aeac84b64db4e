import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import type { Transaction } from '#libs/database';
import { currentCorrelationId, relayPromptly } from '#libs/platform';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRepository } from './outbox.repository.js';

/** A message to relay once the surrounding transaction commits. */
export interface OutboxMessage {
  /** Unique id of the event (a UUID): the row key and the `eventId` message attribute. */
  readonly id: string;
  /** Logical queue name from the resource manifest. */
  readonly destination: string;
  /** Event type, sent as the `eventType` message attribute. */
  readonly type: string;
  /** JSON-serialisable message body. */
  readonly body: unknown;
  /** Messages with the same key are relayed in the order they were written. */
  readonly orderingKey?: string;
}

/** MySQL TEXT holds 64 KiB; SQS takes 256 KiB. Events are small: anything near this is a bug. */
const MAX_PAYLOAD_BYTES = 60_000;

/**
 * The write half of the transactional outbox: call it with the transaction that makes the change,
 * so the message exists if and only if the change commits. Once it has committed, the relay sends
 * it before the request answers (OUTBOX_RELAY_ON_COMMIT); the scheduled relay is the safety net.
 */
@Injectable()
export class OutboxWriter {
  private readonly logger = new Logger(OutboxWriter.name);

  constructor(
    private readonly repository: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
  ) {}

  /** One function per writer, so a transaction writing several messages relays once. */
  private readonly relayAfterCommit = () =>
    relayPromptly(
      () => this.relay.relayPending(),
      this.config.outbox.relayOnCommitTimeoutMs,
      this.logger,
      'sql-outbox',
    );

  async enqueue(tx: Transaction, message: OutboxMessage): Promise<void> {
    const payload = JSON.stringify(message.body);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new Error(`Outbox message ${message.type} is too large (${payload.length} chars)`);
    }
    await this.repository.add(tx, {
      id: message.id,
      destination: message.destination,
      type: message.type,
      payload,
      correlationId: currentCorrelationId() ?? null,
      orderingKey: message.orderingKey ?? null,
      createdAt: new Date().toISOString(),
    });
    if (this.config.outbox.relayOnCommit) tx.afterCommit(this.relayAfterCommit);
  }
}
