import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_HEADER, normalizeCorrelationId, withCorrelationId } from './correlation.js';

/**
 * Express middleware, installed first: adopts the caller's X-Correlation-Id (or mints one), echoes
 * it on the response and runs the rest of the request inside its async context.
 */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const id = normalizeCorrelationId(req.headers[CORRELATION_HEADER]);
  req.headers[CORRELATION_HEADER] = id;
  res.setHeader(CORRELATION_HEADER, id);
  withCorrelationId(id, next);
}
