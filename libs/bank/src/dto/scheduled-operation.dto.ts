import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Schedule, ScheduleStatus } from '../bank.types.js';
import { formatAmount, type OperationType } from '../domain/money.js';
import { OPERATION_TYPES, OperationInputDto } from './operation.dto.js';

export class CreateScheduledOperationDto extends OperationInputDto {
  @ApiPropertyOptional({
    example: '2026-01-31T09:00:00Z',
    description: 'One-off: when to book it (past or now: at the next scheduler tick)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  runAt?: string;

  @ApiPropertyOptional({
    example: '0 9 1 * *',
    description: 'Recurring: cron in UTC, 5 fields (or 6 with seconds first)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  cron?: string;
}

export class ScheduledOperationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ enum: OPERATION_TYPES }) type!: OperationType;
  @ApiProperty({ example: '12.50' }) amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() reference!: string;
  @ApiPropertyOptional() runAt?: string;
  @ApiPropertyOptional() cron?: string;
  @ApiProperty({ enum: ['ACTIVE', 'DONE', 'FAILED'] }) status!: ScheduleStatus;
  @ApiPropertyOptional({ description: 'While ACTIVE' }) nextRunAt?: string;
  @ApiProperty({ description: 'Occurrences run so far' }) runs!: number;
  @ApiPropertyOptional() lastRunAt?: string;
  @ApiPropertyOptional() lastOperationId?: string;
  @ApiPropertyOptional({ description: 'Why the last occurrence booked nothing' })
  lastError?: string;
  @ApiProperty() createdAt!: string;
}

export class ScheduledOperationListDto {
  @ApiProperty({ type: [ScheduledOperationDto] }) items!: ScheduledOperationDto[];
}

export function toScheduledOperationDto(schedule: Schedule): ScheduledOperationDto {
  const optional = <K extends keyof Schedule>(key: K) =>
    schedule[key] === undefined ? {} : { [key]: schedule[key] };
  return {
    id: schedule.id,
    accountId: schedule.accountId,
    type: schedule.type,
    amount: formatAmount(schedule.amountMinor, schedule.currency),
    currency: schedule.currency,
    reference: schedule.reference,
    status: schedule.status,
    runs: schedule.runs,
    createdAt: schedule.createdAt,
    ...optional('runAt'),
    ...optional('cron'),
    ...optional('nextRunAt'),
    ...optional('lastRunAt'),
    ...optional('lastOperationId'),
    ...optional('lastError'),
  };
}
