import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES, type Job, type JobStatus } from '../domain/job.js';

export class JobResultDto {
  @ApiProperty({ enum: ['dynamodb', 's3'] }) kind!: 'dynamodb' | 's3';
  @ApiPropertyOptional({ description: 'Table name (kind dynamodb)' }) table?: string;
  @ApiPropertyOptional({ description: 'Bucket name (kind s3)' }) bucket?: string;
  @ApiProperty({ description: 'Item key (the job id) or object key' }) key!: string;
}

export class JobSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'db' }) type!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty({ description: 'Attempts started so far' }) attempts!: number;
  @ApiProperty() maxAttempts!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Error of the latest failed attempt' })
  lastError!: string | null;
  @ApiProperty({ type: JobResultDto, nullable: true, description: 'Where the output was written' })
  result!: JobResultDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the job is due' }) runAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
}

export class JobDto extends JobSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
}

export class JobPageDto {
  @ApiProperty({ type: [JobSummaryDto] }) items!: JobSummaryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class JobTypesDto {
  @ApiProperty({ type: [String], example: ['db', 's3'] }) types!: string[];
}

export function toJobSummaryDto(job: Job): JobSummaryDto {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lastError: job.lastError ?? null,
    result: job.result ? { ...job.result } : null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    runAt: job.runAt,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
  };
}

export function toJobDto(job: Job): JobDto {
  return Object.assign(toJobSummaryDto(job), {
    payload: JSON.parse(job.payload) as Record<string, unknown>,
  });
}
