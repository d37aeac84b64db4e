import { AuthFlowType, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AppConfig } from '#libs/config';
import type { AwsClients } from './aws-clients.js';
import { findUserPoolClientId, findUserPoolId } from './manifest/bootstrap.js';
import { resourceManifest } from './manifest/resource-manifest.js';
import { ResourceNames } from './resource-names.js';

export interface DemoTokens {
  readonly accessToken: string;
  readonly idToken: string;
}

/** Signs the bootstrap's demo user in (emulator only: its password lives in Secrets Manager). */
export async function signInDemoUser(
  config: AppConfig,
  clients: Pick<AwsClients, 'cognito' | 'secrets'>,
): Promise<DemoTokens> {
  const names = new ResourceNames(config.prefix);
  const pool = resourceManifest.userPools[0];
  if (!pool) throw new Error('no user pool in the manifest');
  const poolId =
    config.auth.userPoolId ?? (await findUserPoolId(clients.cognito, names.userPool(pool.name)));
  if (!poolId) throw new Error('user pool not found: run npm run bootstrap first');
  const clientId =
    config.auth.clientId ?? (await findUserPoolClientId(clients.cognito, poolId, pool.clientName));
  if (!clientId) throw new Error('app client not found: run npm run bootstrap first');
  const secret = await clients.secrets.send(
    new GetSecretValueCommand({ SecretId: names.secret(pool.demoUser.secret) }),
  );
  const result = await clients.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
      ClientId: clientId,
      AuthParameters: { USERNAME: config.auth.demoUserEmail, PASSWORD: secret.SecretString ?? '' },
    }),
  );
  const accessToken = result.AuthenticationResult?.AccessToken;
  const idToken = result.AuthenticationResult?.IdToken;
  if (!accessToken || !idToken) throw new Error('Cognito returned no token');
  return { accessToken, idToken };
}
