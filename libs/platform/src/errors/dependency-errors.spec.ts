import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryFailedError } from 'typeorm';
import { isDependencyUnavailable } from './dependency-errors.js';

const withCode = (code: string, extra: object = {}) =>
  Object.assign(new Error(`failed: ${code}`), { code, ...extra });

describe('isDependencyUnavailable', () => {
  it('recognises AWS SDK timeouts, connection failures and service-side refusals', () => {
    const timeout = Object.assign(new Error('request timed out'), { name: 'TimeoutError' });
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ProvisionedThroughputExceededException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    const serverFault = Object.assign(new Error('oops'), {
      name: 'SomethingBroke',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    for (const error of [
      timeout,
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      new Error('socket hang up'),
      throttled,
      serverFault,
    ])
      assert.ok(isDependencyUnavailable(error), String(error));
  });

  it('recognises a lost or refused SQL connection, through TypeORM and causes', () => {
    const lost = withCode('PROTOCOL_CONNECTION_LOST', { fatal: true });
    const closed = Object.assign(
      new Error("Can't add new command when connection is in closed state"),
      {
        fatal: true,
      },
    );
    const wrapped = new QueryFailedError('INSERT ...', [], withCode('ECONNREFUSED'));
    const busy = Object.assign(new Error('database is locked'), {
      code: 'ERR_SQLITE_ERROR',
      errcode: 5,
    });
    const caused = new Error('transaction failed', { cause: lost });
    for (const error of [lost, closed, wrapped, busy, caused])
      assert.ok(isDependencyUnavailable(error), String(error));
  });

  it('leaves everything else alone', () => {
    const conditional = Object.assign(new Error('condition'), {
      name: 'ConditionalCheckFailedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    const duplicate = new QueryFailedError('INSERT ...', [], withCode('ER_DUP_ENTRY'));
    const constraint = Object.assign(new Error('UNIQUE constraint failed'), {
      code: 'ERR_SQLITE_ERROR',
      errcode: 2067,
    });
    for (const error of [
      conditional,
      duplicate,
      constraint,
      new Error('boom'),
      Object.assign(new Error('aborted'), { name: 'AbortError' }),
      'text',
      undefined,
    ])
      assert.equal(isDependencyUnavailable(error), false, String(error));
  });
});
