/**
 * Exact money: amounts are integers of the currency's minor unit (cents), parsed from and
 * formatted to decimal strings with string arithmetic only, never through binary floats.
 */

import currencyCodes from 'currency-codes';

/**
 * ISO 4217 codes whose minor unit is "N.A.": precious metals, bond-market and drawing-right units,
 * the testing and "no currency" codes. They name no money an account can hold.
 */
const NOT_MONEY = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
]);

/** Every ISO 4217 currency an account may be opened in (list one of the `currency-codes` package). */
export const ACCOUNT_CURRENCIES: readonly string[] = currencyCodes
  .codes()
  .filter((code) => !NOT_MONEY.has(code))
  .sort();

/**
 * The largest operation: 10^9 minor units (10,000,000.00 in a two-decimal currency). It keeps
 * every amount and balance exact in a JavaScript number and inside the range EventBridge numeric
 * matching compares (±5·10^9).
 */
export const MAX_OPERATION_MINOR = 1_000_000_000;
/** A balance stays an exact integer (2^53 - 1). */
export const MAX_BALANCE_MINOR = Number.MAX_SAFE_INTEGER;

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** The currency's ISO 4217 minor unit: 2 for EUR, 0 for JPY and UGX, 3 for LYD and KWD. */
export function currencyExponent(currency: string): number {
  const record = CURRENCY_PATTERN.test(currency) ? currencyCodes.code(currency) : undefined;
  if (!record || NOT_MONEY.has(currency))
    throw new MoneyError(`${currency} is not an ISO 4217 currency`);
  return record.digits;
}

/**
 * "12.5" EUR → 1250. Refuses signs, exponents, more decimals than the currency has, zero and
 * amounts over MAX_OPERATION_MINOR.
 */
export function parseAmount(text: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(\d{1,16})(?:\.(\d+))?$/.exec(text);
  if (!match) throw new MoneyError('amount must be a positive decimal string such as "12.50"');
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > exponent)
    throw new MoneyError(`${currency} amounts have at most ${exponent} decimal places`);
  const digits = `${whole}${fraction.padEnd(exponent, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_OPERATION_MINOR).length) throw tooLarge(currency);
  const minor = Number(digits); // an integer string of at most 10 digits: exact
  if (minor === 0) throw new MoneyError('amount must be greater than zero');
  if (minor > MAX_OPERATION_MINOR) throw tooLarge(currency);
  return minor;
}

function tooLarge(currency: string): MoneyError {
  return new MoneyError(`amount must not exceed ${formatAmount(MAX_OPERATION_MINOR, currency)}`);
}

/** 1250 EUR → "12.50"; -5 EUR → "-0.05". */
export function formatAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor))
    throw new MoneyError(`${minor} is not a whole number of minor units`);
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export type OperationType = 'deposit' | 'withdrawal';

/** The balance after an operation, or undefined when a withdrawal exceeds the balance. */
export function balanceAfter(
  balanceMinor: number,
  type: OperationType,
  amountMinor: number,
): number | undefined {
  const after = type === 'deposit' ? balanceMinor + amountMinor : balanceMinor - amountMinor;
  if (after < 0 || after > MAX_BALANCE_MINOR) return undefined;
  return after;
}
