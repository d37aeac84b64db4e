import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** An open SQL transaction. Repositories use its `manager`; services only pass it along. */
export interface Transaction {
  readonly manager: EntityManager;
  /**
   * Work to run once this transaction has committed (never when it rolls back), before `run`
   * resolves. Registering the same function twice runs it once.
   */
  afterCommit(work: () => Promise<void>): void;
}

/**
 * Runs work in one SQL transaction (committed when it resolves, rolled back when it throws), so a
 * service can make several repositories write atomically without importing TypeORM itself.
 *
 * The embedded SQLite database has one connection per process, and SQLite has no concurrent
 * transactions on a connection: there, transactions of the same process take turns (MySQL's pool
 * gives each its own connection).
 */
@Injectable()
export class TransactionRunner {
  private readonly oneAtATime: boolean;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {
    this.oneAtATime = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    if (!this.oneAtATime) return this.runNow(work);
    const mine = this.turn.then(() => this.runNow(work));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async runNow<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const committed = new Set<() => Promise<void>>();
    const result = await this.dataSource.transaction((manager) =>
      work({ manager, afterCommit: (w) => committed.add(w) }),
    );
    for (const hook of committed) await hook();
    return result;
  }
}
