import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import type { Transaction } from '#libs/database';
import { OutboxMessageEntity } from './outbox-message.entity.js';

export type NewOutboxRow = Omit<
  OutboxMessageEntity,
  'attempts' | 'lastError' | 'claimedUntil' | 'sentAt'
>;

/** The `outbox` SQL table. */
@Injectable()
export class OutboxRepository {
  constructor(
    @InjectRepository(OutboxMessageEntity)
    private readonly rows: Repository<OutboxMessageEntity>,
  ) {}

  /** Inserts inside the caller's transaction: the row commits or rolls back with the change. */
  async add(tx: Transaction, row: NewOutboxRow): Promise<void> {
    await tx.manager.insert(OutboxMessageEntity, {
      ...row,
      attempts: 0,
      lastError: null,
      claimedUntil: null,
      sentAt: null,
    });
  }

  /** The oldest unsent rows, due or not (a row that is not due still holds back its ordering key). */
  findUnsent(limit: number): Promise<OutboxMessageEntity[]> {
    return this.rows.find({
      where: { sentAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  findById(id: string): Promise<OutboxMessageEntity | null> {
    return this.rows.findOneBy({ id });
  }

  /**
   * Claims a row for one relay: a conditional UPDATE that only one of several concurrent relays
   * can win (the row must be unsent and unclaimed, or its lease / retry time must have passed).
   */
  async claim(id: string, now: string, leaseUntil: string): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update(OutboxMessageEntity)
      .set({ claimedUntil: leaseUntil, attempts: () => 'attempts + 1' })
      .where('id = :id', { id })
      .andWhere('sent_at IS NULL')
      .andWhere('(claimed_until IS NULL OR claimed_until <= :now)', { now })
      .execute();
    return result.affected === 1;
  }

  async markSent(id: string, sentAt: string): Promise<void> {
    await this.rows.update({ id }, { sentAt, claimedUntil: null, lastError: null });
  }

  async markFailed(id: string, error: string, retryAt: string): Promise<void> {
    await this.rows.update({ id }, { lastError: error.slice(0, 1024), claimedUntil: retryAt });
  }

  /** Deletes rows relayed before the cutoff; returns how many went. */
  async deleteSentBefore(cutoff: string): Promise<number> {
    // `sent_at < cutoff` is never true for NULL, so unsent rows are never touched.
    const result = await this.rows.delete({ sentAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
