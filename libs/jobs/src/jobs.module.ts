import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { IdempotencyModule } from '#libs/platform';
import { DbJobHandler } from './handlers/db-job.handler.js';
import { JobHandlerRegistry } from './handlers/job-handler.registry.js';
import { S3JobHandler } from './handlers/s3-job.handler.js';
import { JobDeadLettersController } from './job-dead-letters.controller.js';
import { JobDeadLettersService } from './job-dead-letters.service.js';
import { JobOutputsRepository } from './job-outputs.repository.js';
import { JobQueue } from './job-queue.adapter.js';
import { JobResultsRepository } from './job-results.repository.js';
import { JobRunner } from './job-runner.service.js';
import { JobsConsumer } from './jobs.consumer.js';
import { JobsController } from './jobs.controller.js';
import { JobsRepository } from './jobs.repository.js';
import { JobsService } from './jobs.service.js';
import { JobsSweeperTask } from './jobs-sweeper.task.js';

/**
 * What both apps share: the tables, the queue, and the handler registry with the built-in types.
 * Handlers are discovered by @JobHandler wherever they are provided, so any module given to an
 * app (another domain's, or a test's) can add types.
 */
@Module({
  imports: [DiscoveryModule, IdempotencyModule],
  providers: [
    JobsRepository,
    JobResultsRepository,
    JobOutputsRepository,
    JobQueue,
    JobHandlerRegistry,
    DbJobHandler,
    S3JobHandler,
  ],
  exports: [JobsRepository, IdempotencyModule, JobQueue, JobHandlerRegistry],
})
export class JobsCoreModule {}

/** The API side: job routes and the dead-letter routes. */
@Module({
  imports: [JobsCoreModule],
  // The dead-letters routes first: `/jobs/dead-letters` must not be taken for `/jobs/:id`.
  controllers: [JobDeadLettersController, JobsController],
  providers: [JobsService, JobDeadLettersService],
})
export class JobsModule {}

/** The worker side: the jobs queue consumer and the sweeper. */
@Module({
  imports: [JobsCoreModule],
  providers: [JobRunner, JobsConsumer, JobsSweeperTask],
})
export class JobsWorkerModule {}
