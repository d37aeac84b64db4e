import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { migrations } from './migrations/index.js';
import { BUSY_TIMEOUT_MS, NodeSqliteDatabase, nodeSqliteOptions } from './node-sqlite.driver.js';

const dir = mkdtempSync(join(tmpdir(), 'node-sqlite-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function openSource(file: string): Promise<DataSource> {
  const source = new DataSource(nodeSqliteOptions(join(dir, file)));
  await source.initialize();
  return source;
}

/** A child Node process that, once told to go, writes `count` rows in as many transactions. */
function spawnWriter(file: string, writer: string, count: number) {
  const script = `
    import { once } from 'node:events';
    import { DataSource } from 'typeorm';
    const { nodeSqliteOptions } = await import(${JSON.stringify(new URL('./node-sqlite.driver.js', import.meta.url).href)});
    const source = new DataSource(nodeSqliteOptions(${JSON.stringify(file)}));
    await source.initialize();
    process.stdout.write('ready\\n');
    await once(process.stdin, 'data');
    for (let i = 0; i < ${count}; i++) {
      // Read, then write: a deferred transaction would meet SQLITE_BUSY here.
      await source.transaction(async (manager) => {
        const [{ n }] = await manager.query('SELECT count(*) AS n FROM writes');
        await manager.query('INSERT INTO writes (writer, seen) VALUES (?, ?)', [${JSON.stringify(writer)}, n]);
      });
    }
    await source.destroy();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const ready = new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (stdout.includes('ready')) {
        clearInterval(poll);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(poll);
        reject(new Error(`writer ${writer} exited early: ${stderr}`));
      }
    }, 10);
  });
  return { child, ready, exited, stderr: () => stderr };
}

describe('NodeSqliteDatabase', () => {
  it('opens the file in WAL mode with SQLite busy_timeout and foreign keys on', () => {
    const db = new NodeSqliteDatabase(join(dir, 'pragmas.sqlite'));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('busy_timeout', { simple: true }), BUSY_TIMEOUT_MS);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    db.close();
    assert.equal(
      new NodeSqliteDatabase(join(dir, 'pragmas.sqlite'), { timeout: 250 }).pragma('busy_timeout', {
        simple: true,
      }),
      250,
      "TypeORM's timeout option is the busy timeout",
    );
  });

  it('starts a transaction by waiting out busy_timeout for the write lock, then fails without stealing it', () => {
    const file = join(dir, 'held.sqlite');
    const holder = new NodeSqliteDatabase(file);
    holder.exec('CREATE TABLE t (v INTEGER)');
    holder.exec('BEGIN IMMEDIATE');
    holder.prepare('INSERT INTO t VALUES (?)').run(1);
    const waiter = new NodeSqliteDatabase(file, { timeout: 200 });
    const started = Date.now();
    assert.throws(() => waiter.prepare('BEGIN TRANSACTION').run(), /database is locked/);
    assert.ok(Date.now() - started >= 150, 'the busy handler waited before giving up');
    assert.deepEqual(
      waiter.prepare('SELECT count(*) AS n FROM t').all(),
      [{ n: 0 }],
      'reads go on',
    );
    holder.exec('COMMIT');
    assert.deepEqual(waiter.prepare('SELECT v FROM t').all(), [{ v: 1 }], 'no lock stolen');
    waiter.close();
    holder.close();
  });

  it('lets two processes write the same file at once: 2×200 read-then-write transactions, no SQLITE_BUSY', async () => {
    const file = join(dir, 'shared.sqlite');
    const setup = new NodeSqliteDatabase(file);
    setup.exec('CREATE TABLE writes (id INTEGER PRIMARY KEY, writer TEXT NOT NULL, seen INTEGER)');
    setup.close();
    const writers = [spawnWriter(file, 'api', 200), spawnWriter(file, 'worker', 200)];
    try {
      await Promise.all(writers.map((w) => w.ready));
      for (const w of writers) w.child.stdin.end('go\n');
      const codes = await Promise.all(writers.map((w) => w.exited));
      assert.deepEqual(codes, [0, 0], writers.map((w) => w.stderr()).join('\n'));
      assert.deepEqual(
        writers.map((w) => w.stderr()),
        ['', ''],
      );
    } finally {
      for (const w of writers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    }
    const db = new NodeSqliteDatabase(file);
    assert.deepEqual(
      db.prepare('SELECT writer, count(*) AS n FROM writes GROUP BY writer ORDER BY writer').all(),
      [
        { writer: 'api', n: 200 },
        { writer: 'worker', n: 200 },
      ],
    );
    assert.deepEqual(
      db.prepare('SELECT count(DISTINCT seen) AS n, max(seen) AS top FROM writes').all(),
      [{ n: 400, top: 399 }],
      'each transaction saw every commit before it (writers serialised)',
    );
    db.close();
  });

  it('rolls back a transaction that throws and keeps one that commits', async () => {
    const source = await openSource('rollback.sqlite');
    await source.query('CREATE TABLE t (v INTEGER)');
    await assert.rejects(
      source.transaction(async (manager) => {
        await manager.query('INSERT INTO t VALUES (?)', [1]);
        throw new Error('abort');
      }),
      /abort/,
    );
    await source.transaction((manager) => manager.query('INSERT INTO t VALUES (?)', [2]));
    assert.deepEqual(await source.query('SELECT v FROM t'), [{ v: 2 }]);
    await source.destroy();
  });

  it('runs the migrations through TypeORM', async () => {
    const source = new DataSource({
      ...nodeSqliteOptions(join(dir, 'typeorm.sqlite')),
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
