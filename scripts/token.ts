import { createAwsClients, destroyAwsClients, signInDemoUser } from '#libs/aws';
import { loadConfigOrExit } from '#libs/config';

/**
 * npm run token: signs the emulator's demo user in and prints an access token for
 * `Authorization: Bearer ...`. `npm run token -- --id` prints the ID token (it carries the e-mail).
 */
const config = loadConfigOrExit();
const clients = createAwsClients(config.aws);
try {
  const tokens = await signInDemoUser(config, clients);
  process.stdout.write(`${process.argv.includes('--id') ? tokens.idToken : tokens.accessToken}\n`);
} catch (error) {
  console.error('Could not get a token:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  destroyAwsClients(clients);
}
