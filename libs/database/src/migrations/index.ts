import { CreateOutbox1732000000000 } from './1732000000000-create-outbox.js';

/** Every migration, in order. Written with TypeORM's portable schema API (MySQL and SQLite). */
export const migrations = [CreateOutbox1732000000000];
