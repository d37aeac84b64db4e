import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { DatabaseHealthIndicator } from './database-health.indicator.js';

function indicator(type: string, query: (sql: string) => Promise<unknown>) {
  const dataSource = { options: { type }, query } as unknown as DataSource;
  return new DatabaseHealthIndicator(new HealthIndicatorService(), dataSource);
}

describe('DatabaseHealthIndicator', () => {
  it('names the engine: sqlite (node:sqlite) for the embedded file, mysql otherwise', async () => {
    const seen: string[] = [];
    const query = (sql: string) => {
      seen.push(sql);
      return Promise.resolve([]);
    };
    const sqlite = await indicator('better-sqlite3', query).check();
    assert.equal(sqlite.database.status, 'up');
    assert.equal(sqlite.database.type, 'sqlite (node:sqlite)');
    const mysql = await indicator('mysql', query).check();
    assert.equal(mysql.database.type, 'mysql');
    assert.deepEqual(seen, ['SELECT count(*) AS n FROM sqlite_master', 'SELECT 1']);
  });

  it('reports the database down when the query fails', async () => {
    const result = await indicator('better-sqlite3', () =>
      Promise.reject(new Error('disk I/O error')),
    ).check();
    assert.equal(result.database.status, 'down');
  });
});
