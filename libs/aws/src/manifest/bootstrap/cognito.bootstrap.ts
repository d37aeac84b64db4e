import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetGroupCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isAwsError } from '../../aws-errors.js';
import { ensureUser } from '../../cognito-users.js';
import type { ResourceNames } from '../../resource-names.js';
import { findUserPoolClientId, findUserPoolId } from '../../user-pool-lookup.js';
import type { UserPoolSpec } from '../manifest.types.js';
import { required, type StepLog } from './bootstrap-support.js';

export interface DemoUser {
  readonly email: string;
}

/**
 * User pools with their app client and groups; on emulators also the demo user, whose password
 * the secrets step generated (so secrets come first).
 */
export class CognitoUserPools {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly secrets: SecretsManagerClient,
    private readonly names: ResourceNames,
    private readonly log: StepLog,
  ) {}

  async ensure(spec: UserPoolSpec, demoUser: DemoUser | undefined): Promise<void> {
    const name = this.names.userPool(spec.name);
    const poolId = await this.ensurePool(name);
    await this.ensureClient(name, poolId, spec.clientName);
    for (const group of spec.groups) await this.ensureGroup(name, poolId, group);
    if (demoUser) await this.ensureDemoUser(poolId, spec, demoUser.email);
  }

  private async ensurePool(name: string): Promise<string> {
    const existing = await findUserPoolId(this.cognito, name);
    if (existing) {
      this.log.record('user-pool', name, 'unchanged');
      return existing;
    }
    const created = await this.cognito.send(
      new CreateUserPoolCommand({
        PoolName: name,
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: false,
          },
        },
      }),
    );
    this.log.record('user-pool', name, 'created');
    return required(created.UserPool?.Id, 'UserPool.Id');
  }

  private async ensureClient(pool: string, poolId: string, clientName: string): Promise<void> {
    const clientId = await findUserPoolClientId(this.cognito, poolId, clientName);
    if (!clientId) {
      await this.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: clientName,
          GenerateSecret: false,
          ExplicitAuthFlows: [
            'ALLOW_USER_PASSWORD_AUTH',
            'ALLOW_USER_SRP_AUTH',
            'ALLOW_REFRESH_TOKEN_AUTH',
          ],
        }),
      );
    }
    this.log.record(
      'user-pool-client',
      `${pool}/${clientName}`,
      clientId ? 'unchanged' : 'created',
    );
  }

  private async ensureGroup(pool: string, poolId: string, group: string): Promise<void> {
    const exists = await this.cognito
      .send(new GetGroupCommand({ UserPoolId: poolId, GroupName: group }))
      .then(() => true)
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return false;
        throw error;
      });
    if (!exists)
      await this.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
    this.log.record('user-group', `${pool}/${group}`, exists ? 'unchanged' : 'created');
  }

  private async ensureDemoUser(poolId: string, spec: UserPoolSpec, email: string): Promise<void> {
    const secret = await this.secrets.send(
      new GetSecretValueCommand({ SecretId: this.names.secret(spec.demoUser.secret) }),
    );
    const created = await ensureUser(this.cognito, poolId, {
      email,
      password: required(secret.SecretString, 'demo user secret'),
      groups: spec.demoUser.groups,
    });
    this.log.record('demo-user', email, created ? 'created' : 'unchanged');
  }
}
