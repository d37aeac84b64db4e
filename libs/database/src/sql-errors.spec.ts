import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryFailedError } from 'typeorm';
import { escapeLike, isUniqueViolation } from './sql-errors.js';

describe('escapeLike', () => {
  it('escapes LIKE wildcards and the escape character itself', () => {
    assert.equal(escapeLike('100%_done!'), '100!%!_done!!');
  });

  it('leaves quotes, backslashes and SQL keywords alone (they travel as bound parameters)', () => {
    assert.equal(escapeLike(`'); DROP TABLE x;-- \\`), `'); DROP TABLE x;-- \\`);
  });
});

describe('isUniqueViolation', () => {
  const failed = (driverError: object) => new QueryFailedError('INSERT', [], driverError as Error);

  it('recognises MySQL/MariaDB and SQLite duplicate keys', () => {
    assert.ok(isUniqueViolation(failed({ code: 'ER_DUP_ENTRY', errno: 1062, message: 'dup' })));
    assert.ok(
      isUniqueViolation(failed(new Error('UNIQUE constraint failed: projects.owner, projects.x'))),
    );
  });

  it('ignores other failures', () => {
    assert.ok(!isUniqueViolation(failed({ code: 'ER_NO_SUCH_TABLE', message: 'nope' })));
    assert.ok(!isUniqueViolation(new Error('UNIQUE constraint failed')), 'not a query error');
  });
});
