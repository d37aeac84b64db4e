import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';
import type { PageKey, TransactItem } from '#libs/platform';
import type { Operation } from './bank.types.js';

/** Width of the zero-padded operation number (sorts as a string). */
const SEQ_DIGITS = 12;
export const operationSeq = (n: number) => String(n).padStart(SEQ_DIGITS, '0');

export interface OperationPage {
  readonly items: readonly Operation[];
  readonly nextKey: PageKey | undefined;
}

/** The bank-operations table: an account's operations by number (newest first when listed). */
@Injectable()
export class OperationsRepository {
  private readonly table: string;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    names: ResourceNames,
  ) {
    this.table = names.table('bank-operations');
  }

  /** The booking transaction's operation write; the number can only be taken once. */
  put(operation: Operation): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...operation },
        ConditionExpression: 'attribute_not_exists(seq)',
      },
    };
  }

  async list(accountId: string, limit: number, startKey?: PageKey): Promise<OperationPage> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'accountId = :a',
        ExpressionAttributeValues: { ':a': accountId },
        ScanIndexForward: false,
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return {
      items: (result.Items ?? []) as Operation[],
      nextKey: result.LastEvaluatedKey as PageKey | undefined,
    };
  }

  async findById(id: string): Promise<Operation | undefined> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'by-id',
        KeyConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': id },
        Limit: 1,
      }),
    );
    return result.Items?.[0] as Operation | undefined;
  }
}
