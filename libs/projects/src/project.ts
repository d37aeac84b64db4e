/** A project as the domain sees it. */
export interface Project {
  readonly id: string;
  /** Cognito `sub` of the owner. */
  readonly owner: string;
  readonly name: string;
  readonly description: string;
  /** Starts at 1; +1 on every change. Exposed as the ETag. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deletedAt: Date | null;
}

export const PROJECT_NAME_MAX_LENGTH = 100;
export const PROJECT_DESCRIPTION_MAX_LENGTH = 2000;

/** Names are compared (uniqueness, search) case-insensitively, in one Unicode normal form. */
export function projectNameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

export type ProjectSortField = 'name' | 'createdAt' | 'updatedAt';
export type ProjectSort = ProjectSortField | `-${ProjectSortField}`;
export const PROJECT_SORTS: readonly ProjectSort[] = [
  'name',
  '-name',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
];

export interface ProjectListQuery {
  /** Only this owner's projects; undefined lists everyone's (administrators). */
  readonly owner: string | undefined;
  /** Case-insensitive substring of the name, matched literally (no wildcards). */
  readonly search: string | undefined;
  readonly sort: ProjectSort;
  readonly offset: number;
  readonly limit: number;
}

export interface ProjectList {
  readonly items: readonly Project[];
  readonly total: number;
}
