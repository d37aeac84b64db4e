import { CreateOutbox1732000000000 } from './1732000000000-create-outbox.js';
import { OutboxClaims1733000000000 } from './1733000000000-outbox-claims.js';
import { CreateProjects1733000000001 } from './1733000000001-create-projects.js';

/** Every migration, in order. Written with TypeORM's portable schema API (MySQL and SQLite). */
export const migrations = [
  CreateOutbox1732000000000,
  OutboxClaims1733000000000,
  CreateProjects1733000000001,
];
