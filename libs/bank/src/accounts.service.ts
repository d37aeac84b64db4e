import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { NotFoundError, type Principal } from '#libs/platform';
import { AccountsRepository } from './accounts.repository.js';
import type { Account, NotificationPreferences } from './bank.types.js';
import {
  DEFAULT_PREFERENCES,
  toAccountDto,
  type AccountDto,
  type CreateAccountDto,
  type PreferencesPatchDto,
  type UpdateAccountDto,
} from './dto/account.dto.js';

/** Accounts belong to the caller: anyone else gets the same 404 as for no account. */
@Injectable()
export class AccountsService {
  constructor(private readonly accounts: AccountsRepository) {}

  async create(principal: Principal, input: CreateAccountDto): Promise<AccountDto> {
    const now = new Date().toISOString();
    const account: Account = {
      id: randomUUID(),
      ownerId: principal.sub,
      holderName: input.holderName,
      email: input.email,
      currency: input.currency,
      balanceMinor: 0,
      version: 0,
      notifications: mergePreferences(DEFAULT_PREFERENCES, input.notifications),
      createdAt: now,
      updatedAt: now,
    };
    await this.accounts.create(account);
    return toAccountDto(account);
  }

  async get(principal: Principal, id: string): Promise<AccountDto> {
    return toAccountDto(await this.owned(principal, id));
  }

  async update(principal: Principal, id: string, input: UpdateAccountDto): Promise<AccountDto> {
    const account = await this.owned(principal, id);
    const updated = await this.accounts.updatePreferences(
      id,
      mergePreferences(account.notifications, input.notifications),
      new Date().toISOString(),
    );
    return toAccountDto(updated);
  }

  async owned(principal: Principal, id: string): Promise<Account> {
    const account = await this.accounts.get(id);
    if (account?.ownerId !== principal.sub) throw new NotFoundError('Account', id);
    return account;
  }
}

function mergePreferences(
  current: NotificationPreferences,
  patch: PreferencesPatchDto | undefined,
): NotificationPreferences {
  return {
    email: patch?.email ?? current.email,
    deposits: patch?.deposits ?? current.deposits,
    withdrawals: patch?.withdrawals ?? current.withdrawals,
    largeOperations: patch?.largeOperations ?? current.largeOperations,
  };
}
