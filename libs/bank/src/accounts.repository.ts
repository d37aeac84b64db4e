import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { KeyedTable, ResourceNames } from '#libs/aws';
import type { TransactItem } from '#libs/platform';
import type { Account, NotificationPreferences } from './bank.types.js';

/** The bank-accounts table. Balances change only inside booking transactions (balanceUpdate). */
@Injectable()
export class AccountsRepository extends KeyedTable<Account> {
  constructor(documents: DynamoDBDocumentClient, names: ResourceNames) {
    super(documents, names.table('bank-accounts'), 'id');
  }

  async updatePreferences(
    id: string,
    notifications: NotificationPreferences,
    now: string,
  ): Promise<Account> {
    const result = await this.documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: 'SET notifications = :n, updatedAt = :now',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: { ':n': notifications, ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes as Account;
  }

  /**
   * The booking transaction's account write: the new balance and version, only if nobody booked
   * since `account` was read (optimistic lock on version).
   */
  balanceUpdate(account: Account, balanceMinor: number, now: string): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: { id: account.id },
        UpdateExpression: 'SET balanceMinor = :balance, version = :next, updatedAt = :now',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: {
          ':balance': balanceMinor,
          ':next': account.version + 1,
          ':version': account.version,
          ':now': now,
        },
      },
    };
  }
}
