import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, normalizeIp, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { TooManyRequestsError } from '../errors/domain.error.js';

/**
 * The throttler's guard, per caller rather than per route: a verified user (the AuthGuard runs
 * first and sets the principal) is counted by its `sub`, anyone else (public routes) by client
 * address. Keys are hashed, so the counter table holds no user id or address. Over the limit:
 * 429 problem+json with Retry-After (the ProblemDetailsFilter writes both).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as unknown as AuthenticatedRequest).principal;
    if (principal) return Promise.resolve(`user:${principal.sub}`);
    const ip = typeof req.ip === 'string' ? req.ip : '';
    return Promise.resolve(`ip:${normalizeIp(ip, this.ipv6SubnetPrefix)}`);
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return createHash('sha256').update(`${name}:${tracker}`).digest('base64url');
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new TooManyRequestsError(
      detail.limit,
      Math.round(detail.ttl / 1000),
      detail.timeToBlockExpire,
    );
  }
}
