import { Injectable } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import {
  ConflictError,
  decodeCursor,
  encodeCursor,
  IdempotentRequests,
  type Principal,
} from '#libs/platform';
import { randomUUID } from 'node:crypto';
import { AccountsService } from './accounts.service.js';
import { amountInMinorUnits } from './amounts.js';
import { BookingService } from './booking.service.js';
import { InvalidCursorError } from './domain/bank.errors.js';
import {
  toOperationDto,
  type ListOperationsQueryDto,
  type OperationDto,
  type OperationInputDto,
  type OperationPageDto,
} from './dto/operation.dto.js';
import { OperationsRepository } from './operations.repository.js';

export interface BookedOperation {
  readonly operation: OperationDto;
  readonly replayed: boolean;
}

/** POST /accounts/:id/operations (idempotent with an Idempotency-Key) and the listing. */
@Injectable()
export class OperationsService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly booking: BookingService,
    private readonly operations: OperationsRepository,
    private readonly idempotency: IdempotentRequests,
    private readonly config: AppConfig,
  ) {}

  async book(
    principal: Principal,
    accountId: string,
    input: OperationInputDto,
    idempotencyKey?: string,
  ): Promise<BookedOperation> {
    IdempotentRequests.assertValidKey(idempotencyKey);
    const account = await this.accounts.owned(principal, accountId);
    const amountMinor = amountInMinorUnits(input.amount, account.currency);
    const operationId = randomUUID();
    const { value, replayed } = await this.idempotency.create({
      resource: 'operation',
      scope: 'bank-operations',
      ownerId: principal.sub,
      key: idempotencyKey,
      // The amount as minor units: "12.5" and "12.50" are the same request.
      request: { accountId, type: input.type, amountMinor, reference: input.reference },
      resourceId: operationId,
      ttlSeconds: this.config.bank.idempotencyTtlHours * 3600,
      now: Date.now(),
      write: async (record) => {
        const { operation } = await this.booking.book({
          accountId,
          type: input.type,
          amountMinor,
          reference: input.reference,
          operationId,
          ...(record ? { idempotency: record } : {}),
        });
        return operation;
      },
      replay: async (id) => {
        const first = await this.operations.findById(id);
        if (!first)
          throw new ConflictError(
            `Operation ${id} of this Idempotency-Key is not readable yet; retry`,
          );
        return first;
      },
    });
    return { operation: toOperationDto(value), replayed };
  }

  async list(
    principal: Principal,
    accountId: string,
    query: ListOperationsQueryDto,
  ): Promise<OperationPageDto> {
    await this.accounts.owned(principal, accountId);
    let startKey;
    if (query.cursor !== undefined) {
      startKey = decodeCursor(query.cursor, {
        attributes: ['accountId', 'seq'],
        partition: ['accountId', accountId],
      });
      if (!startKey) throw new InvalidCursorError();
    }
    const page = await this.operations.list(accountId, query.limit, startKey);
    return {
      items: page.items.map(toOperationDto),
      nextCursor: page.nextKey ? encodeCursor(page.nextKey) : null,
    };
  }
}
