import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { AwsModule } from '#libs/aws';
import { AppConfig, ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import {
  AuthModule,
  HealthModule,
  LoggingModule,
  MessagingModule,
  ProblemDetailsFilter,
  RateLimitModule,
  RequestDeadlineInterceptor,
} from '#libs/platform';
import { JobsModule } from '#libs/jobs';
import { ProjectsModule } from '#libs/projects';
import { FilesModule } from '#libs/files';
import { BankModule } from '#libs/bank';
import { ImagesModule } from '#libs/images';

/**
 * The HTTP API: shared infrastructure plus each domain's controllers. Wiring only: each domain
 * imported here also brings its resources (its `*.resources.ts`) into the manifest.
 */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, extra: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('api'),
        AwsModule,
        DatabaseModule.forRoot({ runMigrations: true }),
        MessagingModule,
        AuthModule,
        // After AuthModule: its guard must have identified the caller before the limit counts it.
        RateLimitModule.forRoot(config),
        HealthModule,
        JobsModule,
        ProjectsModule,
        FilesModule,
        BankModule,
        ImagesModule,
        ...extra,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestDeadlineInterceptor },
      ],
    };
  }
}
