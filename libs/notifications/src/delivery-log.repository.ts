import { Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isAwsError, ResourceNames } from '#libs/aws';

export const DELIVERY_LOG_TABLE = 'notification-deliveries';
/** Delivery records expire (DynamoDB TTL) after 90 days. */
export const DELIVERY_RETENTION_SECONDS = 90 * 24 * 3600;

export type DeliveryStatus = 'sending' | 'sent' | 'failed' | 'skipped';
export type DeliveryChannel = 'email';

/** One notification of one event to one recipient. */
export interface DeliveryRecord {
  readonly eventId: string;
  /** Stable recipient id (the Cognito sub), not the address, which may change. */
  readonly recipient: string;
  readonly channel: DeliveryChannel;
  readonly address: string | null;
  readonly template: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly sesMessageId?: string;
  readonly lastError?: string;
  /** Why a delivery was skipped (no address, user disabled...). */
  readonly reason?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sentAt?: string;
  /** While `sending`: after this instant another consumer may take the delivery over. */
  readonly leaseUntil?: string;
  readonly expiresAt: number;
}

export interface DeliveryKey {
  readonly eventId: string;
  readonly recipient: string;
}

export interface DeliveryClaim extends DeliveryKey {
  readonly channel: DeliveryChannel;
  readonly address: string;
  readonly template: string;
}

export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly attempts: number }
  /** Already sent or skipped: nothing more to do. */
  | { readonly outcome: 'done'; readonly record: DeliveryRecord }
  /** Another consumer is sending it right now (its lease is live). */
  | { readonly outcome: 'busy'; readonly record: DeliveryRecord };

/** The delivery log DynamoDB table: idempotency per (event id, recipient) and an audit trail. */
@Injectable()
export class DeliveryLogRepository {
  private readonly table: string;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    names: ResourceNames,
  ) {
    this.table = names.table(DELIVERY_LOG_TABLE);
  }

  /**
   * Takes the right to send with conditional writes: the first claim creates the record; a later
   * one only wins over a `failed` delivery or a `sending` one whose lease has run out (its consumer
   * died). Exactly one concurrent claimer gets `claimed`.
   */
  async claim(claim: DeliveryClaim, now: Date, leaseMs: number): Promise<ClaimResult> {
    const at = now.toISOString();
    const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...claim,
            status: 'sending',
            attempts: 1,
            createdAt: at,
            updatedAt: at,
            leaseUntil,
            expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_RETENTION_SECONDS,
          } satisfies DeliveryRecord,
          ConditionExpression: 'attribute_not_exists(eventId)',
        }),
      );
      return { outcome: 'claimed', attempts: 1 };
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
    }
    try {
      const updated = await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { eventId: claim.eventId, recipient: claim.recipient },
          UpdateExpression:
            'SET #status = :sending, attempts = attempts + :one, leaseUntil = :lease, updatedAt = :at, address = :address',
          ConditionExpression: '#status = :failed OR (#status = :sending AND leaseUntil < :at)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':failed': 'failed',
            ':one': 1,
            ':lease': leaseUntil,
            ':at': at,
            ':address': claim.address,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'claimed', attempts: Number(updated.Attributes?.attempts ?? 1) };
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
    }
    const record = await this.get(claim);
    if (!record) throw new Error(`Delivery ${claim.eventId}/${claim.recipient} vanished`);
    return record.status === 'sent' || record.status === 'skipped'
      ? { outcome: 'done', record }
      : { outcome: 'busy', record };
  }

  async markSent(key: DeliveryKey, sesMessageId: string, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { eventId: key.eventId, recipient: key.recipient },
        UpdateExpression:
          'SET #status = :sent, sesMessageId = :id, sentAt = :at, updatedAt = :at REMOVE leaseUntil, lastError',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':id': sesMessageId, ':at': at },
      }),
    );
  }

  async markFailed(key: DeliveryKey, error: string, now: Date): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { eventId: key.eventId, recipient: key.recipient },
        UpdateExpression:
          'SET #status = :failed, lastError = :error, updatedAt = :at REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':error': error.slice(0, 1000),
          ':at': now.toISOString(),
        },
      }),
    );
  }

  /** Records that there was nobody to send to; a first record wins (idempotent). */
  async recordSkipped(
    key: DeliveryKey & { channel: DeliveryChannel; template: string },
    reason: string,
    now: Date,
  ): Promise<void> {
    const at = now.toISOString();
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key,
            address: null,
            status: 'skipped',
            attempts: 0,
            reason,
            createdAt: at,
            updatedAt: at,
            expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_RETENTION_SECONDS,
          } satisfies DeliveryRecord,
          ConditionExpression: 'attribute_not_exists(eventId)',
        }),
      );
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
    }
  }

  async get(key: DeliveryKey): Promise<DeliveryRecord | undefined> {
    const result = await this.documents.send(
      new GetCommand({
        TableName: this.table,
        Key: { eventId: key.eventId, recipient: key.recipient },
        ConsistentRead: true,
      }),
    );
    return result.Item as DeliveryRecord | undefined;
  }
}
