import { Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';
import type { TransactItem } from '#libs/platform';
import type { Account, NotificationPreferences } from './bank.types.js';

/** The bank-accounts table. Balances change only inside booking transactions (balanceUpdate). */
@Injectable()
export class AccountsRepository {
  private readonly table: string;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    names: ResourceNames,
  ) {
    this.table = names.table('bank-accounts');
  }

  async create(account: Account): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...account },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  }

  async get(id: string): Promise<Account | undefined> {
    const result = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }),
    );
    return result.Item as Account | undefined;
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
