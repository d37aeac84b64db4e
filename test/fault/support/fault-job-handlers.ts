import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';
import { JobHandler, type JobContext, type JobTypeHandler, type ResultLocation } from '#libs/jobs';

/**
 * Job types of the fault tier, for the in-process API and worker and for the spawned worker
 * (fault-worker.ts). What they did is kept in DynamoDB, so it survives a worker killed mid-run.
 */

export const FAULT_COUNT_TYPE = 'fault-count';
export const FAULT_FAILS_TYPE = 'fault-fails';

/**
 * Writes the job's result item (job-results, keyed by the job id) and records each run of its
 * body in `executions` as `attempt:uuid`. The element is fixed before the write, so the SDK
 * retrying the write (a timeout whose first try landed) cannot count one run twice; a job whose
 * worker died after the body but before SUCCEEDED shows a second element, of a later attempt.
 */
@JobHandler(FAULT_COUNT_TYPE)
export class FaultCountingJobHandler implements JobTypeHandler {
  private readonly table: string;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    names: ResourceNames,
  ) {
    this.table = names.table('job-results');
  }

  async run(job: JobContext): Promise<ResultLocation> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { jobId: job.id },
        UpdateExpression: 'SET #data = :data ADD executions :run',
        ExpressionAttributeNames: { '#data': 'data' },
        ExpressionAttributeValues: {
          ':data': job.payload,
          ':run': new Set([`${job.attempt}:${randomUUID()}`]),
        },
      }),
    );
    return { kind: 'dynamodb', table: this.table, key: job.id };
  }
}

/** Fails every attempt: ends FAILED and on the dead-letter queue. */
@JobHandler(FAULT_FAILS_TYPE)
export class FaultFailingJobHandler implements JobTypeHandler {
  run(job: JobContext): Promise<undefined> {
    return Promise.reject(new Error(`deliberate failure of ${job.id} (attempt ${job.attempt})`));
  }
}

@Module({ providers: [FaultCountingJobHandler, FaultFailingJobHandler] })
export class FaultJobHandlersModule {}
