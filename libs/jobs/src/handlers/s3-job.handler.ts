import type { ResultLocation } from '../domain/job.js';
import { JobOutputsRepository } from '../job-outputs.repository.js';
import { JobHandler, type JobContext, type JobTypeHandler } from './job-handler.js';

/** The original `s3` type: the job's data becomes a JSON object under `jobs/` in the bucket. */
@JobHandler('s3')
export class S3JobHandler implements JobTypeHandler {
  constructor(private readonly outputs: JobOutputsRepository) {}

  async run(job: JobContext): Promise<ResultLocation> {
    const key = JobOutputsRepository.keyFor(job.id);
    await this.outputs.putJson(key, job.payload, job.id);
    return { kind: 's3', bucket: this.outputs.bucket, key };
  }
}
