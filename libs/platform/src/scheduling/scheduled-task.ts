import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import { declareSchedule } from '#libs/aws';

/** An EventBridge schedule expression: `rate(1 minute)`, `cron(17 * * * ? *)`. */
export type CloudSchedule = `rate(${string})` | `cron(${string})`;

/** A task of the long-running worker only, and why it has no meaning in Lambda. */
export interface ProcessOnly {
  readonly processOnly: string;
}

export interface ScheduledTaskOptions {
  /** Stable name: the EventBridge schedule rule is named after it and passes it to the Lambda. */
  readonly name: string;
  /** What a run does (the schedule rule's description). */
  readonly purpose: string;
  /** Six-field cron (seconds first) for the long-running worker. */
  readonly cron: string;
  /**
   * The cloud schedule of the worker Lambda, from which the manifest's schedule rule is derived;
   * required, so that no task exists that only runs on a laptop by accident.
   */
  readonly schedule: CloudSchedule | ProcessOnly;
}

export interface ScheduledTaskHandler {
  run(): Promise<void>;
}

export const SCHEDULED_TASK = Symbol('codecraft:scheduled-task');

/** The Lambda schedule of a task, undefined for a process-only one. */
export function cloudSchedule(options: ScheduledTaskOptions): CloudSchedule | undefined {
  return typeof options.schedule === 'string' ? options.schedule : undefined;
}

/**
 * Marks a provider as a scheduled task: run by @nestjs/schedule with `cron` in the long-running
 * worker, and by the EventBridge rule `schedule` in Lambda. Declaring the class declares that rule
 * in the resource manifest (named like the task), so the two cannot drift apart.
 */
export const ScheduledTask = (options: ScheduledTaskOptions) => {
  const expression = cloudSchedule(options);
  if (expression)
    declareSchedule({
      name: options.name,
      task: options.name,
      expression,
      purpose: options.purpose,
    });
  return applyDecorators(Injectable(), SetMetadata(SCHEDULED_TASK, options));
};
