import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ProjectDescription, ProjectName } from './project-fields.js';

/** PATCH /projects/:id: the fields to change (absent ones stay as they are). */
export class UpdateProjectDto {
  @ProjectName(false)
  name?: string;

  @ProjectDescription()
  description?: string;

  @ApiPropertyOptional({
    description: 'The version you read, for clients that cannot send If-Match (the header wins)',
    minimum: 1,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999_999_999)
  version?: number;
}
