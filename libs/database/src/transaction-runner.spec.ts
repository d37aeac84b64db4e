import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { nodeSqliteOptions } from './node-sqlite.driver.js';
import { TransactionRunner } from './transaction-runner.js';

describe('TransactionRunner on the embedded SQLite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tx-runner-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs overlapping transactions of one process in turn: all commit, a failing one rolls back alone', async () => {
    const source = new DataSource(nodeSqliteOptions(join(dir, 'tx.sqlite')));
    await source.initialize();
    try {
      await source.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const runner = new TransactionRunner(source);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          runner.run(async (tx) => {
            await tx.manager.query('INSERT INTO t (v) VALUES (?)', [`row ${i}`]);
            await new Promise((r) => setTimeout(r, 2)); // another request's turn would come here
            await tx.manager.query('SELECT COUNT(*) FROM t');
            if (i === 7) throw new Error('this one fails');
          }),
        ),
      );
      const failed = results.filter((r) => r.status === 'rejected');
      assert.equal(failed.length, 1, JSON.stringify(failed));
      const [{ n }] = await source.query<[{ n: number }]>('SELECT COUNT(*) AS n FROM t');
      assert.equal(n, 19);
    } finally {
      await source.destroy();
    }
  });
});
