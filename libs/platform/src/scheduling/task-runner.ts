import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { withCorrelationId } from '../logging/correlation.js';
import {
  SCHEDULED_TASK,
  type ScheduledTaskHandler,
  type ScheduledTaskOptions,
} from './scheduled-task.js';

export interface RegisteredTask {
  readonly options: ScheduledTaskOptions;
  readonly handler: ScheduledTaskHandler;
}

/** Finds every @ScheduledTask and runs them by name, each run under its own correlation id. */
@Injectable()
export class TaskRunner implements OnModuleInit {
  private readonly logger = new Logger(TaskRunner.name);
  private readonly tasks = new Map<string, RegisteredTask>();
  private readonly running = new Set<string>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!wrapper.metatype || !instance) continue;
      const options = Reflect.getMetadata(SCHEDULED_TASK, wrapper.metatype) as
        ScheduledTaskOptions | undefined;
      if (options)
        this.tasks.set(options.name, { options, handler: instance as ScheduledTaskHandler });
    }
  }

  list(): readonly RegisteredTask[] {
    return [...this.tasks.values()];
  }

  /** Runs a task; a run still in progress is not started twice in this process. */
  async run(name: string): Promise<void> {
    const task = this.tasks.get(name);
    if (!task)
      throw new Error(
        `Unknown scheduled task ${name}; known: ${[...this.tasks.keys()].join(', ')}`,
      );
    if (this.running.has(name)) return;
    this.running.add(name);
    try {
      await withCorrelationId(`task-${name}-${randomUUID()}`, () => task.handler.run());
    } catch (error) {
      this.logger.error({ err: error, task: name }, 'scheduled task failed');
      throw error;
    } finally {
      this.running.delete(name);
    }
  }
}
