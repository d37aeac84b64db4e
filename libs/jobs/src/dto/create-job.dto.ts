import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsObject, IsString, Max, MaxLength, Min } from 'class-validator';
import { ClosedSchema, OptionalField } from '#libs/platform';
import { JOBS_MAX_ATTEMPTS_LIMIT, JOBS_MAX_DELAY_SECONDS } from '../domain/job.js';

/** What both body shapes of POST /jobs come down to. */
export interface CreateJobInput {
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly delaySeconds?: number;
  readonly maxAttempts?: number;
}

@ClosedSchema()
export class CreateJobDto implements CreateJobInput {
  @ApiProperty({
    description: 'Job type (GET /jobs/types lists them)',
    example: 'db',
    minLength: 1,
    maxLength: 64,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  type!: string;

  @ApiProperty({
    description: 'Data for the handler (a JSON object, JOBS_MAX_PAYLOAD_BYTES at most)',
    type: 'object',
    additionalProperties: true,
    example: { customer: 'c-42', amount: 12.5 },
  })
  @IsObject()
  payload!: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      'Run no earlier than this many seconds from now (over 900 s the job is held in the table and released by the sweeper)',
    type: 'integer',
    minimum: 0,
    maximum: JOBS_MAX_DELAY_SECONDS,
    default: 0,
  })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(JOBS_MAX_DELAY_SECONDS)
  delaySeconds?: number;

  @ApiPropertyOptional({
    description: 'Attempts before the job is FAILED (default JOBS_DEFAULT_MAX_ATTEMPTS)',
    type: 'integer',
    minimum: 1,
    maximum: JOBS_MAX_ATTEMPTS_LIMIT,
  })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(JOBS_MAX_ATTEMPTS_LIMIT)
  maxAttempts?: number;
}

/**
 * The original `Ajout_job` body: `job_type` plus the job's data as sibling fields, accepted
 * unchanged on POST /jobs. Every field other than `job_type` becomes the payload.
 */
export class LegacyJobDto {
  @ApiProperty({
    description: 'Job type, as the original system named it',
    example: 's3',
    minLength: 1,
    maxLength: 64,
  })
  job_type!: string;
}
