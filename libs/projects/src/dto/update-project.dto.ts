import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { ClosedSchema, OptionalField } from '#libs/platform';
import { ProjectDescription, ProjectName } from './project-fields.js';

/** PATCH /projects/:id: the fields to change (absent ones stay as they are). */
@ClosedSchema()
export class UpdateProjectDto {
  @ProjectName(false)
  name?: string;

  @ProjectDescription()
  description?: string;

  @ApiPropertyOptional({
    description: 'The version you read, for clients that cannot send If-Match (the header wins)',
    type: 'integer',
    minimum: 1,
    maximum: 999_999_999,
  })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(999_999_999)
  version?: number;
}
