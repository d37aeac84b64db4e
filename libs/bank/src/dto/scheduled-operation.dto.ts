import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsRFC3339, IsString, MaxLength, ValidateBy } from 'class-validator';
import { ClosedSchema, OptionalField } from '#libs/platform';
import type { Schedule, ScheduleStatus } from '../bank.types.js';
import { formatAmount, type OperationType } from '../domain/money.js';
import { OPERATION_TYPES, OperationInputDto } from './operation.dto.js';

/**
 * A date-time JavaScript reads as an instant: RFC 3339 allows a leap second (`23:59:60`), which Date
 * does not.
 */
const IsInstant = () =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
      defaultMessage: () => 'runAt must be a date-time JavaScript can read (no leap second)',
    },
  });

@ClosedSchema()
export class CreateScheduledOperationDto extends OperationInputDto {
  @ApiPropertyOptional({
    example: '2026-01-31T09:00:00Z',
    description: 'One-off: when to book it (past or now: at the next scheduler tick)',
    format: 'date-time',
  })
  @OptionalField()
  @IsRFC3339({ message: 'runAt must be an RFC 3339 date-time' })
  @IsInstant()
  runAt?: string;

  @ApiPropertyOptional({
    example: '0 9 1 * *',
    description: 'Recurring: cron in UTC, 5 fields (or 6 with seconds first)',
    maxLength: 120,
  })
  @OptionalField()
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
