import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { ClosedSchema, OptionalField } from '#libs/platform';

export class DeadLetterCountDto {
  @ApiProperty({ description: 'Messages waiting on the jobs DLQ (approximate, as SQS counts)' })
  count!: number;
  @ApiProperty({ description: 'DLQ messages currently received by someone (e.g. a redrive)' })
  inFlight!: number;
}

@ClosedSchema()
export class RedriveDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(1000)
  max?: number;
}

export class RedriveResultDto {
  @ApiProperty({ description: 'Messages moved from the DLQ back to the jobs queue' })
  moved!: number;
  @ApiProperty({ description: 'FAILED jobs reset to QUEUED (with a fresh attempt budget)' })
  requeued!: number;
}
