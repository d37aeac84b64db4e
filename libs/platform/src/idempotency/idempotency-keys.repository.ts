import { Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  GetCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';

/** One item of a DynamoDB TransactWriteItems call. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface IdempotencyRecord {
  /** Scoped key: `{scope}#{ownerId}#{Idempotency-Key}`. */
  readonly key: string;
  /** SHA-256 of the canonical request. */
  readonly requestHash: string;
  /** Id of what the first request created (a job, an operation...). */
  readonly resourceId: string;
  readonly createdAt: string;
  /** Epoch seconds (the table's TTL attribute). */
  readonly expiresAt: number;
}

/** The shared idempotency-keys table (jobs, bank operations...). */
@Injectable()
export class IdempotencyKeysRepository {
  private readonly table: string;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    names: ResourceNames,
  ) {
    this.table = names.table('idempotency-keys');
  }

  static scopedKey(scope: string, ownerId: string, key: string): string {
    return `${scope}#${ownerId}#${key}`;
  }

  /**
   * The record's write for the resource-creating transaction: it succeeds only if the key is free
   * or its previous record has expired (TTL deletion lags by up to days).
   */
  conditionalPut(record: IdempotencyRecord, nowSeconds: number): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...record },
        ConditionExpression: 'attribute_not_exists(#key) OR expiresAt < :now',
        ExpressionAttributeNames: { '#key': 'key' },
        ExpressionAttributeValues: { ':now': nowSeconds },
      },
    };
  }

  async get(key: string, nowSeconds: number): Promise<IdempotencyRecord | undefined> {
    const result = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { key }, ConsistentRead: true }),
    );
    const record = result.Item as IdempotencyRecord | undefined;
    return record && record.expiresAt >= nowSeconds ? record : undefined;
  }
}
