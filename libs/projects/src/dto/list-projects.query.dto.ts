import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PROJECT_NAME_MAX_LENGTH, PROJECT_SORTS, type ProjectSort } from '../project.js';

/** GET /projects query string. */
export class ListProjectsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;

  @ApiPropertyOptional({
    description: 'Case-insensitive part of the name, matched literally (% and _ are not wildcards)',
    maxLength: PROJECT_NAME_MAX_LENGTH,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(PROJECT_NAME_MAX_LENGTH)
  search?: string;

  @ApiPropertyOptional({ enum: PROJECT_SORTS, default: '-createdAt' })
  @IsOptional()
  @IsIn(PROJECT_SORTS)
  sort: ProjectSort = '-createdAt';
}
