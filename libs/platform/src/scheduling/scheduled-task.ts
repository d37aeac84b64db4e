import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';

export interface ScheduledTaskOptions {
  /** Stable name: the EventBridge schedule rule passes it to the Lambda handler. */
  readonly name: string;
  /** Six-field cron (seconds first) for the long-running worker; `rate(...)` in the cloud stack. */
  readonly cron: string;
}

export interface ScheduledTaskHandler {
  run(): Promise<void>;
}

export const SCHEDULED_TASK = Symbol('codecraft:scheduled-task');

/** Marks a provider as a scheduled task, run by @nestjs/schedule in the worker and by EventBridge in Lambda. */
export const ScheduledTask = (options: ScheduledTaskOptions) =>
  applyDecorators(Injectable(), SetMetadata(SCHEDULED_TASK, options));
