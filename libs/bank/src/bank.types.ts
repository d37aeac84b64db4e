import type { OperationType } from './domain/money.js';

export interface NotificationPreferences {
  /** Master switch: no e-mail at all when false. */
  readonly email: boolean;
  readonly deposits: boolean;
  readonly withdrawals: boolean;
  readonly largeOperations: boolean;
}

export interface Account {
  readonly id: string;
  readonly ownerId: string;
  readonly holderName: string;
  readonly email: string;
  readonly currency: string;
  readonly balanceMinor: number;
  /** Number of operations booked: the next one gets seq version + 1 (optimistic locking). */
  readonly version: number;
  readonly notifications: NotificationPreferences;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Operation {
  readonly accountId: string;
  /** Zero-padded operation number within the account (the sort key). */
  readonly seq: string;
  readonly id: string;
  readonly type: OperationType;
  readonly amountMinor: number;
  readonly currency: string;
  readonly balanceAfterMinor: number;
  readonly reference: string;
  readonly bookedAt: string;
  readonly eventId: string;
  readonly correlationId: string;
  readonly scheduleId?: string;
}

export type ScheduleStatus = 'ACTIVE' | 'DONE' | 'FAILED';

export interface Schedule {
  readonly id: string;
  readonly accountId: string;
  readonly ownerId: string;
  readonly type: OperationType;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reference: string;
  /** One-off schedules have runAt, recurring ones cron. */
  readonly runAt?: string;
  readonly cron?: string;
  readonly status: ScheduleStatus;
  /** Present while ACTIVE (the sparse by-due index). */
  readonly due?: 'ACTIVE';
  readonly nextRunAt?: string;
  readonly runs: number;
  readonly lastRunAt?: string;
  readonly lastOperationId?: string;
  readonly lastError?: string;
  readonly createdAt: string;
}
