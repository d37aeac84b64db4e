import type { ResultLocation } from '../domain/job.js';
import { JobResultsRepository } from '../job-results.repository.js';
import { JobHandler, type JobContext, type JobTypeHandler } from './job-handler.js';

/** The original `db` type: the job's data becomes an item of the results table. */
@JobHandler('db')
export class DbJobHandler implements JobTypeHandler {
  constructor(private readonly results: JobResultsRepository) {}

  async run(job: JobContext): Promise<ResultLocation> {
    await this.results.putOnce(job.id, job.payload, new Date().toISOString());
    return { kind: 'dynamodb', table: this.results.table, key: job.id };
  }
}
