import { ApiProperty } from '@nestjs/swagger';
import type { Project } from '../project.js';

export class ProjectResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Cognito sub of the owner' }) owner!: string;
  @ApiProperty({ description: 'Optimistic-locking version; the ETag is `"<version>"`' })
  version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static of(project: Project): ProjectResponse {
    return {
      id: project.id,
      name: project.name,
      description: project.description,
      owner: project.owner,
      version: project.version,
      createdAt: project.createdAt.toISOString(),
      updatedAt: project.updatedAt.toISOString(),
    };
  }
}

export class ProjectPageResponse {
  @ApiProperty({ type: [ProjectResponse] }) items!: ProjectResponse[];
  @ApiProperty({ minimum: 1 }) page!: number;
  @ApiProperty({ minimum: 1, maximum: 100 }) pageSize!: number;
  @ApiProperty({ description: 'Matching projects across all pages' }) total!: number;
}
