import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AppConfig } from '#libs/config';
import { dataSourceOptions } from './database-settings.js';

/**
 * TypeORM over MySQL/MariaDB (DATABASE_URL, credentials optionally from Secrets Manager via
 * DB_SECRET_ID) or the embedded SQLite file. Migrations run at start unless DB_MIGRATIONS_RUN=false.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, SecretsManagerClient],
      useFactory: async (config: AppConfig, secrets: SecretsManagerClient) => ({
        ...(await dataSourceOptions(config, secrets)),
        autoLoadEntities: true,
        migrationsRun: config.migrationsRun,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule {}
