import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ClosedSchema, CursorPageQueryDto } from '#libs/platform';
import type { Operation } from '../bank.types.js';
import { formatAmount, type OperationType } from '../domain/money.js';

export const OPERATION_TYPES: readonly OperationType[] = ['deposit', 'withdrawal'];
/** Shape only; the currency's decimal places and the limits are checked by parseAmount. */
export const AMOUNT_PATTERN = /^\d{1,16}(\.\d{1,3})?$/;

@ClosedSchema()
export class OperationInputDto {
  @ApiProperty({ enum: OPERATION_TYPES })
  @IsIn(OPERATION_TYPES)
  type!: OperationType;

  @ApiProperty({
    example: '12.50',
    description: "Decimal string in the account's currency (never a JSON number: no floats)",
    pattern: AMOUNT_PATTERN.source,
  })
  @IsString()
  @Matches(AMOUNT_PATTERN, { message: 'amount must be a decimal string such as "12.50"' })
  amount!: string;

  @ApiProperty({ example: 'Salary March', minLength: 1, maxLength: 140 })
  @IsString()
  @MinLength(1)
  @MaxLength(140)
  reference!: string;
}

export class OperationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "The operation's number within the account" }) number!: number;
  @ApiProperty({ enum: OPERATION_TYPES }) type!: OperationType;
  @ApiProperty({ example: '12.50' }) amount!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ example: '132.50' }) balanceAfter!: string;
  @ApiProperty() reference!: string;
  @ApiProperty() bookedAt!: string;
  @ApiProperty({ description: 'Id of the bank.operation.booked event' }) eventId!: string;
  @ApiProperty() correlationId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) scheduleId?: string;
}

export class OperationPageDto {
  @ApiProperty({ type: [OperationDto] }) items!: OperationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ListOperationsQueryDto extends CursorPageQueryDto {}

export function toOperationDto(operation: Operation): OperationDto {
  return {
    id: operation.id,
    number: Number(operation.seq),
    type: operation.type,
    amount: formatAmount(operation.amountMinor, operation.currency),
    currency: operation.currency,
    balanceAfter: formatAmount(operation.balanceAfterMinor, operation.currency),
    reference: operation.reference,
    bookedAt: operation.bookedAt,
    eventId: operation.eventId,
    correlationId: operation.correlationId,
    ...(operation.scheduleId ? { scheduleId: operation.scheduleId } : {}),
  };
}
