import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '#libs/config';
import { DomainError, ServiceUnavailableError } from '../errors/domain.error.js';
import {
  IS_PUBLIC,
  REQUIRED_GROUPS,
  type AuthenticatedRequest,
  type Principal,
} from './principal.js';
import { InvalidTokenError, TokenVerifier } from './token-verifier.js';

export class UnauthorizedError extends DomainError {
  constructor(detail: string) {
    super('unauthorized', 401, 'Authentication required', { detail });
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail: string) {
    super('forbidden', 403, 'Forbidden', { detail });
  }
}

/** Local experiments only (AUTH_MODE=off, refused in production): every caller is this user. */
export const LOCAL_PRINCIPAL: Principal = {
  sub: 'local-user',
  username: 'local-user',
  email: undefined,
  groups: ['admin'],
};

/** Global guard: every route needs a valid Cognito bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await this.authenticate(request);
    const groups = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_GROUPS, targets);
    if (groups && !groups.some((g) => request.principal?.groups.includes(g))) {
      throw new ForbiddenError(`This operation needs membership of: ${groups.join(', ')}`);
    }
    return true;
  }

  private async authenticate(request: AuthenticatedRequest): Promise<Principal> {
    if (this.config.auth.mode === 'off') return LOCAL_PRINCIPAL;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const token = match?.[1];
    if (!token) throw new UnauthorizedError('Send an Authorization: Bearer <Cognito JWT> header');
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError)
        throw new UnauthorizedError(`Invalid token: ${error.message}`);
      this.logger.error({ err: error }, 'Token verification unavailable');
      throw new ServiceUnavailableError('The identity provider cannot be reached', error);
    }
  }
}
