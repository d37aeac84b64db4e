import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ClosedSchema } from '#libs/platform';
import { ProjectDescription, ProjectName } from './project-fields.js';
import { ProjectResponse } from './project.response.dto.js';

/** The original ManageProjects body: `{"action": "create", "name", "description"}`. */
@ClosedSchema()
export class CompatCreateProjectDto {
  @ApiProperty({ enum: ['create'] })
  @Equals('create')
  action!: 'create';

  @ProjectName(true)
  name!: string;

  @ProjectDescription()
  description?: string;
}

/** The original ManageProjects body: `{"action": "update", "id", "name", "description"}`. */
@ClosedSchema()
export class CompatUpdateProjectDto {
  @ApiProperty({ enum: ['update'] })
  @Equals('update')
  action!: 'update';

  @ApiProperty({
    description: 'Project id (numbers are accepted and compared as text)',
    oneOf: [{ type: 'string', minLength: 1, maxLength: 64 }, { type: 'number' }],
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  id!: string;

  @ProjectName(false)
  name?: string;

  @ProjectDescription()
  description?: string;
}

/** The original answered a bare "Project created" / "Project updated": kept as `message`. */
export class CompatProjectResponse {
  @ApiProperty({ enum: ['Project created', 'Project updated'] })
  message!: 'Project created' | 'Project updated';

  @ApiProperty({ type: ProjectResponse })
  project!: ProjectResponse;
}
