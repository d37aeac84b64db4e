import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ConflictError, ValidationError } from './domain.error.js';
import { toProblem } from './problem.js';

describe('toProblem', () => {
  it('maps a domain error with its code and extensions', () => {
    const problem = toProblem(new ConflictError('name taken', { field: 'name' }));
    assert.deepEqual(problem, {
      type: '/problems/conflict',
      title: 'Conflict',
      status: 409,
      code: 'conflict',
      detail: 'name taken',
      field: 'name',
    });
  });

  it('keeps every validation message from the ValidationPipe', () => {
    const problem = toProblem(
      new BadRequestException(['name must be a string', 'age must be positive']),
    );
    assert.equal(problem.status, 400);
    assert.deepEqual(problem.errors, ['name must be a string', 'age must be positive']);
  });

  it('maps Nest HTTP exceptions', () => {
    assert.equal(toProblem(new NotFoundException('Cannot GET /x')).code, 'not-found');
    assert.equal(toProblem(new PayloadTooLargeException()).status, 413);
    assert.equal(toProblem(new ValidationError('bad', [{ field: 'a', message: 'b' }])).status, 422);
  });

  it('maps body-parser errors to client errors', () => {
    assert.deepEqual(
      [
        toProblem({
          status: 400,
          type: 'entity.parse.failed',
          expose: true,
          message: 'Unexpected token',
        }).code,
      ],
      ['malformed-body'],
    );
    assert.equal(
      toProblem({ status: 413, type: 'entity.too.large', expose: true, message: 'too large' })
        .status,
      413,
    );
  });

  it('never lets an extension override the core members', () => {
    const problem = toProblem(
      new ConflictError('busy', { status: 'RUNNING', type: 'x', code: 'y' }),
    );
    assert.equal(problem.status, 409);
    assert.equal(problem.code, 'conflict');
    assert.equal(problem.type, '/problems/conflict');
  });

  it('never leaks the message of an unexpected error', () => {
    const problem = toProblem(new Error('password=hunter2 in connection string'));
    assert.equal(problem.status, 500);
    assert.doesNotMatch(JSON.stringify(problem), /hunter2/);
  });
});
