import { ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPageQueryDto } from '#libs/platform';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { JOB_STATUSES, type JobStatus } from '../domain/job.js';

export class ListJobsQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional({ example: 'db', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;
}
