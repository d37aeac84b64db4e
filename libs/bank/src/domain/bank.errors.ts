import { DomainError } from '#libs/platform';

export class InsufficientFundsError extends DomainError {
  constructor(accountId: string, balance: string, amount: string, currency: string) {
    super('insufficient-funds', 422, 'Insufficient funds', {
      detail: `Account ${accountId} holds ${balance} ${currency}; a withdrawal of ${amount} ${currency} would overdraw it`,
      extensions: { balance, amount, currency },
    });
  }
}

export class InvalidAmountError extends DomainError {
  constructor(detail: string) {
    super('invalid-amount', 422, 'Invalid amount', { detail });
  }
}

export class InvalidScheduleError extends DomainError {
  constructor(detail: string) {
    super('invalid-schedule', 422, 'Invalid schedule', { detail });
  }
}

export class InvalidCursorError extends DomainError {
  constructor() {
    super('invalid-cursor', 400, 'Invalid cursor', {
      detail: 'The cursor does not belong to this list; start again without one',
    });
  }
}

/** The account changed between read and write too many times in a row (heavy contention). */
export class AccountBusyError extends DomainError {
  constructor(accountId: string) {
    super('conflict', 409, 'Conflict', {
      detail: `Account ${accountId} is being changed concurrently; try again`,
    });
  }
}
