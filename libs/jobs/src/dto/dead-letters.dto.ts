import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class DeadLetterCountDto {
  @ApiProperty({ description: 'Messages waiting on the jobs DLQ (approximate, as SQS counts)' })
  count!: number;
  @ApiProperty({ description: 'DLQ messages currently received by someone (e.g. a redrive)' })
  inFlight!: number;
}

export class RedriveDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
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
