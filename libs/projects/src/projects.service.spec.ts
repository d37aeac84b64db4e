import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Transaction, TransactionRunner } from '#libs/database';
import type { OutboxMessage, OutboxWriter } from '#libs/outbox';
import type { Principal } from '#libs/platform';
import type { ProjectEvent } from './project-events.js';
import { ProjectNotFoundError, ProjectVersionMismatchError } from './project.errors.js';
import type { Project, ProjectListQuery } from './project.js';
import type { ProjectsRepository } from './projects.repository.js';
import { ProjectsService } from './projects.service.js';

const user = (sub: string, groups: string[] = []): Principal => ({
  sub,
  username: sub,
  email: undefined,
  groups,
});
const alice = user('alice');
const bob = user('bob');
const admin = user('root', ['admin']);

/** In-memory stand-ins: a transaction either commits its writes (and events) or drops them. */
class World {
  projects = new Map<string, Project>();
  events: OutboxMessage[] = [];
  lastQuery: ProjectListQuery | undefined;
  failNextUpdate = false;

  readonly repository = {
    insert: (_tx: Transaction, p: Project) => {
      this.projects.set(p.id, p);
      return Promise.resolve();
    },
    findLive: (id: string) => {
      const p = this.projects.get(id);
      return Promise.resolve(p && !p.deletedAt ? p : undefined);
    },
    update: (_tx: Transaction, next: Project, expected: number) => {
      if (this.failNextUpdate || this.projects.get(next.id)?.version !== expected) {
        return Promise.resolve(false);
      }
      this.projects.set(next.id, next);
      return Promise.resolve(true);
    },
    softDelete: (_tx: Transaction, deleted: Project) => {
      this.projects.set(deleted.id, deleted);
      return Promise.resolve(true);
    },
    list: (query: ProjectListQuery) => {
      this.lastQuery = query;
      return Promise.resolve({ items: [], total: 0 });
    },
  };

  readonly transactions = {
    run: async <T>(work: (tx: Transaction) => Promise<T>): Promise<T> => {
      const projects = new Map(this.projects);
      const events = [...this.events];
      try {
        return await work({} as Transaction);
      } catch (error) {
        this.projects = projects;
        this.events = events;
        throw error;
      }
    },
  };

  readonly outbox = {
    enqueue: (_tx: Transaction, message: OutboxMessage) => {
      this.events.push(message);
      return Promise.resolve();
    },
  };

  service(): ProjectsService {
    return new ProjectsService(
      this.repository as unknown as ProjectsRepository,
      this.transactions as unknown as TransactionRunner,
      this.outbox as unknown as OutboxWriter,
    );
  }
}

describe('ProjectsService', () => {
  let world: World;
  let service: ProjectsService;
  beforeEach(() => {
    world = new World();
    service = world.service();
  });

  it('creates a project owned by the caller and queues project.created in the transaction', async () => {
    const project = await service.create(alice, { name: 'Atlas', description: '' });
    assert.equal(project.owner, 'alice');
    assert.equal(project.version, 1);
    assert.equal(world.events.length, 1);
    const [message] = world.events;
    assert.equal(message?.destination, 'project-events');
    assert.equal(message.type, 'project.created');
    assert.equal(message.orderingKey, `project:${project.id}`);
    const body = message.body as ProjectEvent;
    assert.equal(message.id, body.eventId);
    assert.equal(body.project.id, project.id);
  });

  it('hides projects from other users (404) but not from administrators', async () => {
    const project = await service.create(alice, { name: 'Atlas', description: '' });
    await assert.rejects(service.get(bob, project.id), ProjectNotFoundError);
    await assert.rejects(service.update(bob, project.id, { name: 'x' }, '*'), ProjectNotFoundError);
    await assert.rejects(service.remove(bob, project.id, undefined), ProjectNotFoundError);
    assert.equal((await service.get(admin, project.id)).id, project.id);
    const changed = await service.update(admin, project.id, { description: 'ok' }, [1]);
    assert.equal(changed.owner, 'alice');
    assert.equal((world.events.at(-1)?.body as ProjectEvent).actor.admin, true);
  });

  it('lists only the caller’s projects unless they are an administrator', async () => {
    await service.list(bob, { search: 'a', sort: 'name', page: 3, pageSize: 10 });
    assert.deepEqual(world.lastQuery, {
      owner: 'bob',
      search: 'a',
      sort: 'name',
      offset: 20,
      limit: 10,
    });
    await service.list(admin, { search: undefined, sort: '-createdAt', page: 1, pageSize: 5 });
    assert.equal(world.lastQuery.owner, undefined);
  });

  it('refuses a stale version (412) and writes no event', async () => {
    const project = await service.create(alice, { name: 'Atlas', description: '' });
    await assert.rejects(
      service.update(alice, project.id, { name: 'B' }, [2]),
      ProjectVersionMismatchError,
    );
    world.failNextUpdate = true; // lost a race between the read and the write
    await assert.rejects(
      service.update(alice, project.id, { name: 'B' }, [1]),
      ProjectVersionMismatchError,
    );
    assert.equal(world.events.length, 1, 'only project.created');
    assert.equal((await service.get(alice, project.id)).name, 'Atlas');
  });

  it('bumps the version on change, skips no-op changes, and soft-deletes', async () => {
    const project = await service.create(alice, { name: 'Atlas', description: 'a' });
    const same = await service.update(alice, project.id, { description: 'a' }, [1]);
    assert.equal(same.version, 1);
    assert.equal(world.events.length, 1, 'nothing changed: no event');
    const next = await service.update(alice, project.id, { description: 'b' }, undefined);
    assert.equal(next.version, 2);
    await service.remove(alice, project.id, [2]);
    assert.deepEqual(
      world.events.map((e) => e.type),
      ['project.created', 'project.updated', 'project.deleted'],
    );
    const deleted = world.events.at(-1)?.body as ProjectEvent;
    assert.equal(deleted.project.version, 3);
    assert.ok(deleted.project.deletedAt);
    await assert.rejects(service.get(alice, project.id), ProjectNotFoundError);
  });
});
