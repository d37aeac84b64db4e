import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { migrations } from './migrations/index.js';
import { SqliteWasmDatabase } from './sqlite-wasm.driver.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-wasm-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteWasmDatabase', () => {
  it('shares one file between two connections (API and worker processes)', () => {
    const file = join(dir, 'shared.sqlite');
    const a = new SqliteWasmDatabase(file);
    const b = new SqliteWasmDatabase(file);
    a.prepare('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)').run();
    const info = a.prepare('INSERT INTO t (name) VALUES (?)').run('written by a');
    assert.equal(info.changes, 1);
    assert.deepEqual(b.prepare('SELECT name FROM t WHERE id = ?').all(info.lastInsertRowid), [
      { name: 'written by a' },
    ]);
    a.close();
    b.close();
  });

  it('recovers from a stale lock left by a crashed process', () => {
    const file = join(dir, 'stale.sqlite');
    const setupDb = new SqliteWasmDatabase(file);
    setupDb.exec('CREATE TABLE t (v INTEGER)');
    setupDb.close();
    mkdirSync(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    const db = new SqliteWasmDatabase(file, { timeout: 100 });
    db.prepare('INSERT INTO t VALUES (?)').run(1);
    assert.deepEqual(db.prepare('SELECT v FROM t').all(), [{ v: 1 }]);
    db.close();
  });

  it('fails with "database is locked" when a live lock outlasts the timeout', () => {
    const file = join(dir, 'locked.sqlite');
    const db = new SqliteWasmDatabase(file, { timeout: 100 });
    db.exec('CREATE TABLE t (v INTEGER)');
    mkdirSync(`${file}.lock`);
    assert.throws(() => db.prepare('INSERT INTO t VALUES (1)').run(), /locked|busy/i);
    rmSync(`${file}.lock`, { recursive: true });
    db.close();
  });

  it('runs the migrations through TypeORM', async () => {
    const source = new DataSource({
      type: 'better-sqlite3',
      database: join(dir, 'typeorm.sqlite'),
      driver: SqliteWasmDatabase,
      statementCacheSize: 0,
      migrations,
    });
    await source.initialize();
    const applied = await source.runMigrations();
    assert.deepEqual(
      applied.map((m) => m.name),
      migrations.map((m) => new m().name),
    );
    await source.query(
      'INSERT INTO outbox (id, destination, type, payload, created_at) VALUES (?, ?, ?, ?, ?)',
      ['1', 'q', 't', '{}', 'now'],
    );
    const rows: unknown = await source.query('SELECT id, attempts FROM outbox');
    assert.deepEqual(rows, [{ id: '1', attempts: 0 }]);
    assert.deepEqual(await source.runMigrations(), [], 'a second run applies nothing');
    await source.destroy();
  });
});
