import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedBankMessageError, parseBankNotification } from './bank-event.js';

const detail = {
  eventId: 'e',
  accountId: 'a',
  type: 'deposit',
  amount: '1.00',
  balanceAfter: '1.00',
  currency: 'EUR',
  bookedAt: '2026-01-01T00:00:00.000Z',
};

describe('parseBankNotification', () => {
  it('accepts what a bank rule target sends', () => {
    const body = JSON.stringify({ template: 'withdrawal-notice', event: { id: 'x', detail } });
    assert.equal(parseBankNotification(body).event.detail.eventId, 'e');
  });

  it('refuses anything else (dropped by the consumer: no retry can fix it)', () => {
    for (const body of [
      'nope',
      'null',
      JSON.stringify({ template: 'project-change', event: { detail } }),
      JSON.stringify({
        template: 'deposit-confirmation',
        event: { detail: { ...detail, type: 'x' } },
      }),
      JSON.stringify({
        template: 'deposit-confirmation',
        event: { detail: { ...detail, amount: 1 } },
      }),
      JSON.stringify({ template: 'deposit-confirmation' }),
    ]) {
      assert.throws(() => parseBankNotification(body), MalformedBankMessageError, body);
    }
  });
});
