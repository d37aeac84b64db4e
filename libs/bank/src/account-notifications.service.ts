import { Injectable } from '@nestjs/common';
import { DeliveryLogRepository } from '#libs/notifications';
import { decodeCursor, encodeCursor, type Principal } from '#libs/platform';
import { AccountsService } from './accounts.service.js';
import { InvalidCursorError } from './domain/bank.errors.js';
import {
  toNotificationDto,
  type ListNotificationsQueryDto,
  type NotificationPageDto,
} from './dto/notification.dto.js';

/** GET /notifications?accountId=: the delivery log of one of the caller's accounts. */
@Injectable()
export class AccountNotificationsService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly log: DeliveryLogRepository,
  ) {}

  async list(principal: Principal, query: ListNotificationsQueryDto): Promise<NotificationPageDto> {
    await this.accounts.owned(principal, query.accountId);
    let startKey;
    if (query.cursor !== undefined) {
      startKey = decodeCursor(query.cursor, {
        attributes: ['eventId', 'recipient', 'accountId', 'createdAt'],
        partition: ['accountId', query.accountId],
      });
      if (!startKey) throw new InvalidCursorError();
    }
    const page = await this.log.listByAccount(query.accountId, query.limit, startKey);
    return {
      items: page.items.map(toNotificationDto),
      nextCursor: page.nextKey ? encodeCursor(page.nextKey) : null,
    };
  }
}
