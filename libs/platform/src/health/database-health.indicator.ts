import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { databaseEngine } from '#libs/database';

/**
 * SQL readiness, naming the engine (`mysql` or `sqlite (node:sqlite)`). On MySQL a round trip
 * (`SELECT 1`); on the embedded SQLite file a read of the schema, which needs a read lock on the
 * file (a bare `SELECT 1` would never touch it).
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  check() {
    const sql =
      this.dataSource.options.type === 'mysql'
        ? 'SELECT 1'
        : 'SELECT count(*) AS n FROM sqlite_master';
    return this.health
      .check('database')
      .attempt(async () => {
        await this.dataSource.query(sql);
        return { type: databaseEngine(this.dataSource.options) };
      })
      .withTimeout(3000);
  }
}
