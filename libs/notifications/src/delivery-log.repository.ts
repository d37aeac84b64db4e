import { Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isAwsError, ResourceNames } from '#libs/aws';

export const DELIVERY_LOG_TABLE = 'notification-deliveries';
/** Delivery records expire (DynamoDB TTL) after 90 days. */
export const DELIVERY_RETENTION_SECONDS = 90 * 24 * 3600;

export type DeliveryStatus = 'sending' | 'sent' | 'failed' | 'skipped';
export type DeliveryChannel = 'email';
/** GSI of the account's deliveries (items with an accountId only). */
export const DELIVERIES_BY_ACCOUNT_INDEX = 'by-account';
/** Attempts kept in a record's attemptLog (a record stays far below DynamoDB's 400 KB). */
const ATTEMPT_LOG_LIMIT = 20;

/** One send attempt, as the log keeps it. */
export interface DeliveryAttempt {
  readonly at: string;
  readonly outcome: 'sent' | 'failed';
  readonly sesMessageId?: string;
  readonly error?: string;
}

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
  /** A failure that retrying cannot fix (rejected message, bad template data): final. */
  readonly permanent?: boolean;
  /** Every send attempt (the first ATTEMPT_LOG_LIMIT), oldest first. */
  readonly attemptLog?: readonly DeliveryAttempt[];
  /** Why a delivery was skipped (no address, user disabled, preferences...). */
  readonly reason?: string;
  /** Bank account the notification is about (indexed: GET /notifications?accountId=). */
  readonly accountId?: string;
  /** Correlation id of the request that caused the event. */
  readonly correlationId?: string;
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

/** What a record says about where a delivery comes from, besides its key. */
export interface DeliveryContext {
  readonly channel: DeliveryChannel;
  readonly template: string;
  readonly accountId?: string;
  readonly correlationId?: string;
}

export interface DeliveryClaim extends DeliveryKey, DeliveryContext {
  readonly address: string;
}

export interface DeliveryPage {
  readonly items: readonly DeliveryRecord[];
  readonly nextKey: Readonly<Record<string, string>> | undefined;
}

export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly attempts: number }
  /** Already sent, skipped or failed for good: nothing more to do. */
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
   * one only wins over a (transiently) `failed` delivery or a `sending` one whose lease has run
   * out (its consumer died). Exactly one concurrent claimer gets `claimed`.
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
          ConditionExpression:
            '(#status = :failed AND attribute_not_exists(permanent)) OR (#status = :sending AND leaseUntil < :at)',
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
    return record.status === 'sent' || record.status === 'skipped' || record.permanent === true
      ? { outcome: 'done', record }
      : { outcome: 'busy', record };
  }

  async markSent(key: DeliveryKey, sesMessageId: string, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.recordAttempt(
      key,
      {
        set: '#status = :sent, sesMessageId = :id, sentAt = :at, updatedAt = :at',
        remove: 'leaseUntil, lastError',
        values: { ':sent': 'sent', ':id': sesMessageId, ':at': at },
      },
      { at, outcome: 'sent', sesMessageId },
    );
  }

  /** A permanent failure is final: no later claim retries it. */
  async markFailed(key: DeliveryKey, error: string, now: Date, permanent = false): Promise<void> {
    const at = now.toISOString();
    const message = error.slice(0, 1000);
    await this.recordAttempt(
      key,
      {
        set: `#status = :failed, lastError = :error, updatedAt = :at${permanent ? ', permanent = :yes' : ''}`,
        remove: 'leaseUntil',
        values: {
          ':failed': 'failed',
          ':error': message,
          ':at': at,
          ...(permanent ? { ':yes': true } : {}),
        },
      },
      { at, outcome: 'failed', error: message },
    );
  }

  /** Applies a status change and appends the attempt to attemptLog (up to ATTEMPT_LOG_LIMIT). */
  private async recordAttempt(
    key: DeliveryKey,
    change: { set: string; remove: string; values: Record<string, unknown> },
    attempt: DeliveryAttempt,
  ): Promise<void> {
    const send = (withLog: boolean) =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { eventId: key.eventId, recipient: key.recipient },
          UpdateExpression: withLog
            ? `SET ${change.set}, attemptLog = list_append(if_not_exists(attemptLog, :none), :attempt) REMOVE ${change.remove}`
            : `SET ${change.set} REMOVE ${change.remove}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: withLog
            ? { ...change.values, ':none': [], ':attempt': [attempt], ':limit': ATTEMPT_LOG_LIMIT }
            : change.values,
          ...(withLog
            ? {
                ConditionExpression:
                  'attribute_not_exists(attemptLog) OR size(attemptLog) < :limit',
              }
            : {}),
        }),
      );
    try {
      await send(true);
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      await send(false); // the attempt log is full: the status still changes
    }
  }

  /** Records that there was nobody to send to; a first record wins (idempotent). */
  async recordSkipped(
    key: DeliveryKey & DeliveryContext,
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

  /** An account's deliveries, newest first. */
  async listByAccount(
    accountId: string,
    limit: number,
    startKey?: Readonly<Record<string, string>>,
  ): Promise<DeliveryPage> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: DELIVERIES_BY_ACCOUNT_INDEX,
        KeyConditionExpression: 'accountId = :account',
        ExpressionAttributeValues: { ':account': accountId },
        ScanIndexForward: false,
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return {
      items: (result.Items ?? []) as DeliveryRecord[],
      nextKey: result.LastEvaluatedKey as Readonly<Record<string, string>> | undefined,
    };
  }
}
