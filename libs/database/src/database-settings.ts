import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '#libs/config';
import { migrations } from './migrations/index.js';

/** The JSON that RDS-managed (and rotation-template) secrets hold. */
interface RdsSecret {
  username?: string;
  password?: string;
  host?: string;
  port?: number | string;
  dbname?: string;
  engine?: string;
}

export interface MysqlCredentials {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

/** Reads DATABASE_URL, then overlays what the Secrets Manager secret holds (it wins). */
export async function resolveMysqlCredentials(
  settings: { url: string | undefined; secretId: string | undefined },
  secrets: SecretsManagerClient,
): Promise<MysqlCredentials> {
  const url = settings.url ? new URL(settings.url) : undefined;
  const base: MysqlCredentials = {
    host: url?.hostname ?? 'localhost',
    port: url?.port ? Number(url.port) : 3306,
    username: decodeURIComponent(url?.username ?? ''),
    password: decodeURIComponent(url?.password ?? ''),
    database: url?.pathname.replace(/^\//, '') ?? '',
  };
  if (!settings.secretId) return base;
  const value = await secrets.send(new GetSecretValueCommand({ SecretId: settings.secretId }));
  const secret = JSON.parse(value.SecretString ?? '{}') as RdsSecret;
  return {
    host: secret.host ?? base.host,
    port: secret.port !== undefined ? Number(secret.port) : base.port,
    username: secret.username ?? base.username,
    password: secret.password ?? base.password,
    database: secret.dbname ?? base.database,
  };
}

/** The engine a data source runs on, as readiness reports it. */
export function databaseEngine(options: DataSourceOptions): string {
  return options.type === 'better-sqlite3' ? 'sqlite (node:sqlite)' : options.type;
}

/** TypeORM options for the configured database: MySQL/MariaDB, or the embedded SQLite file. */
export async function dataSourceOptions(
  config: AppConfig,
  secrets: SecretsManagerClient,
): Promise<DataSourceOptions> {
  const common = {
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: ['error'] as ('error' | 'warn')[],
  };
  const db = config.database;
  if (db.kind === 'sqlite') {
    // Imported here, not above: a MySQL process never loads node:sqlite or the adapter.
    const { nodeSqliteOptions } = await import('./node-sqlite.driver.js');
    return { ...common, ...nodeSqliteOptions(db.path) };
  }
  const credentials = await resolveMysqlCredentials(db, secrets);
  return {
    ...common,
    type: 'mysql',
    ...credentials,
    charset: 'utf8mb4',
    timezone: 'Z',
    extra: { connectionLimit: 10, connectTimeout: 5000 },
  };
}
