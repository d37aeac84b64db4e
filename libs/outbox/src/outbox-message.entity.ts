import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A row of the `outbox` table: one message waiting to be (or already) relayed to a queue. */
@Entity('outbox')
export class OutboxMessageEntity {
  /** The event id; also sent as the `eventId` message attribute. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Logical queue name from the resource manifest (e.g. `project-events`). */
  @Column({ type: 'varchar', length: 128 })
  destination!: string;

  @Column({ type: 'varchar', length: 128 })
  type!: string;

  /** The message body (JSON). */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128, nullable: true })
  correlationId!: string | null;

  /** Rows sharing a key (e.g. one project) are relayed in creation order. */
  @Column({ name: 'ordering_key', type: 'varchar', length: 128, nullable: true })
  orderingKey!: string | null;

  /** Relay attempts so far (each claim counts one). */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 1024, nullable: true })
  lastError!: string | null;

  /** ISO-8601 timestamps are stored as text: portable and ordered by plain string comparison. */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  /** A relay's lease while it sends; after a failure, the earliest time of the next attempt. */
  @Column({ name: 'claimed_until', type: 'varchar', length: 32, nullable: true })
  claimedUntil!: string | null;

  @Column({ name: 'sent_at', type: 'varchar', length: 32, nullable: true })
  sentAt!: string | null;
}
