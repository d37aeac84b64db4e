import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { SqsPoller } from '../messaging/sqs-poller.service.js';
import { CronScheduler } from './cron-scheduler.js';

/** Only in the long-running worker: SQS pollers and cron. Lambda gets events pushed instead. */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [SqsPoller, CronScheduler],
})
export class WorkerRuntimeModule {}
