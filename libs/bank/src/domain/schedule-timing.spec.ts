import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertValidCron, CronExpressionError, nextOccurrence } from './schedule-timing.js';

describe('schedule timing', () => {
  it('finds the next occurrence after an instant, in UTC', () => {
    const from = new Date('2026-01-01T10:00:00.000Z'); // a Thursday
    assert.equal(nextOccurrence('0 9 * * 1', from)?.toISOString(), '2026-01-05T09:00:00.000Z');
    assert.equal(nextOccurrence('0 0 1 * *', from)?.toISOString(), '2026-02-01T00:00:00.000Z');
    assert.equal(
      nextOccurrence('*/15 * * * * *', from)?.toISOString(),
      '2026-01-01T10:00:15.000Z',
      'strictly after: an occurrence at `from` itself is not next',
    );
  });

  it('accepts 5- and 6-field expressions and refuses malformed ones', () => {
    assertValidCron('0 9 * * 1-5');
    assertValidCron('*/2 * * * * *');
    for (const bad of ['', 'every day', '61 * * * *', '* * * *', '0 0 31 2 *']) {
      assert.throws(
        () => {
          assertValidCron(bad);
        },
        CronExpressionError,
        bad,
      );
    }
  });
});
