import { Injectable, Logger } from '@nestjs/common';
import { eventDetail } from './booking.service.js';
import type { OperationBookedDetail } from './domain/bank-event.js';
import { OperationsRepository } from './operations.repository.js';

/** Reads of the operation (its id index is eventually consistent) before an event counts as unknown. */
const LOOKUPS = 3;
const LOOKUP_PAUSE_MS = 400;

export type LedgerVerdict = 'genuine' | 'unknown-operation' | 'differs-from-ledger';

function canonical(detail: OperationBookedDetail): string {
  const entries = Object.entries(detail).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(Object.fromEntries(entries));
}

/**
 * Trusts no bank event because it arrived: anyone allowed to put events on the bus could forge one.
 * An event is genuine only if the ledger holds its operation and the event is exactly the one the
 * booking wrote for it (account, type, amounts, balance, reference, time, ids).
 */
@Injectable()
export class BankEventVerifier {
  private readonly logger = new Logger(BankEventVerifier.name);

  constructor(private readonly operations: OperationsRepository) {}

  async verify(detail: OperationBookedDetail): Promise<LedgerVerdict> {
    for (let lookup = 1; ; lookup++) {
      const operation = await this.operations.findById(detail.operationId);
      if (operation) {
        if (canonical(eventDetail(operation)) === canonical(detail)) return 'genuine';
        this.logger.warn(
          { eventId: detail.eventId, operationId: detail.operationId, accountId: detail.accountId },
          'bank event differs from the ledger',
        );
        return 'differs-from-ledger';
      }
      if (lookup >= LOOKUPS) return 'unknown-operation';
      await new Promise((resolve) => setTimeout(resolve, LOOKUP_PAUSE_MS));
    }
  }
}
