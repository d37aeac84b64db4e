import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { firstValueFrom, map, timer } from 'rxjs';
import type { AppConfig } from '#libs/config';
import {
  NoRequestDeadline,
  RequestDeadlineError,
  RequestDeadlineInterceptor,
} from './request-deadline.js';

class Controller {
  slow(): void {
    /* a handler */
  }
  @NoRequestDeadline('streams its body')
  upload(): void {
    /* an exempt handler */
  }
}

const contextOf = (handler: 'slow' | 'upload') =>
  ({
    getType: () => 'http',
    // eslint-disable-next-line @typescript-eslint/unbound-method -- a handler reference, as Nest passes it
    getHandler: () => Controller.prototype[handler],
    getClass: () => Controller,
    switchToHttp: () => ({ getRequest: () => ({ method: 'POST', path: '/x' }) }),
  }) as unknown as ExecutionContext;

const interceptor = new RequestDeadlineInterceptor(new Reflector(), {
  requestTimeoutMs: 50,
} as AppConfig);
const answerAfter = (ms: number) => ({ handle: () => timer(ms).pipe(map(() => 'done')) });

describe('RequestDeadlineInterceptor', () => {
  it('answers 503 (RequestDeadlineError) once a handler passes the deadline', async () => {
    const started = performance.now();
    await assert.rejects(
      firstValueFrom(interceptor.intercept(contextOf('slow'), answerAfter(2000))),
      (error: unknown) => error instanceof RequestDeadlineError && error.status === 503,
    );
    assert.ok(performance.now() - started < 1000);
  });

  it('lets a handler within the deadline answer', async () => {
    assert.equal(
      await firstValueFrom(interceptor.intercept(contextOf('slow'), answerAfter(5))),
      'done',
    );
  });

  it('leaves handlers marked @NoRequestDeadline alone', async () => {
    assert.equal(
      await firstValueFrom(interceptor.intercept(contextOf('upload'), answerAfter(120))),
      'done',
    );
  });
});
