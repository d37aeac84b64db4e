import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentCorrelationId } from '../logging/correlation.js';
import { asDomainError, PROBLEM_CONTENT_TYPE, retryAfterSeconds, toProblem } from './problem.js';

/** The one global exception filter: every error leaves as `application/problem+json`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    sendProblem(error, request, response, this.logger);
  }
}

export function sendProblem(
  thrown: unknown,
  request: Request,
  response: Response,
  logger: Pick<Logger, 'error' | 'warn'>,
): void {
  const error = asDomainError(thrown);
  const problem = toProblem(error);
  problem.instance = request.originalUrl;
  const correlationId = currentCorrelationId();
  if (correlationId) problem.correlationId = correlationId;
  if (problem.status >= 500) {
    logger.error({ err: thrown, problem }, `${request.method} ${request.originalUrl} failed`);
  } else {
    logger.warn(
      { problem: { code: problem.code, status: problem.status, detail: problem.detail } },
      `${request.method} ${request.originalUrl} rejected`,
    );
  }
  if (response.headersSent) return;
  const retryAfter = retryAfterSeconds(error, problem.status);
  if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
  response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
