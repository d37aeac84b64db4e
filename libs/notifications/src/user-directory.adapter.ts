import { Injectable } from '@nestjs/common';
import {
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AppConfig } from '#libs/config';
import { findUserPoolId, ResourceNames, resourceManifest } from '#libs/aws';

export interface DirectoryUser {
  readonly sub: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  readonly enabled: boolean;
}

/**
 * Looks users up in the Cognito user pool by `sub` (ListUsers with a `sub = "..."` filter). Access
 * tokens carry no e-mail, so addresses are resolved here, at send time: always current, and no
 * copy of personal data in SQL.
 */
@Injectable()
export class UserDirectory {
  private poolId: Promise<string> | undefined;

  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly config: AppConfig,
    private readonly names: ResourceNames,
  ) {}

  async findBySub(sub: string): Promise<DirectoryUser | undefined> {
    // A sub is a UUID; refusing anything else keeps the filter expression well-formed.
    if (!/^[\w-]{1,128}$/.test(sub)) return undefined;
    const result = await this.cognito.send(
      new ListUsersCommand({ UserPoolId: await this.userPoolId(), Filter: `sub = "${sub}"` }),
    );
    const user = result.Users?.[0];
    if (!user) return undefined;
    const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
    return {
      sub,
      email: attribute('email'),
      emailVerified: attribute('email_verified') === 'true',
      enabled: user.Enabled !== false,
    };
  }

  private userPoolId(): Promise<string> {
    this.poolId ??= this.lookUpPoolId().catch((error: unknown) => {
      this.poolId = undefined;
      throw error;
    });
    return this.poolId;
  }

  private async lookUpPoolId(): Promise<string> {
    if (this.config.auth.userPoolId) return this.config.auth.userPoolId;
    const pool = resourceManifest.userPools[0];
    if (!pool) throw new Error('The resource manifest declares no user pool');
    const id = await findUserPoolId(this.cognito, this.names.userPool(pool.name));
    if (!id) throw new Error(`User pool ${this.names.userPool(pool.name)} not found`);
    return id;
  }
}
