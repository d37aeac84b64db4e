import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AppConfig } from '#libs/config';
import { dataSourceOptions } from './database-settings.js';

export interface DatabaseModuleOptions {
  /** Apply pending migrations at start (the API in development); the worker never does. */
  readonly runMigrations: boolean;
}

/**
 * TypeORM over MySQL/MariaDB (DATABASE_URL, credentials optionally from Secrets Manager via
 * DB_SECRET_ID) or the embedded SQLite file.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig, SecretsManagerClient],
          useFactory: async (config: AppConfig, secrets: SecretsManagerClient) => ({
            ...(await dataSourceOptions(config, secrets)),
            autoLoadEntities: true,
            migrationsRun: options.runMigrations && config.migrationsRun,
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
      ],
    };
  }
}
