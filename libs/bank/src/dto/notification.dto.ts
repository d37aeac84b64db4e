import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { DeliveryRecord } from '#libs/notifications';
import { CursorPageQueryDto } from '#libs/platform';

export class ListNotificationsQueryDto extends CursorPageQueryDto {
  @ApiProperty({ format: 'uuid', description: 'One of your accounts' })
  @IsUUID()
  accountId!: string;
}

export class DeliveryAttemptDto {
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['SENT', 'FAILED'] }) outcome!: string;
  @ApiPropertyOptional() sesMessageId?: string;
  @ApiPropertyOptional() error?: string;
}

export class NotificationDto {
  @ApiProperty({ description: 'The bank.operation.booked event id' }) eventId!: string;
  @ApiProperty({ example: 'deposit-confirmation' }) template!: string;
  @ApiProperty({ type: String, nullable: true, description: 'E-mail address' })
  recipient!: string | null;
  @ApiProperty({ enum: ['SENDING', 'SENT', 'FAILED', 'SKIPPED'] }) status!: string;
  @ApiPropertyOptional() sesMessageId?: string;
  @ApiProperty({ description: 'Send attempts so far' }) attempts!: number;
  @ApiProperty({ type: [DeliveryAttemptDto] }) attemptLog!: DeliveryAttemptDto[];
  @ApiPropertyOptional() lastError?: string;
  @ApiPropertyOptional({ description: 'FAILED for good (not retried)' }) permanent?: boolean;
  @ApiPropertyOptional({ description: 'Why it was SKIPPED' }) reason?: string;
  @ApiPropertyOptional() correlationId?: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional() sentAt?: string;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export function toNotificationDto(record: DeliveryRecord): NotificationDto {
  return {
    eventId: record.eventId,
    template: record.template,
    recipient: record.address,
    status: record.status.toUpperCase(),
    attempts: record.attempts,
    attemptLog: (record.attemptLog ?? []).map((a) => ({
      at: a.at,
      outcome: a.outcome.toUpperCase(),
      ...(a.sesMessageId ? { sesMessageId: a.sesMessageId } : {}),
      ...(a.error ? { error: a.error } : {}),
    })),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.sesMessageId ? { sesMessageId: record.sesMessageId } : {}),
    ...(record.lastError ? { lastError: record.lastError } : {}),
    ...(record.permanent ? { permanent: true } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.correlationId ? { correlationId: record.correlationId } : {}),
    ...(record.sentAt ? { sentAt: record.sentAt } : {}),
  };
}
