import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AuthFlowType,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AppConfig } from '#libs/config';
import type { AwsClients } from './aws-clients.js';
import { isAwsError } from './aws-errors.js';
import { ResourceNames } from './resource-names.js';
import { USER_POOL } from './shared.resources.js';
import { findUserPoolClientId, findUserPoolId } from './user-pool-lookup.js';

export interface UserTokens {
  readonly accessToken: string;
  readonly idToken: string;
}

export interface UserPoolIds {
  readonly poolId: string;
  readonly clientId: string;
}

/** The manifest's user pool and app client: from config when set, else looked up by name. */
export async function resolveUserPool(
  config: AppConfig,
  cognito: CognitoIdentityProviderClient,
): Promise<UserPoolIds> {
  const pool = USER_POOL;
  const names = new ResourceNames(config.prefix);
  const poolId =
    config.auth.userPoolId ?? (await findUserPoolId(cognito, names.userPool(pool.name)));
  if (!poolId) throw new Error('user pool not found: run npm run bootstrap first');
  const clientId =
    config.auth.clientId ?? (await findUserPoolClientId(cognito, poolId, pool.clientName));
  if (!clientId) throw new Error('app client not found: run npm run bootstrap first');
  return { poolId, clientId };
}

/**
 * Creates a confirmed user (e-mail as username) with a permanent password and group memberships,
 * unless it exists. Returns true when it created the user. Emulators and tests only.
 */
export async function ensureUser(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  user: { email: string; password: string; groups: readonly string[] },
): Promise<boolean> {
  const exists = await cognito
    .send(new AdminGetUserCommand({ UserPoolId: poolId, Username: user.email }))
    .then(() => true)
    .catch((error: unknown) => {
      if (isAwsError(error, 'UserNotFoundException')) return false;
      throw error;
    });
  if (exists) return false;
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: user.email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await setPassword(cognito, poolId, user.email, user.password);
  for (const group of user.groups) {
    await cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: poolId,
        Username: user.email,
        GroupName: group,
      }),
    );
  }
  return true;
}

export async function setPassword(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  email: string,
  password: string,
): Promise<void> {
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
}

/** USER_PASSWORD_AUTH sign-in; returns the access and ID tokens. */
export async function signIn(
  cognito: CognitoIdentityProviderClient,
  clientId: string,
  email: string,
  password: string,
): Promise<UserTokens> {
  const result = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
      ClientId: clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const accessToken = result.AuthenticationResult?.AccessToken;
  const idToken = result.AuthenticationResult?.IdToken;
  if (!accessToken || !idToken) throw new Error('Cognito returned no token');
  return { accessToken, idToken };
}

/** Signs the bootstrap's demo user in (emulator only: its password lives in Secrets Manager). */
export async function signInDemoUser(
  config: AppConfig,
  clients: Pick<AwsClients, 'cognito' | 'secrets'>,
): Promise<UserTokens> {
  const pool = USER_POOL;
  const { clientId } = await resolveUserPool(config, clients.cognito);
  const names = new ResourceNames(config.prefix);
  const secret = await clients.secrets.send(
    new GetSecretValueCommand({ SecretId: names.secret(pool.demoUser.secret) }),
  );
  return signIn(clients.cognito, clientId, config.auth.demoUserEmail, secret.SecretString ?? '');
}
