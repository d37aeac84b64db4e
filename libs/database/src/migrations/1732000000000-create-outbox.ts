import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Transactional outbox: a change and the event announcing it are written in one SQL transaction;
 * the worker relays unsent rows to SQS. Portable across MySQL/MariaDB and SQLite.
 */
export class CreateOutbox1732000000000 implements MigrationInterface {
  name = 'CreateOutbox1732000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'destination', type: 'varchar', length: '128' },
          { name: 'type', type: 'varchar', length: '128' },
          { name: 'payload', type: 'text' },
          { name: 'correlation_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'last_error', type: 'varchar', length: '1024', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'sent_at', type: 'varchar', length: '32', isNullable: true },
        ],
      }),
    );
    await runner.createIndex(
      'outbox',
      new TableIndex({ name: 'idx_outbox_unsent', columnNames: ['sent_at', 'created_at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('outbox');
  }
}
