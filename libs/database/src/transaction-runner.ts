import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** An open SQL transaction. Repositories use its `manager`; services only pass it along. */
export interface Transaction {
  readonly manager: EntityManager;
}

/**
 * Runs work in one SQL transaction (committed when it resolves, rolled back when it throws), so a
 * service can make several repositories write atomically without importing TypeORM itself.
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work({ manager }));
  }
}
