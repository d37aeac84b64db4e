import { Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import {
  DomainError,
  IdempotencyKeysRepository,
  IdempotencyKeyTakenError,
  ScheduledTask,
  type ScheduledTaskHandler,
} from '#libs/platform';
import { randomUUID } from 'node:crypto';
import type { Schedule } from './bank.types.js';
import { BookingService } from './booking.service.js';
import { nextOccurrence } from './domain/schedule-timing.js';
import { OccurrenceTakenError } from './ledger.repository.js';
import { SchedulesRepository, type ScheduleAdvance } from './schedules.repository.js';

export const SCHEDULED_OPERATIONS_TASK = 'bank-scheduled-operations';
/** Occurrence keys live as long as a year of schedule history needs. */
const OCCURRENCE_KEY_TTL_SECONDS = 366 * 24 * 3600;
/** How long a claimed occurrence is protected; a scheduler dying holding it delays it this long. */
const CLAIM_LEASE_MS = 60_000;

export type OccurrenceOutcome = 'booked' | 'refused' | 'taken';

/**
 * Books due scheduled operations, every second in the worker and from the EventBridge schedule
 * rule `bank-scheduled-operations` in Lambda mode. Exactly once per occurrence, however many
 * schedulers run: (1) a conditional claim on the schedule item (ACTIVE, waiting for exactly this
 * occurrence, no live claim) lets one scheduler go on; (2) its booking transaction carries an
 * idempotency record keyed by schedule id + occurrence and the schedule's conditional advance, so
 * even a claim taken over after a lease expiry cannot book the occurrence twice.
 */
@ScheduledTask({
  name: SCHEDULED_OPERATIONS_TASK,
  purpose: 'Books due scheduled operations',
  cron: '* * * * * *',
  schedule: 'rate(1 minute)',
})
export class ScheduledOperationsTask implements ScheduledTaskHandler {
  private readonly logger = new Logger(ScheduledOperationsTask.name);

  constructor(
    private readonly schedules: SchedulesRepository,
    private readonly booking: BookingService,
    private readonly keys: IdempotencyKeysRepository,
    private readonly config: AppConfig,
  ) {}

  async run(): Promise<void> {
    const now = new Date();
    const due = await this.schedules.due(now.toISOString(), this.config.bank.schedulerBatch);
    for (const schedule of due) {
      try {
        await this.runOccurrence(schedule, now);
      } catch (error) {
        // One broken schedule must not hold up the others; it is due again at the next tick.
        this.logger.error({ err: error, scheduleId: schedule.id }, 'scheduled operation failed');
      }
    }
  }

  async runOccurrence(schedule: Schedule, now: Date): Promise<OccurrenceOutcome> {
    const occurrence = schedule.nextRunAt;
    if (!occurrence) return 'taken';
    // Missed occurrences (worker down) are not booked one by one: the next is after now.
    const next = schedule.cron ? nextOccurrence(schedule.cron, now) : undefined;
    const advance = (finished: 'DONE' | 'FAILED'): ScheduleAdvance =>
      next ? { next: next.toISOString() } : { finished };
    if (!(await this.schedules.claimOccurrence(schedule, occurrence, now, CLAIM_LEASE_MS)))
      return 'taken';
    const operationId = randomUUID();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const occurrenceKey = this.keys.conditionalPut(
      {
        key: IdempotencyKeysRepository.scopedKey(
          'bank-schedules',
          schedule.ownerId,
          `${schedule.id}#${occurrence}`,
        ),
        requestHash: schedule.id,
        resourceId: operationId,
        createdAt: now.toISOString(),
        expiresAt: nowSeconds + OCCURRENCE_KEY_TTL_SECONDS,
      },
      nowSeconds,
    );
    const at = now.toISOString();
    try {
      await this.booking.book({
        accountId: schedule.accountId,
        type: schedule.type,
        amountMinor: schedule.amountMinor,
        reference: schedule.reference,
        operationId,
        scheduleId: schedule.id,
        idempotency: occurrenceKey,
        scheduleAdvance: this.schedules.advance(schedule, occurrence, advance('DONE'), {
          operationId,
          at,
        }),
      });
      this.logger.log(
        { scheduleId: schedule.id, occurrence, operationId },
        'scheduled operation booked',
      );
      return 'booked';
    } catch (error) {
      if (error instanceof OccurrenceTakenError || error instanceof IdempotencyKeyTakenError)
        return 'taken';
      if (!(error instanceof DomainError)) throw error;
      // Refused (insufficient funds, account gone): the occurrence is over, with the reason.
      const claimed = await this.schedules.applyAdvance(
        this.schedules.advance(schedule, occurrence, advance('FAILED'), {
          error: error.detail ?? error.message,
          at,
        }),
      );
      this.logger.warn(
        { scheduleId: schedule.id, occurrence, reason: error.code },
        'scheduled operation refused',
      );
      return claimed ? 'refused' : 'taken';
    }
  }
}
