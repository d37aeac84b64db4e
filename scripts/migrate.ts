import { DataSource } from 'typeorm';
import { createAwsClients, destroyAwsClients } from '#libs/aws';
import { loadConfigOrExit } from '#libs/config';
import { dataSourceOptions } from '#libs/database';

/** npm run migrate: applies pending migrations to MySQL/MariaDB or the embedded SQLite file. */
const config = loadConfigOrExit();
const clients = createAwsClients(config.aws);
const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.path}` : 'MySQL';
const dataSource = new DataSource(await dataSourceOptions(config, clients.secrets));
try {
  await dataSource.initialize();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  console.log(
    applied.length === 0
      ? `${where}: schema up to date.`
      : `${where}: applied ${applied.map((m) => m.name).join(', ')}`,
  );
} catch (error) {
  console.error('Migration failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
  destroyAwsClients(clients);
}
