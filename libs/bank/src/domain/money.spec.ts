import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCOUNT_CURRENCIES,
  balanceAfter,
  currencyExponent,
  formatAmount,
  MAX_OPERATION_MINOR,
  MoneyError,
  parseAmount,
} from './money.js';

describe('money', () => {
  it('parses decimal strings into exact minor units per currency', () => {
    assert.equal(parseAmount('12.5', 'EUR'), 1250);
    assert.equal(parseAmount('0.10', 'USD'), 10);
    assert.equal(parseAmount('007', 'EUR'), 700);
    assert.equal(parseAmount('1500', 'JPY'), 1500);
    assert.equal(parseAmount('1.234', 'KWD'), 1234);
    // 0.1 + 0.2 style: never a float on the way.
    assert.equal(parseAmount('0.29', 'EUR') + parseAmount('0.01', 'EUR'), 30);
    assert.equal(parseAmount('10000000.00', 'EUR'), MAX_OPERATION_MINOR);
  });

  it('refuses what is not a positive amount of the currency', () => {
    for (const [text, currency] of [
      ['-1', 'EUR'],
      ['1e3', 'EUR'],
      ['1.', 'EUR'],
      ['.5', 'EUR'],
      ['0', 'EUR'],
      ['0.00', 'EUR'],
      ['1.234', 'EUR'],
      ['1.5', 'JPY'],
      ['10000000.01', 'EUR'],
      ['99999999999999', 'EUR'],
      [' 1', 'EUR'],
      ['1', 'eur'],
    ] as const) {
      assert.throws(() => parseAmount(text, currency), MoneyError, `${text} ${currency}`);
    }
  });

  it('formats minor units back to decimal strings', () => {
    assert.equal(formatAmount(1250, 'EUR'), '12.50');
    assert.equal(formatAmount(5, 'EUR'), '0.05');
    assert.equal(formatAmount(0, 'EUR'), '0.00');
    assert.equal(formatAmount(-5, 'EUR'), '-0.05');
    assert.equal(formatAmount(1500, 'JPY'), '1500');
    assert.equal(formatAmount(1, 'KWD'), '0.001');
    assert.equal(formatAmount(Number.MAX_SAFE_INTEGER, 'EUR'), '90071992547409.91');
    assert.throws(() => formatAmount(0.5, 'EUR'), MoneyError);
  });

  it('computes the balance after, refusing an overdraft', () => {
    assert.equal(balanceAfter(1000, 'deposit', 250), 1250);
    assert.equal(balanceAfter(1000, 'withdrawal', 1000), 0);
    assert.equal(balanceAfter(1000, 'withdrawal', 1001), undefined);
    assert.equal(balanceAfter(Number.MAX_SAFE_INTEGER, 'deposit', 1), undefined);
  });

  it('takes minor units from ISO 4217 for every currency, and refuses codes that are not money', () => {
    assert.equal(parseAmount('12', 'UGX'), 12, 'Uganda shilling: no minor unit');
    assert.throws(() => parseAmount('12.50', 'UGX'), MoneyError);
    assert.equal(currencyExponent('LYD'), 3);
    assert.equal(currencyExponent('IQD'), 3);
    assert.equal(currencyExponent('CLF'), 4);
    assert.equal(currencyExponent('XOF'), 0);
    assert.equal(currencyExponent('EUR'), 2);
    for (const code of ['ZZZ', 'XAU', 'XXX', 'XTS', 'eur', 'EURO'])
      assert.throws(() => currencyExponent(code), MoneyError, code);
    assert.ok(ACCOUNT_CURRENCIES.length > 150);
    assert.ok(ACCOUNT_CURRENCIES.includes('UGX') && !ACCOUNT_CURRENCIES.includes('XAU'));
  });
});
