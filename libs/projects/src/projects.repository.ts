import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { escapeLike, isUniqueViolation, LIKE_ESCAPE, type Transaction } from '#libs/database';
import { ProjectEntity } from './entities/project.entity.js';
import { ProjectNameTakenError } from './project.errors.js';
import {
  projectNameKey,
  type Project,
  type ProjectList,
  type ProjectListQuery,
  type ProjectSortField,
} from './project.js';

const SORT_COLUMNS: Readonly<Record<ProjectSortField, string>> = {
  name: 'p.nameKey',
  createdAt: 'p.createdAt',
  updatedAt: 'p.updatedAt',
};

function toProject(row: ProjectEntity): Project {
  return {
    id: row.id,
    owner: row.owner,
    name: row.name,
    description: row.description,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

/** The `projects` SQL table. Writes take the caller's transaction. */
@Injectable()
export class ProjectsRepository {
  constructor(@InjectRepository(ProjectEntity) private readonly rows: Repository<ProjectEntity>) {}

  /**
   * Inserts a live project; a live project of the same owner with the same name is a 409. The
   * name is checked first (so the usual conflict is not a failed statement); the unique index
   * still settles a race between two transactions.
   */
  async insert(tx: Transaction, project: Project): Promise<void> {
    await this.assertNameFree(tx, project);
    try {
      await tx.manager.insert(ProjectEntity, {
        ...project,
        nameKey: projectNameKey(project.name),
        deletionId: '',
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProjectNameTakenError(project.name);
      throw error;
    }
  }

  /**
   * A live project by id. Inside a transaction on MySQL the row is locked (SELECT ... FOR UPDATE)
   * until commit, so read-check-write sequences are atomic; SQLite serialises writers anyway.
   */
  async findLive(id: string, tx?: Transaction): Promise<Project | undefined> {
    const manager: EntityManager = tx?.manager ?? this.rows.manager;
    const query = manager
      .createQueryBuilder(ProjectEntity, 'p')
      .where('p.id = :id', { id })
      .andWhere("p.deletionId = ''");
    if (tx && manager.dataSource.driver.options.type === 'mysql') {
      query.setLock('pessimistic_write');
    }
    const row = await query.getOne();
    return row ? toProject(row) : undefined;
  }

  /** Writes the new state if the stored version is still `expectedVersion`; false otherwise. */
  async update(tx: Transaction, next: Project, expectedVersion: number): Promise<boolean> {
    await this.assertNameFree(tx, next);
    try {
      const result = await tx.manager
        .createQueryBuilder()
        .update(ProjectEntity)
        .set({
          name: next.name,
          nameKey: projectNameKey(next.name),
          description: next.description,
          version: next.version,
          updatedAt: next.updatedAt,
        })
        .where('id = :id', { id: next.id })
        .andWhere('version = :expectedVersion', { expectedVersion })
        .andWhere("deletion_id = ''")
        .execute();
      return result.affected === 1;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProjectNameTakenError(next.name);
      throw error;
    }
  }

  /** Soft delete: keeps the row, frees the name (deletion_id becomes the row id). */
  async softDelete(tx: Transaction, deleted: Project, expectedVersion: number): Promise<boolean> {
    const result = await tx.manager
      .createQueryBuilder()
      .update(ProjectEntity)
      .set({
        version: deleted.version,
        updatedAt: deleted.updatedAt,
        deletedAt: deleted.deletedAt,
        deletionId: deleted.id,
      })
      .where('id = :id', { id: deleted.id })
      .andWhere('version = :expectedVersion', { expectedVersion })
      .andWhere("deletion_id = ''")
      .execute();
    return result.affected === 1;
  }

  private async assertNameFree(tx: Transaction, project: Project): Promise<void> {
    const clash = await tx.manager
      .createQueryBuilder(ProjectEntity, 'p')
      .where('p.owner = :owner', { owner: project.owner })
      .andWhere('p.nameKey = :nameKey', { nameKey: projectNameKey(project.name) })
      .andWhere("p.deletionId = ''")
      .andWhere('p.id <> :id', { id: project.id })
      .getExists();
    if (clash) throw new ProjectNameTakenError(project.name);
  }

  /** A page of live projects. `search` is a bound LIKE parameter with its wildcards escaped. */
  async list(query: ProjectListQuery): Promise<ProjectList> {
    const builder = this.rows.createQueryBuilder('p').where("p.deletionId = ''");
    if (query.owner !== undefined) builder.andWhere('p.owner = :owner', { owner: query.owner });
    if (query.search) {
      builder.andWhere(`p.nameKey LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`, {
        pattern: `%${escapeLike(projectNameKey(query.search))}%`,
      });
    }
    const descending = query.sort.startsWith('-');
    const field = (descending ? query.sort.slice(1) : query.sort) as ProjectSortField;
    const direction = descending ? 'DESC' : 'ASC';
    const [rows, total] = await builder
      .orderBy(SORT_COLUMNS[field], direction)
      .addOrderBy('p.id', direction)
      .skip(query.offset)
      .take(query.limit)
      .getManyAndCount();
    return { items: rows.map(toProject), total };
  }
}
