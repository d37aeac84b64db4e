import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/**
 * SQL readiness. On MySQL a round trip (`SELECT 1`); on the embedded SQLite file a read of the
 * schema, which needs the file lock (a bare `SELECT 1` would never touch the file).
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
        return { type: this.dataSource.options.type };
      })
      .withTimeout(3000);
  }
}
