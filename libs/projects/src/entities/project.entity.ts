import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A row of `projects`. Soft-deleted rows keep their data; TypeORM's find* skips them. */
@Entity('projects')
export class ProjectEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Cognito `sub` of the owner. */
  @Column({ type: 'varchar', length: 64 })
  owner!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Lower-cased name: the uniqueness and search key (same rules on MySQL and SQLite). */
  @Column({ name: 'name_key', type: 'varchar', length: 200 })
  nameKey!: string;

  @Column({ type: 'text' })
  description!: string;

  /** Optimistic-locking version: 1 on create, +1 on every change. The ETag. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true })
  deletedAt!: Date | null;

  /** '' while live, the row's id once deleted: keeps (owner, name) unique among live rows only. */
  @Column({ name: 'deletion_id', type: 'varchar', length: 36, default: '' })
  deletionId!: string;
}
