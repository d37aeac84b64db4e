import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionRunner, type Transaction } from '#libs/database';
import { OutboxWriter } from '#libs/outbox';
import { isAdmin, type Principal } from '#libs/platform';
import { ifMatchAllows, type IfMatch } from './etag.js';
import { PROJECT_EVENTS_QUEUE, projectEvent, type ProjectEventType } from './project-events.js';
import { ProjectNotFoundError, ProjectVersionMismatchError } from './project.errors.js';
import type { Project, ProjectList, ProjectSort } from './project.js';
import { ProjectsRepository } from './projects.repository.js';

export interface NewProject {
  readonly name: string;
  readonly description: string;
}

export interface ProjectChanges {
  readonly name?: string;
  readonly description?: string;
}

export interface ListProjects {
  readonly search: string | undefined;
  readonly sort: ProjectSort;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * Projects and their object-level rules: the owner or an administrator (Cognito group `admin`)
 * may read, change and delete a project; to anybody else it does not exist (404, no leak).
 * Every change writes its event to the outbox in the same transaction.
 */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(actor: Principal, input: NewProject): Promise<Project> {
    const now = new Date();
    const project: Project = {
      id: randomUUID(),
      owner: actor.sub,
      name: input.name,
      description: input.description,
      version: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await this.transactions.run(async (tx) => {
      await this.projects.insert(tx, project);
      await this.publish(tx, 'project.created', project, actor);
    });
    return project;
  }

  async get(actor: Principal, id: string): Promise<Project> {
    return this.visible(actor, await this.projects.findLive(id), id);
  }

  /** Owners list their own projects; administrators list everybody's. */
  list(actor: Principal, query: ListProjects): Promise<ProjectList> {
    return this.projects.list({
      owner: isAdmin(actor) ? undefined : actor.sub,
      search: query.search,
      sort: query.sort,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
  }

  /** `ifMatch` undefined means unconditional (the compatibility route without If-Match). */
  update(
    actor: Principal,
    id: string,
    changes: ProjectChanges,
    ifMatch: IfMatch | undefined,
  ): Promise<Project> {
    return this.transactions.run(async (tx) => {
      const current = this.visible(actor, await this.projects.findLive(id, tx), id);
      if (!ifMatchAllows(ifMatch, current.version)) {
        throw new ProjectVersionMismatchError(current.version);
      }
      const name = changes.name ?? current.name;
      const description = changes.description ?? current.description;
      if (name === current.name && description === current.description) return current;
      const next: Project = {
        ...current,
        name,
        description,
        version: current.version + 1,
        updatedAt: new Date(),
      };
      if (!(await this.projects.update(tx, next, current.version))) {
        throw new ProjectVersionMismatchError();
      }
      await this.publish(tx, 'project.updated', next, actor);
      return next;
    });
  }

  async remove(actor: Principal, id: string, ifMatch: IfMatch | undefined): Promise<void> {
    await this.transactions.run(async (tx) => {
      const current = this.visible(actor, await this.projects.findLive(id, tx), id);
      if (!ifMatchAllows(ifMatch, current.version)) {
        throw new ProjectVersionMismatchError(current.version);
      }
      const now = new Date();
      const deleted: Project = {
        ...current,
        version: current.version + 1,
        updatedAt: now,
        deletedAt: now,
      };
      if (!(await this.projects.softDelete(tx, deleted, current.version))) {
        throw new ProjectVersionMismatchError();
      }
      await this.publish(tx, 'project.deleted', deleted, actor);
    });
  }

  private visible(actor: Principal, project: Project | undefined, id: string): Project {
    if (!project || (project.owner !== actor.sub && !isAdmin(actor))) {
      throw new ProjectNotFoundError(id);
    }
    return project;
  }

  private async publish(
    tx: Transaction,
    type: ProjectEventType,
    project: Project,
    actor: Principal,
  ): Promise<void> {
    const event = projectEvent(type, project, actor);
    await this.outbox.enqueue(tx, {
      id: event.eventId,
      destination: PROJECT_EVENTS_QUEUE,
      type,
      body: event,
      orderingKey: `project:${project.id}`,
    });
  }
}
