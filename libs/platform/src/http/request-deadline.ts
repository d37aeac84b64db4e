import {
  Injectable,
  Logger,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { throwError, timeout, type Observable } from 'rxjs';
import { AppConfig } from '#libs/config';
import { ServiceUnavailableError } from '../errors/domain.error.js';

const NO_REQUEST_DEADLINE = 'codecraft:no-request-deadline';

/**
 * Exempts a handler from HTTP_REQUEST_TIMEOUT_MS, saying why: one whose duration is the bytes it
 * moves (a streamed upload, a large object read), bounded instead by the AWS transfer timeout
 * and the server's own request timeout.
 */
export const NoRequestDeadline = (reason: string) => SetMetadata(NO_REQUEST_DEADLINE, reason);

/** The handler did not answer within HTTP_REQUEST_TIMEOUT_MS. */
export class RequestDeadlineError extends ServiceUnavailableError {
  constructor(deadlineMs: number) {
    super(
      `The request did not finish within ${deadlineMs} ms: a service it needs is slow or not answering; try again after the Retry-After delay (a write may still have been applied: repeat it with the same Idempotency-Key)`,
    );
  }
}

/**
 * Every handler answers within HTTP_REQUEST_TIMEOUT_MS, whatever it waits on: each AWS call has
 * its own timeouts, but a SQL server that accepts connections and never answers (frozen, not
 * stopped) would otherwise hold the request as long as it lasts. Past the deadline the client
 * gets 503 problem+json with Retry-After; the handler's work is abandoned, not undone.
 */
@Injectable()
export class RequestDeadlineInterceptor implements NestInterceptor {
  private readonly logger = new Logger('RequestDeadline');
  private readonly deadlineMs: number;

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    this.deadlineMs = config.requestTimeoutMs;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const exempt = this.reflector.getAllAndOverride<string | undefined>(NO_REQUEST_DEADLINE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (exempt !== undefined || context.getType() !== 'http') return next.handle();
    return next.handle().pipe(
      timeout({
        first: this.deadlineMs,
        with: () => {
          const { method, path } = context
            .switchToHttp()
            .getRequest<{ method: string; path: string }>();
          this.logger.warn(
            { method, path, deadlineMs: this.deadlineMs },
            'Request deadline passed',
          );
          return throwError(() => new RequestDeadlineError(this.deadlineMs));
        },
      }),
    );
  }
}
