import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isAwsError, ResourceNames } from '#libs/aws';
import { UnrecoverableJobError } from './domain/job-errors.js';

/** The job-results table: one item per `db` job, keyed by the job id. */
@Injectable()
export class JobResultsRepository {
  readonly table: string;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    names: ResourceNames,
  ) {
    this.table = names.table('job-results');
  }

  /**
   * Writes the item once: a second attempt (redelivery, retry after a crash) finds it there and
   * leaves it untouched.
   */
  async putOnce(
    jobId: string,
    data: Readonly<Record<string, unknown>>,
    now: string,
  ): Promise<void> {
    const unsafe = findUnsafeNumber(data);
    if (unsafe !== undefined)
      throw new UnrecoverableJobError(
        `The payload holds ${unsafe}, which a DynamoDB item cannot keep exactly`,
      );
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: { jobId, data, writtenAt: now },
          ConditionExpression: 'attribute_not_exists(jobId)',
        }),
      );
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return;
      if (isAwsError(error, 'ValidationException'))
        // DynamoDB refuses the data itself (e.g. nesting over 32 levels): no retry can help.
        throw new UnrecoverableJobError(
          `The payload cannot be stored as a DynamoDB item: ${(error as Error).message}`,
          { cause: error },
        );
      throw error;
    }
  }
}

/** JSON numbers beyond 2^53 lose precision in JavaScript; the document client refuses them. */
function findUnsafeNumber(value: unknown, depth = 0): number | undefined {
  if (typeof value === 'number')
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  for (const child of Object.values(value)) {
    const found = findUnsafeNumber(child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
