import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { nodeSqliteOptions } from '../node-sqlite.driver.js';
import { migrations } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'projects-migration-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('projects migration (SQLite)', () => {
  it('keeps names unique per owner among live rows only, and reverts cleanly', async () => {
    const source = new DataSource({
      ...nodeSqliteOptions(join(dir, 'projects.sqlite')),
      migrations,
    });
    await source.initialize();
    await source.runMigrations();
    const insert = (id: string, owner: string, key: string, deletionId = '') =>
      source.query(
        `INSERT INTO projects (id, owner, name, name_key, description, version, created_at, updated_at, deletion_id)
         VALUES (?, ?, ?, ?, '', 1, '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000', ?)`,
        [id, owner, key, key, deletionId],
      );
    await insert('1', 'alice', 'atlas');
    await insert('2', 'bob', 'atlas');
    await assert.rejects(insert('3', 'alice', 'atlas'), /UNIQUE constraint failed/);
    await source.query("UPDATE projects SET deletion_id = id WHERE id = '1'");
    await insert('3', 'alice', 'atlas');
    await source.query("UPDATE projects SET deletion_id = id WHERE id = '3'");
    await insert('4', 'alice', 'atlas');

    await source.query(
      "UPDATE outbox SET claimed_until = 'x', ordering_key = 'k' WHERE 1 = 0", // columns exist
    );
    await source.undoLastMigration();
    await source.undoLastMigration();
    const tables: { name: string }[] = await source.query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'projects'",
    );
    assert.deepEqual(tables, []);
    await assert.rejects(source.query('SELECT claimed_until FROM outbox'), /no such column/);
    assert.equal((await source.runMigrations()).length, 2, 'and applies again');
    await source.destroy();
  });
});
