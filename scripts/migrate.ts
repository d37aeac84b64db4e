import { createAwsClients, destroyAwsClients } from '#libs/aws';
import { loadConfigOrExit } from '#libs/config';
import { applyMigrations } from '#libs/database';

/** npm run migrate: applies pending migrations to MySQL/MariaDB or the embedded SQLite file. */
const config = loadConfigOrExit();
const clients = createAwsClients(config.aws);
const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.path}` : 'MySQL';
try {
  const applied = await applyMigrations(config, clients.secrets);
  console.log(
    applied.length === 0
      ? `${where}: schema up to date.`
      : `${where}: applied ${applied.join(', ')}`,
  );
} catch (error) {
  console.error('Migration failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  destroyAwsClients(clients);
}
