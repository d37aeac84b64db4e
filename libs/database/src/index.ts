export * from './database.module.js';
export * from './database-settings.js';
export { migrations } from './migrations/index.js';
export * from './transaction-runner.js';
export * from './sql-errors.js';
export * from './apply-migrations.js';
