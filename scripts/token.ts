import { AuthFlowType, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { createAwsClients, destroyAwsClients, findUserPoolClientId, findUserPoolId, ResourceNames, resourceManifest } from '#libs/aws';
import { loadConfigOrExit } from '#libs/config';

/**
 * npm run token: signs the demo user in (emulator) and prints an access token for
 * `Authorization: Bearer ...`. `npm run token -- --id` prints the ID token instead.
 */
const config = loadConfigOrExit();
const clients = createAwsClients(config.aws);
const names = new ResourceNames(config.prefix);
try {
  const pool = resourceManifest.userPools[0];
  if (!pool) throw new Error('no user pool in the manifest');
  const poolId = config.auth.userPoolId ?? (await findUserPoolId(clients.cognito, names.userPool(pool.name)));
  if (!poolId) throw new Error('user pool not found: run npm run bootstrap first');
  const clientId = config.auth.clientId ?? (await findUserPoolClientId(clients.cognito, poolId, pool.clientName));
  if (!clientId) throw new Error('app client not found: run npm run bootstrap first');
  const secret = await clients.secrets.send(new GetSecretValueCommand({ SecretId: names.secret(pool.demoUser.secret) }));
  const result = await clients.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
      ClientId: clientId,
      AuthParameters: { USERNAME: config.auth.demoUserEmail, PASSWORD: secret.SecretString ?? '' },
    }),
  );
  const token = process.argv.includes('--id') ? result.AuthenticationResult?.IdToken : result.AuthenticationResult?.AccessToken;
  if (!token) throw new Error('Cognito returned no token');
  process.stdout.write(`${token}\n`);
} catch (error) {
  console.error('Could not get a token:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  destroyAwsClients(clients);
}
