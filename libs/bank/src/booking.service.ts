import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import {
  currentCorrelationId,
  NotFoundError,
  relayPromptly,
  type TransactItem,
} from '#libs/platform';
import { AccountsRepository } from './accounts.repository.js';
import { BankEventRelay } from './bank-event-relay.service.js';
import type { Account, Operation } from './bank.types.js';
import { BankOutboxRepository } from './bank-outbox.repository.js';
import { AccountBusyError, InsufficientFundsError } from './domain/bank.errors.js';
import type { OperationBookedDetail } from './domain/bank-event.js';
import { balanceAfter, formatAmount, type OperationType } from './domain/money.js';
import { AccountChangedError, LedgerRepository } from './ledger.repository.js';
import { operationSeq, OperationsRepository } from './operations.repository.js';

export interface BookingRequest {
  readonly accountId: string;
  readonly type: OperationType;
  readonly amountMinor: number;
  readonly reference: string;
  /** Decided by the caller so that an Idempotency-Key record can name it up front. */
  readonly operationId?: string;
  readonly scheduleId?: string;
  readonly idempotency?: TransactItem;
  readonly scheduleAdvance?: TransactItem;
}

/** Optimistic-lock retries before answering 409 (only under heavy contention on one account). */
const MAX_ATTEMPTS = 5;

/**
 * Books deposits and withdrawals: reads the account, computes the new balance with integer
 * arithmetic (refusing an overdraft), then writes balance + operation + outbox event (+ the
 * Idempotency-Key record or the schedule's claim) in one DynamoDB transaction, and relays the
 * event right after it.
 */
@Injectable()
export class BookingService {
  private readonly logger = new Logger(BookingService.name);

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly operations: OperationsRepository,
    private readonly outbox: BankOutboxRepository,
    private readonly ledger: LedgerRepository,
    private readonly relay: BankEventRelay,
    private readonly config: AppConfig,
  ) {}

  async book(request: BookingRequest): Promise<{ account: Account; operation: Operation }> {
    const operationId = request.operationId ?? randomUUID();
    for (let attempt = 1; ; attempt++) {
      const account = await this.accounts.get(request.accountId);
      if (!account) throw new NotFoundError('Account', request.accountId);
      const after = balanceAfter(account.balanceMinor, request.type, request.amountMinor);
      if (after === undefined) {
        throw new InsufficientFundsError(
          account.id,
          formatAmount(account.balanceMinor, account.currency),
          formatAmount(request.amountMinor, account.currency),
          account.currency,
        );
      }
      const now = new Date().toISOString();
      const operation: Operation = {
        accountId: account.id,
        seq: operationSeq(account.version + 1),
        id: operationId,
        type: request.type,
        amountMinor: request.amountMinor,
        currency: account.currency,
        balanceAfterMinor: after,
        reference: request.reference,
        bookedAt: now,
        eventId: randomUUID(),
        correlationId: currentCorrelationId() ?? randomUUID(),
        ...(request.scheduleId ? { scheduleId: request.scheduleId } : {}),
      };
      try {
        await this.ledger.book({
          account: this.accounts.balanceUpdate(account, after, now),
          operation: this.operations.put(operation),
          event: this.outbox.put(eventDetail(operation), now),
          ...(request.idempotency ? { idempotency: request.idempotency } : {}),
          ...(request.scheduleAdvance ? { scheduleAdvance: request.scheduleAdvance } : {}),
        });
      } catch (error) {
        if (!(error instanceof AccountChangedError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw new AccountBusyError(account.id);
        continue;
      }
      this.logger.log(
        { accountId: account.id, operationId, type: operation.type, seq: operation.seq },
        'operation booked',
      );
      // Put the event on the bus now (OUTBOX_RELAY_ON_COMMIT); the scheduled relay is the net.
      if (this.config.outbox.relayOnCommit)
        await relayPromptly(
          () => this.relay.relayPending(),
          this.config.outbox.relayOnCommitTimeoutMs,
          this.logger,
          'bank-outbox',
        );
      return {
        account: { ...account, balanceMinor: after, version: account.version + 1, updatedAt: now },
        operation,
      };
    }
  }
}

export function eventDetail(operation: Operation): OperationBookedDetail {
  return {
    eventId: operation.eventId,
    operationId: operation.id,
    accountId: operation.accountId,
    type: operation.type,
    amount: formatAmount(operation.amountMinor, operation.currency),
    amountMinor: operation.amountMinor,
    currency: operation.currency,
    balanceAfter: formatAmount(operation.balanceAfterMinor, operation.currency),
    balanceAfterMinor: operation.balanceAfterMinor,
    reference: operation.reference,
    bookedAt: operation.bookedAt,
    correlationId: operation.correlationId,
    ...(operation.scheduleId ? { scheduleId: operation.scheduleId } : {}),
  };
}
