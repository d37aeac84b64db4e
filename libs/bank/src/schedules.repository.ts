import { Injectable } from '@nestjs/common';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isAwsError, KeyedTable, ResourceNames } from '#libs/aws';
import type { TransactItem } from '#libs/platform';
import type { Schedule } from './bank.types.js';

/** What a run does to its schedule: move to the next occurrence, or finish. */
export type ScheduleAdvance = { readonly next: string } | { readonly finished: 'DONE' | 'FAILED' };

/** The bank-schedules table: one-off and recurring operations and their next run. */
@Injectable()
export class SchedulesRepository extends KeyedTable<Schedule> {
  constructor(documents: DynamoDBDocumentClient, names: ResourceNames) {
    super(documents, names.table('bank-schedules'), 'id');
  }

  async listByAccount(accountId: string): Promise<Schedule[]> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'by-account',
        KeyConditionExpression: 'accountId = :a',
        ExpressionAttributeValues: { ':a': accountId },
        ScanIndexForward: false,
        Limit: 100,
      }),
    );
    return (result.Items ?? []) as Schedule[];
  }

  async delete(id: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.table, Key: { id } }));
  }

  /** Active schedules whose next run is due at `now`, earliest first. */
  async due(now: string, limit: number): Promise<Schedule[]> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'by-due',
        KeyConditionExpression: 'due = :active AND nextRunAt <= :now',
        ExpressionAttributeValues: { ':active': 'ACTIVE', ':now': now },
        Limit: limit,
      }),
    );
    return (result.Items ?? []) as Schedule[];
  }

  /**
   * Takes one occurrence for `leaseMs` with a conditional update: only while the schedule is
   * ACTIVE, still waiting for exactly that occurrence, and nobody else holds a live claim. Of two
   * schedulers, one gets true; the other books nothing.
   */
  async claimOccurrence(
    schedule: Schedule,
    occurrence: string,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: schedule.id },
          UpdateExpression: 'SET claimUntil = :until',
          ConditionExpression:
            '#status = :active AND nextRunAt = :occurrence AND (attribute_not_exists(claimUntil) OR claimUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':active': 'ACTIVE',
            ':occurrence': occurrence,
            ':now': now.toISOString(),
            ':until': new Date(now.getTime() + leaseMs).toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }

  /**
   * Moves a claimed schedule past `occurrence` (next occurrence, or finished) and releases the
   * claim; for the booking transaction, or on its own when the occurrence booked nothing. Its
   * condition makes a second advance of the same occurrence fail.
   */
  advance(
    schedule: Schedule,
    occurrence: string,
    advance: ScheduleAdvance,
    result: { operationId?: string; error?: string; at: string },
  ): TransactItem {
    const values: Record<string, unknown> = {
      ':occurrence': occurrence,
      ':active': 'ACTIVE',
      ':one': 1,
      ':at': result.at,
    };
    const set = ['runs = runs + :one', 'lastRunAt = :at'];
    const remove = ['claimUntil'];
    if ('next' in advance) {
      set.push('nextRunAt = :next');
      values[':next'] = advance.next;
    } else {
      set.push('#status = :finished');
      values[':finished'] = advance.finished;
      remove.push('due', 'nextRunAt');
    }
    if (result.operationId) {
      set.push('lastOperationId = :op');
      values[':op'] = result.operationId;
    }
    if (result.error) {
      set.push('lastError = :error');
      values[':error'] = result.error;
    } else {
      remove.push('lastError');
    }
    return {
      Update: {
        TableName: this.table,
        Key: { id: schedule.id },
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        ConditionExpression: '#status = :active AND nextRunAt = :occurrence',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Applies an advance on its own; false if the occurrence was already advanced. */
  async applyAdvance(advance: TransactItem): Promise<boolean> {
    const update = advance.Update;
    if (!update) throw new Error('a schedule advance is an Update');
    try {
      await this.documents.send(new UpdateCommand(update));
      return true;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }
}
