import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { ResultLocation } from '../domain/job.js';

/** What a handler sees of the job it runs. */
export interface JobContext {
  readonly id: string;
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** 1 on the first attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

/**
 * One class per job type. `run` must be idempotent (a message can be delivered twice and a worker
 * can die after the side effect but before the job is marked SUCCEEDED): key every write by the
 * job id. Throw to retry (or `UnrecoverableJobError` to fail at once); return where the output is.
 */
export interface JobTypeHandler {
  run(job: JobContext): Promise<ResultLocation | undefined>;
}

export const JOB_HANDLER = Symbol('codecraft:job-handler');

const JOB_TYPE_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** Registers a provider as the handler of a job type: `@JobHandler('db') export class ...`. */
export const JobHandler = (type: string) => {
  if (!JOB_TYPE_PATTERN.test(type))
    throw new Error(`Job type "${type}" must be lower-case letters, digits and dashes`);
  return applyDecorators(Injectable(), SetMetadata(JOB_HANDLER, type));
};
