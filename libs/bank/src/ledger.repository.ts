import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes } from '#libs/aws';
import { IdempotencyKeyTakenError, type TransactItem } from '#libs/platform';

/** The parts of one booking, each a conditional write on its own table. */
export interface BookingWrites {
  readonly account: TransactItem;
  readonly operation: TransactItem;
  readonly event: TransactItem;
  readonly idempotency?: TransactItem;
  readonly scheduleAdvance?: TransactItem;
}

/** The account changed since it was read: read it again and retry. */
export class AccountChangedError extends Error {
  override name = 'AccountChangedError';
}

/** The schedule already moved past this occurrence (another scheduler booked it). */
export class OccurrenceTakenError extends Error {
  override name = 'OccurrenceTakenError';
}

/**
 * Books an operation with one DynamoDB TransactWriteItems: the balance, the operation, the outbox
 * event, and when given the Idempotency-Key record and the schedule's advance. All or nothing.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly documents: DynamoDBDocumentClient) {}

  async book(writes: BookingWrites): Promise<void> {
    const parts: [keyof BookingWrites, TransactItem][] = [
      ['account', writes.account],
      ['operation', writes.operation],
      ['event', writes.event],
    ];
    if (writes.idempotency) parts.push(['idempotency', writes.idempotency]);
    if (writes.scheduleAdvance) parts.push(['scheduleAdvance', writes.scheduleAdvance]);
    try {
      await this.documents.send(
        new TransactWriteCommand({ TransactItems: parts.map(([, item]) => item) }),
      );
    } catch (error) {
      const codes = cancellationCodes(error);
      const failed = new Set(
        parts.filter((_, i) => codes[i] === 'ConditionalCheckFailed').map(([name]) => name),
      );
      if (failed.has('scheduleAdvance'))
        throw new OccurrenceTakenError('occurrence already booked');
      if (failed.has('idempotency'))
        throw new IdempotencyKeyTakenError('idempotency key already used');
      if (failed.has('account') || failed.has('operation'))
        throw new AccountChangedError('account changed concurrently');
      throw error;
    }
  }
}
