import { existsSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

/**
 * The embedded SQL database: Node's built-in SQLite (`node:sqlite`), so nothing to install or
 * build. This adapter exposes the small part of the better-sqlite3 API that TypeORM's
 * `better-sqlite3` driver uses (its `driver` option). Loaded only when no MySQL is configured
 * (`dataSourceOptions` imports it lazily).
 *
 * The API and the worker share the file: WAL lets readers run beside the one writer, and SQLite's
 * own busy handler (it sleeps in C) makes a writer wait for the other's lock.
 */

/** SQLite's busy_timeout: how long a writer waits for another process's write lock. */
export const BUSY_TIMEOUT_MS = 5000;

/** TypeORM's transaction opener (deferred), which the adapter turns into BEGIN IMMEDIATE. */
const DEFERRED_BEGIN = /^\s*BEGIN(\s+DEFERRED)?(\s+TRANSACTION)?\s*;?\s*$/i;

/** The options the better-sqlite3 constructor takes that TypeORM passes (the rest are ignored). */
export interface NodeSqliteOpenOptions {
  readonly readonly?: boolean;
  readonly fileMustExist?: boolean;
  /** Busy timeout in milliseconds. */
  readonly timeout?: number;
}

function toParam(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    value instanceof Uint8Array
  ) {
    return value;
  }
  return JSON.stringify(value);
}

/** node:sqlite rows have a null prototype; TypeORM and callers expect plain objects. */
function plain(row: object): Record<string, unknown> {
  return { ...row };
}

class NodeSqliteStatement {
  /** better-sqlite3's `reader`: the statement returns rows (TypeORM then calls `all`). */
  readonly reader: boolean;

  constructor(private readonly statement: StatementSync) {
    this.reader = statement.columns().length > 0;
  }

  all(...params: unknown[]): Record<string, unknown>[] {
    return this.statement.all(...params.map(toParam)).map(plain);
  }

  get(...params: unknown[]): Record<string, unknown> | undefined {
    const row = this.statement.get(...params.map(toParam));
    return row ? plain(row) : undefined;
  }

  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint } {
    const { changes, lastInsertRowid } = this.statement.run(...params.map(toParam));
    return { changes, lastInsertRowid };
  }
}

export class NodeSqliteDatabase {
  private readonly db: DatabaseSync;
  private readonly readOnly: boolean;

  constructor(
    readonly name: string,
    options: NodeSqliteOpenOptions = {},
  ) {
    if (options.fileMustExist && name !== ':memory:' && !existsSync(name)) {
      throw new Error(`SQLite database file not found: ${name}`);
    }
    this.readOnly = options.readonly ?? false;
    this.db = new DatabaseSync(name, {
      readOnly: this.readOnly,
      timeout: options.timeout ?? BUSY_TIMEOUT_MS,
      enableForeignKeyConstraints: true,
    });
    if (!this.readOnly) {
      this.db.exec('PRAGMA journal_mode = WAL');
      // WAL's recommended durability: no fsync per commit, still never corrupt.
      this.db.exec('PRAGMA synchronous = NORMAL');
    }
  }

  get open(): boolean {
    return this.db.isOpen;
  }

  get inTransaction(): boolean {
    return this.db.isTransaction;
  }

  /**
   * A deferred transaction that reads and then writes cannot wait for another process's write
   * lock (SQLite answers SQLITE_BUSY at once: its snapshot would be stale), so TypeORM's
   * `BEGIN TRANSACTION` takes the write lock up front, waiting through the busy timeout.
   */
  prepare(source: string): NodeSqliteStatement {
    const sql = !this.readOnly && DEFERRED_BEGIN.test(source) ? 'BEGIN IMMEDIATE' : source;
    return new NodeSqliteStatement(this.db.prepare(sql));
  }

  exec(source: string): this {
    this.db.exec(source);
    return this;
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = this.db.prepare(`PRAGMA ${source}`).all().map(plain);
    if (!options.simple) return rows;
    const first = rows[0];
    return first ? Object.values(first)[0] : undefined;
  }

  close(): this {
    if (this.db.isOpen) this.db.close();
    return this;
  }
}

/** TypeORM's options for the embedded file (merged into the data source options). */
export function nodeSqliteOptions(path: string) {
  return {
    type: 'better-sqlite3',
    database: path,
    driver: NodeSqliteDatabase,
    timeout: BUSY_TIMEOUT_MS,
  } as const;
}
