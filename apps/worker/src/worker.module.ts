import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { AwsModule } from '#libs/aws';
import { AppConfig, ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { HeartbeatTask, LoggingModule, MessagingModule, WorkerRuntimeModule } from '#libs/platform';
import { JobsWorkerModule } from '#libs/jobs';
import { ProjectsWorkerModule } from '#libs/projects';
import { BankWorkerModule } from '#libs/bank';
import { ImagesWorkerModule } from '#libs/images';

export type WorkerRuntime = 'process' | 'lambda';

/**
 * The worker: consumers and scheduled tasks of every domain. Wiring only: each domain imported
 * here also brings its resources (its `*.resources.ts`) and the schedules of its tasks into the
 * manifest.
 */
@Module({})
export class WorkerModule {
  static forRoot(
    config: AppConfig,
    runtime: WorkerRuntime,
    extra: ModuleMetadata['imports'] = [],
  ): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('worker'),
        AwsModule,
        DatabaseModule.forRoot({ runMigrations: false }),
        MessagingModule,
        JobsWorkerModule,
        ProjectsWorkerModule,
        BankWorkerModule,
        ImagesWorkerModule,
        ...(runtime === 'process' ? [WorkerRuntimeModule] : []),
        ...extra,
      ],
      providers: [HeartbeatTask],
    };
  }
}
