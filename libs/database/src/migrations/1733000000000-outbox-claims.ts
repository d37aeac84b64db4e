import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Lets several relays share the outbox safely: a row is claimed with a conditional UPDATE that sets
 * `claimed_until` (a lease, and after a failure the earliest retry time), and rows with the same
 * `ordering_key` (e.g. one project) are relayed oldest first.
 */
export class OutboxClaims1733000000000 implements MigrationInterface {
  name = 'OutboxClaims1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('outbox', [
      new TableColumn({ name: 'ordering_key', type: 'varchar', length: '128', isNullable: true }),
      new TableColumn({ name: 'claimed_until', type: 'varchar', length: '32', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('outbox', 'claimed_until');
    await runner.dropColumn('outbox', 'ordering_key');
  }
}
