import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Projects (the original `projects(id, name, description)` table, owned by a Cognito user).
 *
 * Names are unique per owner among live rows. A nullable `deleted_at` cannot carry that rule (MySQL
 * lets any number of NULLs through a unique index), so `deletion_id` is '' while the row is live
 * and the row's own id once soft-deleted: the unique index on (owner, name_key, deletion_id) then
 * holds exactly one live name per owner and any number of deleted ones. `name_key` is the
 * lower-cased name with a binary collation, so "Acme" and "acme" collide on MySQL and SQLite alike.
 */
export class CreateProjects1733000000001 implements MigrationInterface {
  name = 'CreateProjects1733000000001';

  async up(runner: QueryRunner): Promise<void> {
    const mysql = runner.dataSource.driver.options.type === 'mysql';
    await runner.createTable(
      new Table({
        name: 'projects',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'owner', type: 'varchar', length: '64' },
          { name: 'name', type: 'varchar', length: '100' },
          {
            name: 'name_key',
            type: 'varchar',
            length: '200',
            ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}),
          },
          { name: 'description', type: 'text' },
          { name: 'version', type: 'int' },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
          { name: 'deleted_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'deletion_id', type: 'varchar', length: '36', default: "''" },
        ],
      }),
    );
    await runner.createIndex(
      'projects',
      new TableIndex({
        name: 'uq_projects_owner_name_live',
        columnNames: ['owner', 'name_key', 'deletion_id'],
        isUnique: true,
      }),
    );
    await runner.createIndex(
      'projects',
      new TableIndex({ name: 'idx_projects_owner_created', columnNames: ['owner', 'created_at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('projects');
  }
}
