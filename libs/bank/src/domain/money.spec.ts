import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  balanceAfter,
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
});
