import { Injectable } from '@nestjs/common';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isAwsError, ResourceNames } from '#libs/aws';
import type { TransactItem } from '#libs/platform';
import type { OperationBookedDetail } from './domain/bank-event.js';

export interface OutboxEvent {
  readonly id: string;
  /** Present until the event is put (the sparse by-pending index). */
  readonly pending?: '1';
  readonly createdAt: string;
  readonly detail: OperationBookedDetail;
  readonly attempts?: number;
  readonly leaseUntil?: string;
  readonly lastError?: string;
}

/**
 * The bank-event-outbox table: events written in the booking transaction, so a booked operation
 * always has its event even when EventBridge is unreachable. The relay claims, puts and deletes.
 */
@Injectable()
export class BankOutboxRepository {
  private readonly table: string;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    names: ResourceNames,
  ) {
    this.table = names.table('bank-event-outbox');
  }

  put(detail: OperationBookedDetail, createdAt: string): TransactItem {
    const item: OutboxEvent = { id: detail.eventId, pending: '1', createdAt, detail, attempts: 0 };
    return {
      Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(id)' },
    };
  }

  /** Oldest pending events first. */
  async pending(limit: number): Promise<OutboxEvent[]> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'by-pending',
        KeyConditionExpression: 'pending = :p',
        ExpressionAttributeValues: { ':p': '1' },
        Limit: limit,
      }),
    );
    return (result.Items ?? []) as OutboxEvent[];
  }

  /** Takes an event for `leaseMs`; false when another relay holds it or it is gone. */
  async claim(id: string, now: Date, leaseMs: number): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: 'SET leaseUntil = :lease, attempts = attempts + :one',
          ConditionExpression:
            'attribute_exists(pending) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeValues: {
            ':lease': new Date(now.getTime() + leaseMs).toISOString(),
            ':now': now.toISOString(),
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.table, Key: { id } }));
  }

  /** Keeps the event for the next run (after its lease) with the reason it failed. */
  async recordFailure(id: string, error: string): Promise<void> {
    await this.documents
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: 'SET lastError = :e',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':e': error.slice(0, 1000) },
        }),
      )
      .catch((e: unknown) => {
        if (!isAwsError(e, 'ConditionalCheckFailedException')) throw e;
      });
  }
}
