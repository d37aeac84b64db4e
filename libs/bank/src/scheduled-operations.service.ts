import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { NotFoundError, type Principal } from '#libs/platform';
import { AccountsService } from './accounts.service.js';
import { amountInMinorUnits } from './amounts.js';
import type { Schedule } from './bank.types.js';
import { InvalidScheduleError } from './domain/bank.errors.js';
import { assertValidCron, CronExpressionError, nextOccurrence } from './domain/schedule-timing.js';
import {
  toScheduledOperationDto,
  type CreateScheduledOperationDto,
  type ScheduledOperationDto,
  type ScheduledOperationListDto,
} from './dto/scheduled-operation.dto.js';
import { SchedulesRepository } from './schedules.repository.js';

/** A one-off schedule may be at most this far ahead. */
const MAX_AHEAD_MS = 5 * 366 * 24 * 3600 * 1000;

/** The API side of scheduled operations: create (validated), list, delete. */
@Injectable()
export class ScheduledOperationsService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly schedules: SchedulesRepository,
  ) {}

  async create(
    principal: Principal,
    accountId: string,
    input: CreateScheduledOperationDto,
  ): Promise<ScheduledOperationDto> {
    const account = await this.accounts.owned(principal, accountId);
    const amountMinor = amountInMinorUnits(input.amount, account.currency);
    const now = new Date();
    const firstRun = firstRunAt(input, now);
    const schedule: Schedule = {
      id: randomUUID(),
      accountId,
      ownerId: principal.sub,
      type: input.type,
      amountMinor,
      currency: account.currency,
      reference: input.reference,
      ...(input.runAt === undefined ? {} : { runAt: firstRun }),
      ...(input.cron === undefined ? {} : { cron: input.cron }),
      status: 'ACTIVE',
      due: 'ACTIVE',
      nextRunAt: firstRun,
      runs: 0,
      createdAt: now.toISOString(),
    };
    await this.schedules.create(schedule);
    return toScheduledOperationDto(schedule);
  }

  async list(principal: Principal, accountId: string): Promise<ScheduledOperationListDto> {
    await this.accounts.owned(principal, accountId);
    const items = await this.schedules.listByAccount(accountId);
    return { items: items.map(toScheduledOperationDto) };
  }

  async delete(principal: Principal, accountId: string, id: string): Promise<void> {
    await this.accounts.owned(principal, accountId);
    const schedule = await this.schedules.get(id);
    if (schedule?.accountId !== accountId) throw new NotFoundError('Scheduled operation', id);
    await this.schedules.delete(id);
  }
}

/** Exactly one of runAt / cron; the first occurrence as an ISO instant. */
function firstRunAt(input: CreateScheduledOperationDto, now: Date): string {
  if ((input.runAt === undefined) === (input.cron === undefined))
    throw new InvalidScheduleError('Give either runAt (one-off) or cron (recurring), not both');
  if (input.runAt !== undefined) {
    const at = new Date(input.runAt);
    if (at.getTime() - now.getTime() > MAX_AHEAD_MS)
      throw new InvalidScheduleError('runAt is more than five years ahead');
    return at.toISOString();
  }
  const cron = input.cron ?? '';
  try {
    assertValidCron(cron);
  } catch (error) {
    if (error instanceof CronExpressionError) throw new InvalidScheduleError(error.message);
    throw error;
  }
  const next = nextOccurrence(cron, now);
  if (!next) throw new InvalidScheduleError('The cron expression never fires');
  return next.toISOString();
}
