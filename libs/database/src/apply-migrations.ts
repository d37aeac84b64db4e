import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DataSource } from 'typeorm';
import type { AppConfig } from '#libs/config';
import { dataSourceOptions } from './database-settings.js';

/**
 * Applies pending migrations (each in its own transaction) and returns their names; throws on
 * failure. Shared by `npm run migrate` and the worker image's `migrate` handler, which the cloud
 * stack runs on every deployment.
 */
export async function applyMigrations(
  config: AppConfig,
  secrets: SecretsManagerClient,
): Promise<string[]> {
  const dataSource = new DataSource(await dataSourceOptions(config, secrets));
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
