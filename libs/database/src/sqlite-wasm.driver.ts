import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { Database as WasmDatabase } from 'node-sqlite3-wasm';

/**
 * The embedded SQL database: SQLite compiled to WebAssembly (node-sqlite3-wasm), which installs
 * from the npm registry with no native build and, unlike sql.js, reads and writes the real file,
 * so the API and the worker can share it. This adapter exposes the small part of the
 * better-sqlite3 API that TypeORM's `better-sqlite3` driver uses (`driver` option).
 */

const require = createRequire(import.meta.url);
const { Database } = require('node-sqlite3-wasm') as typeof import('node-sqlite3-wasm');

type Param = string | number | bigint | boolean | null | Uint8Array;

const READER = /^\s*(select|pragma|with|values|explain)\b|\breturning\b/i;
/** Another process holding the lock for this long has died mid-transaction. */
const STALE_LOCK_MS = 30_000;

function isBusy(error: unknown): boolean {
  return error instanceof Error && /database is locked|SQLITE_BUSY/i.test(error.message);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function toParam(value: unknown): Param {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return new Uint8Array(value);
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

class WasmStatement {
  readonly reader: boolean;
  constructor(
    private readonly owner: SqliteWasmDatabase,
    readonly source: string,
  ) {
    this.reader = READER.test(source);
  }
  all(...params: unknown[]): unknown[] {
    return this.owner.withRetry((db) => db.all(this.source, params.map(toParam)));
  }
  get(...params: unknown[]): unknown {
    return this.owner.withRetry((db) => db.get(this.source, params.map(toParam)) ?? undefined);
  }
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint } {
    return this.owner.withRetry((db) => {
      const info = db.run(this.source, params.map(toParam));
      return { changes: info.changes, lastInsertRowid: info.lastInsertRowid };
    });
  }
}

export class SqliteWasmDatabase {
  private readonly db: WasmDatabase;
  private readonly timeoutMs: number;

  constructor(
    readonly name: string,
    options: { readonly?: boolean; fileMustExist?: boolean; timeout?: number } = {},
  ) {
    if (name !== ':memory:') mkdirSync(dirname(resolve(name)), { recursive: true });
    this.db = new Database(name, {
      readOnly: options.readonly ?? false,
      fileMustExist: options.fileMustExist ?? false,
    });
    this.timeoutMs = options.timeout ?? 5000;
  }

  get open(): boolean {
    return this.db.isOpen;
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  prepare(source: string): WasmStatement {
    return new WasmStatement(this, source);
  }

  exec(source: string): this {
    this.withRetry((db) => {
      db.exec(source);
    });
    return this;
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = this.withRetry((db) => db.all(`PRAGMA ${source}`));
    if (!options.simple) return rows;
    const first = rows[0];
    return first ? Object.values(first)[0] : undefined;
  }

  close(): this {
    if (this.db.isOpen) this.db.close();
    return this;
  }

  /** The VFS locks with a lock directory; a busy database is retried until the timeout. */
  withRetry<T>(fn: (db: WasmDatabase) => T): T {
    const deadline = Date.now() + this.timeoutMs;
    let pause = 2;
    for (;;) {
      try {
        return fn(this.db);
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (Date.now() > deadline) {
          if (!this.clearStaleLock()) throw error;
        } else {
          sleepSync(pause);
          pause = Math.min(pause * 2, 50);
        }
      }
    }
  }

  private clearStaleLock(): boolean {
    const lock = `${this.name}.lock`;
    try {
      if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return false;
      rmSync(lock, { recursive: true, force: true });
      return true;
    } catch {
      return false;
    }
  }
}
