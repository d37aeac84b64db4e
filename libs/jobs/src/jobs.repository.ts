import { Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, isAwsError, ResourceNames } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { IdempotencyKeyTakenError, type TransactItem } from '#libs/platform';
import type { PageKey } from './domain/cursor.js';
import type { Job, JobMessage, JobStatus, ResultLocation } from './domain/job.js';

export interface JobListQuery {
  readonly ownerId: string;
  readonly status?: JobStatus;
  readonly type?: string;
  readonly limit: number;
  readonly startKey?: PageKey;
}

export interface JobPage {
  readonly items: readonly Job[];
  readonly nextKey: PageKey | undefined;
}

/** Which index a listing uses, with its partition attribute and value. */
export function listingIndex(query: Pick<JobListQuery, 'ownerId' | 'status' | 'type'>): {
  readonly index: string;
  readonly partition: [string, string];
  readonly keyAttributes: readonly string[];
} {
  const [index, attribute, value] = query.status
    ? ['by-owner-status', 'ownerStatus', `${query.ownerId}#${query.status}`]
    : query.type
      ? ['by-owner-type', 'ownerType', `${query.ownerId}#${query.type}`]
      : ['by-owner', 'ownerId', query.ownerId];
  return { index, partition: [attribute, value], keyAttributes: ['id', attribute, 'createdAt'] };
}

const JOB_ATTRIBUTES = [
  'id',
  'type',
  'ownerId',
  'status',
  'payload',
  'attempts',
  'maxAttempts',
  'createdAt',
  'updatedAt',
  'runAt',
  'sweepAt',
  'startedAt',
  'finishedAt',
  'leaseUntil',
  'claimToken',
  'lastError',
  'result',
  'correlationId',
  'deadLetteredAt',
] as const satisfies readonly (keyof Job)[];

function toJob(item: Record<string, unknown>): Job {
  const job: Record<string, unknown> = {};
  for (const name of JOB_ATTRIBUTES) if (item[name] !== undefined) job[name] = item[name];
  return job as unknown as Job;
}

/**
 * The jobs table. Every state change is one conditional write, so concurrent workers, redelivered
 * messages, cancels and sweeps can never move a job along two paths at once.
 */
@Injectable()
export class JobsRepository {
  private readonly table: string;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly config: AppConfig,
    names: ResourceNames,
  ) {
    this.table = names.table('jobs');
  }

  /** Writes a new job, atomically with its idempotency record when there is one. */
  async create(job: Job, idempotencyRecord?: TransactItem): Promise<void> {
    const item = this.item(job);
    if (!idempotencyRecord) {
      try {
        await this.documents.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        );
      } catch (error) {
        // The id is fresh: only our own earlier attempt can hold it (the SDK retried a write that
        // timed out but had landed). The job is stored; anything else is a real failure.
        if (!isConditionFailure(error) || !(await this.isStored(job))) throw error;
      }
      return;
    }
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: item,
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            idempotencyRecord,
          ],
        }),
      );
    } catch (error) {
      // As above: a retried transaction finding its own first attempt applied.
      if (cancellationCodes(error)[0] === 'ConditionalCheckFailed' && (await this.isStored(job)))
        return;
      if (cancellationCodes(error)[1] === 'ConditionalCheckFailed')
        throw new IdempotencyKeyTakenError('idempotency key already used');
      throw error;
    }
  }

  async get(id: string): Promise<Job | undefined> {
    const result = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }),
    );
    return result.Item ? toJob(result.Item) : undefined;
  }

  /** One page of an owner's jobs, newest first, from the index that matches the filters. */
  async list(query: JobListQuery): Promise<JobPage> {
    const { index, partition } = listingIndex(query);
    const filterByType = query.status !== undefined && query.type !== undefined;
    const items: Job[] = [];
    let startKey: Record<string, unknown> | undefined = query.startKey;
    // A type filter on the status index can leave a page short: read on, boundedly.
    for (let round = 0; round < 10 && items.length < query.limit; round++) {
      const input: QueryCommandInput = {
        TableName: this.table,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: {
          '#pk': partition[0],
          ...(filterByType ? { '#type': 'type' } : {}),
        },
        ExpressionAttributeValues: {
          ':pk': partition[1],
          ...(filterByType ? { ':type': query.type } : {}),
        },
        ...(filterByType ? { FilterExpression: '#type = :type' } : {}),
        ScanIndexForward: false,
        Limit: query.limit - items.length,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      };
      const page = await this.documents.send(new QueryCommand(input));
      items.push(...(page.Items ?? []).map(toJob));
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    return { items, nextKey: startKey as PageKey | undefined };
  }

  /**
   * QUEUED (and due) → RUNNING, or takes over a RUNNING job whose lease has expired; counts the
   * attempt. Returns the claimed job, or undefined when the job is not claimable right now.
   */
  async claim(
    message: JobMessage,
    token: string,
    nowMs: number,
    leaseUntil: string,
    sweepAt: string,
  ): Promise<Job | undefined> {
    const now = iso(nowMs);
    try {
      const result = await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: message.jobId },
          UpdateExpression:
            'SET #status = :running, ownerStatus = :ownerStatus, attempts = attempts + :one, ' +
            'claimToken = :token, leaseUntil = :lease, sweepAt = :sweepAt, startedAt = :now, updatedAt = :now',
          ConditionExpression:
            'ownerId = :owner AND #type = :type AND attempts < maxAttempts AND runAt <= :now AND ' +
            '(#status = :queued OR (#status = :running AND leaseUntil < :now))',
          ExpressionAttributeNames: { '#status': 'status', '#type': 'type' },
          ExpressionAttributeValues: {
            ':running': 'RUNNING',
            ':queued': 'QUEUED',
            ':ownerStatus': `${message.ownerId}#RUNNING`,
            ':owner': message.ownerId,
            ':type': message.type,
            ':one': 1,
            ':token': token,
            ':lease': leaseUntil,
            ':sweepAt': sweepAt,
            ':now': now,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? toJob(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Keeps a running claim alive; false when the claim is no longer ours. */
  extendLease(job: Job, token: string, leaseUntil: string, sweepAt: string): Promise<boolean> {
    return this.applied(job.id, {
      set: { leaseUntil, sweepAt },
      condition: { status: 'RUNNING', claimToken: token },
    });
  }

  /** RUNNING → SUCCEEDED, only for the holder of the claim. */
  complete(
    job: Job,
    token: string,
    result: ResultLocation | undefined,
    nowMs: number,
  ): Promise<boolean> {
    return this.applied(job.id, {
      set: {
        ...this.statusChange(job, 'SUCCEEDED', nowMs),
        ...(result ? { result } : {}),
        finishedAt: iso(nowMs),
        expiresAt: this.expiresAt(nowMs),
      },
      remove: ['claimToken', 'leaseUntil', 'sweepAt'],
      condition: { status: 'RUNNING', claimToken: token },
    });
  }

  /** RUNNING → QUEUED after a failed attempt that will be retried (the message's backoff runs it). */
  releaseForRetry(
    job: Job,
    token: string,
    error: string,
    nowMs: number,
    sweepAt: string,
  ): Promise<boolean> {
    return this.applied(job.id, {
      set: { ...this.statusChange(job, 'QUEUED', nowMs), lastError: error, sweepAt },
      remove: ['claimToken', 'leaseUntil'],
      condition: { status: 'RUNNING', claimToken: token },
    });
  }

  /**
   * → FAILED. With a token: the claim holder's final attempt. Without: a job whose attempts are
   * used up although it never finished (its worker died during the last attempt).
   */
  fail(job: Job, token: string | undefined, error: string, nowMs: number): Promise<boolean> {
    return this.applied(job.id, {
      set: {
        ...this.statusChange(job, 'FAILED', nowMs),
        lastError: error,
        finishedAt: iso(nowMs),
        expiresAt: this.expiresAt(nowMs),
      },
      remove: ['claimToken', 'leaseUntil', 'sweepAt', 'deadLetteredAt'],
      condition: token
        ? { status: 'RUNNING', claimToken: token }
        : { status: job.status, attemptsExhausted: true },
    });
  }

  async markDeadLettered(id: string, nowMs: number): Promise<void> {
    await this.conditionalUpdate(id, {
      set: { deadLetteredAt: iso(nowMs) },
      condition: { status: 'FAILED' },
    });
  }

  /** QUEUED → CANCELLED; a claim can no longer succeed afterwards. */
  cancel(job: Job, nowMs: number): Promise<Job | undefined> {
    return this.conditionalUpdate(job.id, {
      set: {
        ...this.statusChange(job, 'CANCELLED', nowMs),
        finishedAt: iso(nowMs),
        expiresAt: this.expiresAt(nowMs),
      },
      remove: ['sweepAt'],
      condition: { status: 'QUEUED' },
    });
  }

  /** FAILED → QUEUED with a fresh attempt budget (retry and DLQ redrive). */
  requeueFailed(
    job: Pick<Job, 'id' | 'ownerId'>,
    nowMs: number,
    sweepAt: string,
  ): Promise<Job | undefined> {
    return this.conditionalUpdate(job.id, {
      set: {
        status: 'QUEUED',
        ownerStatus: `${job.ownerId}#QUEUED`,
        updatedAt: iso(nowMs),
        attempts: 0,
        runAt: iso(nowMs),
        sweepAt,
      },
      remove: ['finishedAt', 'expiresAt', 'deadLetteredAt'],
      condition: { status: 'FAILED', ownerId: job.ownerId },
    });
  }

  /** Jobs in `status` whose sweepAt has passed (sparse index: only QUEUED / RUNNING carry it). */
  async dueForSweep(status: 'QUEUED' | 'RUNNING', nowMs: number, limit: number): Promise<Job[]> {
    const jobs: Job[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'by-sweep',
          KeyConditionExpression: '#status = :status AND sweepAt <= :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':now': iso(nowMs) },
          Limit: limit - jobs.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      jobs.push(...(page.Items ?? []).map(toJob));
      startKey = page.LastEvaluatedKey;
    } while (startKey && jobs.length < limit);
    return jobs;
  }

  /** Moves a job's next sweep; only one sweeper wins for a given (status, sweepAt). */
  moveSweep(job: Job, to: string): Promise<boolean> {
    return this.applied(job.id, {
      set: { sweepAt: to },
      condition: { status: job.status, sweepAt: job.sweepAt ?? '' },
    });
  }

  // ---------------------------------------------------------------- helpers

  /** True when this very job (same id, owner and creation time) is in the table. */
  private async isStored(job: Job): Promise<boolean> {
    const stored = await this.get(job.id);
    return stored?.ownerId === job.ownerId && stored.createdAt === job.createdAt;
  }

  private item(job: Job): Record<string, unknown> {
    return {
      ...job,
      ownerStatus: `${job.ownerId}#${job.status}`,
      ownerType: `${job.ownerId}#${job.type}`,
    };
  }

  private statusChange(job: Pick<Job, 'ownerId'>, status: JobStatus, nowMs: number) {
    return { status, ownerStatus: `${job.ownerId}#${status}`, updatedAt: iso(nowMs) };
  }

  private expiresAt(nowMs: number): number {
    return Math.floor(nowMs / 1000) + this.config.jobs.retentionDays * 86_400;
  }

  private async applied(id: string, change: ConditionalChange): Promise<boolean> {
    return (await this.conditionalUpdate(id, change)) !== undefined;
  }

  /** The item as written, or undefined when the condition did not hold. */
  private async conditionalUpdate(id: string, change: ConditionalChange): Promise<Job | undefined> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(change.set).map(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const removes = (change.remove ?? []).map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
    const conditions = ['attribute_exists(id)'];
    Object.entries(change.condition).forEach(([name, value], i) => {
      if (name === 'attemptsExhausted') {
        conditions.push('attempts >= maxAttempts');
        return;
      }
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      conditions.push(`#c${i} = :c${i}`);
    });
    try {
      const result = await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? toJob(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}

interface ConditionalChange {
  readonly set: Readonly<Record<string, unknown>>;
  readonly remove?: readonly string[];
  readonly condition: Readonly<Record<string, string | boolean>>;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isConditionFailure(error: unknown): boolean {
  return isAwsError(error, 'ConditionalCheckFailedException');
}
