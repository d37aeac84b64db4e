import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain.error.js';

/**
 * Deepest nesting of objects and arrays a JSON body may have: DynamoDB's own limit for an item's
 * attribute values, far beyond any body the API takes. Deeper bodies are refused at the door
 * rather than failing later (in JSON.stringify, or in the worker after the job was accepted).
 */
export const MAX_JSON_DEPTH = 32;

export class JsonTooDeepError extends DomainError {
  constructor(limit: number) {
    super('json-too-deep', 400, 'JSON nested too deeply', {
      detail: `The body nests objects or arrays deeper than ${limit} levels`,
      extensions: { maxDepth: limit },
    });
  }
}

/** True when `value` nests objects/arrays deeper than `limit` (iterative: no stack overflow). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > limit) return true;
    for (const child of Object.values(next.value)) stack.push({ value: child, depth });
  }
  return false;
}

/** Express middleware, after the JSON body parser: 400 problem+json for a too deep body. */
export function jsonDepthLimit(limit = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(nestsDeeperThan(req.body, limit) ? new JsonTooDeepError(limit) : undefined);
  };
}
