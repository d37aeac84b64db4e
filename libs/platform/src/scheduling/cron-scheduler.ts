import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { TaskRunner } from './task-runner.js';

/** Long-running worker side: registers each scheduled task as a cron job with @nestjs/schedule. */
@Injectable()
export class CronScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(CronScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly tasks: TaskRunner,
  ) {}

  onApplicationBootstrap(): void {
    for (const { options } of this.tasks.list()) {
      const job = CronJob.from({
        cronTime: options.cron,
        onTick: () => {
          this.tasks.run(options.name).catch(() => undefined); // logged by the runner; the next tick retries
        },
        start: true,
      });
      this.registry.addCronJob(options.name, job);
      this.logger.log({ task: options.name, cron: options.cron }, 'scheduled');
    }
  }
}
