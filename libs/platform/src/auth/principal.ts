import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The authenticated caller, taken from a verified Cognito JWT. */
export interface Principal {
  /** Cognito `sub`: stable user id, used as the owner of resources. */
  readonly sub: string;
  readonly username: string;
  readonly email: string | undefined;
  readonly groups: readonly string[];
}

export const ADMIN_GROUP = 'admin';

export function isAdmin(principal: Principal): boolean {
  return principal.groups.includes(ADMIN_GROUP);
}

export const IS_PUBLIC = Symbol('codecraft:public');
/** Opts a route or controller out of authentication (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const REQUIRED_GROUPS = Symbol('codecraft:groups');
/** Restricts a route to members of one of the groups (e.g. `@RequireGroups('admin')`). */
export const RequireGroups = (...groups: string[]) => SetMetadata(REQUIRED_GROUPS, groups);

export type AuthenticatedRequest = Request & { principal?: Principal };

/** Injects the authenticated Principal into a handler parameter. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!request.principal) throw new Error('CurrentUser used on a route without authentication');
    return request.principal;
  },
);
