import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { createAwsClients, ResourceNames, type AwsClients } from '#libs/aws';
import type { Job } from '#libs/jobs';
import { testConfig } from '../../e2e/support/harness.js';
import { tally } from './fault.js';

/** Views of what the jobs system stored, straight from DynamoDB and SQS. */

const names = () => new ResourceNames(testConfig().prefix);

let clients: AwsClients | undefined;
/**
 * The tests' own AWS clients, patient (30 s per attempt): reading a thousand jobs back from an
 * emulator the system under test keeps busy may take longer than the app's timeouts allow.
 */
export function inspector(): AwsClients {
  clients ??= createAwsClients(testConfig({ AWS_REQUEST_TIMEOUT_MS: '30000' }).aws);
  return clients;
}
const aws = inspector;

/** Every job of one owner (the by-owner index), however many pages. */
export async function ownerJobs(ownerId: string): Promise<Job[]> {
  const jobs: Job[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await aws().documents.send(
      new QueryCommand({
        TableName: names().table('jobs'),
        IndexName: 'by-owner',
        KeyConditionExpression: 'ownerId = :owner',
        ExpressionAttributeValues: { ':owner': ownerId },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    jobs.push(...((page.Items ?? []) as Job[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return jobs;
}

export function countStatuses(jobs: readonly Job[]): Record<string, number> {
  return tally(jobs.map((job) => job.status));
}

export interface ResultItem {
  readonly jobId: string;
  /** One `attempt:uuid` per run of the fault-count handler's body. */
  readonly executions?: ReadonlySet<string>;
  readonly data?: Record<string, unknown>;
}

/**
 * How a job's body ran: `runs` in all, and whether any attempt (claim) ran it twice, which must
 * never happen; runs of different attempts follow a failed or abandoned attempt.
 */
export function executionsOf(item: ResultItem | undefined): {
  runs: number;
  attempts: number[];
  sameAttemptTwice: boolean;
} {
  const attempts = [...(item?.executions ?? [])].map((e) => Number(e.split(':')[0]));
  return {
    runs: attempts.length,
    attempts,
    sameAttemptTwice: new Set(attempts).size !== attempts.length,
  };
}

/** The job-results items of these jobs (the fault-count handler writes one per job). */
export async function resultItems(jobIds: readonly string[]): Promise<Map<string, ResultItem>> {
  const table = names().table('job-results');
  const found = new Map<string, ResultItem>();
  for (let i = 0; i < jobIds.length; i += 100) {
    let keys: Record<string, unknown>[] = jobIds.slice(i, i + 100).map((jobId) => ({ jobId }));
    for (let round = 0; keys.length > 0 && round < 10; round++) {
      const result = await aws().documents.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of (result.Responses?.[table] ?? []) as ResultItem[])
        found.set(item.jobId, item);
      keys = (result.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}

/**
 * Takes every message off the jobs dead-letter queue (and deletes it), returning the bodies:
 * `{jobId, type, ownerId}` copies of the jobs that FAILED.
 */
export async function drainDeadLetters(): Promise<{ jobId?: string; ownerId?: string }[]> {
  const { QueueUrl: url = '' } = await aws().sqs.send(
    new GetQueueUrlCommand({ QueueName: names().deadLetterQueue('jobs') }),
  );
  const bodies: { jobId?: string; ownerId?: string }[] = [];
  for (let empty = 0; empty < 2;) {
    const { Messages: messages = [] } = await aws().sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 120,
      }),
    );
    empty = messages.length === 0 ? empty + 1 : 0;
    for (const message of messages)
      bodies.push(JSON.parse(message.Body ?? '{}') as { jobId?: string; ownerId?: string });
    if (messages.length > 0)
      await aws().sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
  }
  return bodies;
}
