import { InvalidAmountError } from './domain/bank.errors.js';
import { MoneyError, parseAmount } from './domain/money.js';

/** parseAmount with its refusals as 422 problems. */
export function amountInMinorUnits(amount: string, currency: string): number {
  try {
    return parseAmount(amount, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new InvalidAmountError(error.message);
    throw error;
  }
}
