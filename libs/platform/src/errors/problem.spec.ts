import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConflictError, ServiceUnavailableError, ValidationError } from './domain.error.js';
import { sendProblem } from './problem-details.filter.js';
import { retryAfterSeconds, toProblem } from './problem.js';

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

  it('answers 503 for a dependency that timed out or is unreachable, without its details', () => {
    const timeout = Object.assign(new Error('connect to 10.0.0.7:443 timed out'), {
      name: 'TimeoutError',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:3306'), {
      code: 'ECONNREFUSED',
    });
    for (const error of [timeout, refused]) {
      const problem = toProblem(error);
      assert.equal(problem.status, 503);
      assert.equal(problem.code, 'dependency-unavailable');
      assert.doesNotMatch(JSON.stringify(problem), /10\.0\.0\.7/);
    }
  });

  it('keeps the status of errors that carry one (a client that aborted its upload)', () => {
    const aborted = Object.assign(new Error('request aborted'), {
      status: 400,
      code: 'ECONNRESET',
      type: 'request.aborted',
    });
    assert.equal(toProblem(aborted).status, 400);
  });

  it('names a Retry-After for 503 and 429 only', () => {
    assert.equal(retryAfterSeconds(new Error('x'), 503), 5);
    assert.equal(retryAfterSeconds(new ServiceUnavailableError('down', undefined, 30), 503), 30);
    assert.equal(retryAfterSeconds(new Error('x'), 429), 1);
    assert.equal(retryAfterSeconds(new ConflictError('x'), 409), undefined);
  });
});

describe('sendProblem', () => {
  function capture(error: unknown) {
    const headers: Record<string, string> = {};
    const sent: { status?: number; type?: string; body?: string } = {};
    const response = {
      headersSent: false,
      setHeader(name: string, value: string) {
        headers[name.toLowerCase()] = value;
        return this;
      },
      status(code: number) {
        sent.status = code;
        return this;
      },
      type(value: string) {
        sent.type = value;
        return this;
      },
      send(body: string) {
        sent.body = body;
        return this;
      },
    };
    const logger = { error: () => undefined, warn: () => undefined };
    sendProblem(
      error,
      { method: 'POST', originalUrl: '/jobs' } as Request,
      response as unknown as Response,
      logger,
    );
    return { headers, sent };
  }

  it('sends 503 problem+json with Retry-After for an SDK timeout', () => {
    const { headers, sent } = capture(
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
    );
    assert.equal(sent.status, 503);
    assert.equal(sent.type, 'application/problem+json');
    assert.equal(headers['retry-after'], '5');
    assert.equal(
      (JSON.parse(sent.body ?? '{}') as { code?: string }).code,
      'dependency-unavailable',
    );
  });

  it('sends no Retry-After with other statuses', () => {
    assert.equal(capture(new ConflictError('taken')).headers['retry-after'], undefined);
  });
});
