import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '#emulator';
import { createAwsClients, destroyAwsClients, signInDemoUser } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { eventually, spawnNode } from './support/harness.js';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

describe('npm run dev', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'dev-kit-'));
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('starts moto, bootstraps, serves the API and worker, and Ctrl-C stops every process', async () => {
    const apiPort = await freePort();
    const emulatorPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(apiPort),
      EMULATOR_PORT: String(emulatorPort),
      SQLITE_PATH: join(scratch, 'dev.sqlite'),
      RESOURCE_PREFIX: 'devkit',
      LOG_LEVEL: 'info',
    };
    delete env.AWS_ENDPOINT_URL; // the dev kit must start its own emulator
    delete env.DATABASE_URL; // and use the embedded database
    const { child: dev, output, exited } = spawnNode('scripts/dev.mjs', env);
    try {
      await eventually(
        () => (output().includes('CodeCraft is running') ? true : undefined),
        150_000,
        'the dev kit to start',
      );
      assert.match(output(), new RegExp(`Swagger UI\\s+http://localhost:${apiPort}/docs`));
      assert.equal((await fetch(`http://127.0.0.1:${apiPort}/health/ready`)).status, 200);

      const endpoint = `http://127.0.0.1:${emulatorPort}`;
      const config = AppConfig.fromEnv({ AWS_ENDPOINT_URL: endpoint, RESOURCE_PREFIX: 'devkit' });
      const clients = createAwsClients(config.aws);
      const { accessToken } = await signInDemoUser(config, clients);
      destroyAwsClients(clients);
      const me = await fetch(`http://127.0.0.1:${apiPort}/me`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      assert.equal(me.status, 200);
      await eventually(
        () => (output().includes('worker started') ? true : undefined),
        30_000,
        'the worker',
      );

      dev.kill('SIGINT');
      assert.equal(await exited, 0, output().slice(-2000));
      assert.match(output(), /all processes stopped/);
      assert.equal(await listening(apiPort), false, 'API stopped');
      assert.equal(await listening(emulatorPort), false, 'moto stopped');
    } finally {
      if (dev.exitCode === null) dev.kill('SIGKILL');
    }
  });
});
