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
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const committed = new Set<() => Promise<void>>();
    const result = await this.dataSource.transaction((manager) =>
      work({ manager, afterCommit: (w) => committed.add(w) }),
    );
    for (const hook of committed) await hook();
    return result;
  }
}
