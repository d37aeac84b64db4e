import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '#emulator';
import { createAwsClients, destroyAwsClients, signInDemoUser } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { eventually } from '../e2e/support/harness.js';

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

/**
 * The laptop mode exactly as a newcomer meets it: `npm run dev` from nothing starts its own moto
 * (this is the one test that lets an emulator be started for it, because starting one is what it
 * tests), and Ctrl-C in a terminal signals the whole foreground process group.
 */
describe('npm run dev', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'dev-kit-'));
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('starts fresh, serves the API and worker, and Ctrl-C drains every process', async () => {
    const apiPort = await freePort();
    const emulatorPort = await freePort();
    const sqlitePath = join(scratch, 'data', 'dev.sqlite');
    // A database file left by an earlier run: its moto is gone, so the file must go too.
    mkdirSync(dirname(sqlitePath), { recursive: true });
    writeFileSync(sqlitePath, 'stale data from a previous npm run dev, not a database');
    // No AWS endpoint and no e2e guard: the dev kit must start its own emulator.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !key.startsWith('AWS_ENDPOINT_URL') && key !== 'CODECRAFT_E2E_ENDPOINTS_GIVEN',
      ),
    );
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      NODE_ENV: 'development',
      PORT: String(apiPort),
      EMULATOR_PORT: String(emulatorPort),
      SQLITE_PATH: sqlitePath,
      RESOURCE_PREFIX: 'devkit',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: '10000',
    };
    delete env.DATABASE_URL; // the embedded database

    // Its own process group, like a shell's foreground job.
    const dev = spawn(process.execPath, ['scripts/dev.mjs'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    dev.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => dev.on('exit', resolve));
    try {
      await eventually(
        () => (output.includes('CodeCraft is running') ? true : undefined),
        150_000,
        'the dev kit to start',
      );
      assert.match(output, /fresh emulator, fresh SQLite file/);
      assert.match(output, new RegExp(`Swagger UI\\s+http://localhost:${apiPort}/docs`));
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
        () => (output.includes('worker started') ? true : undefined),
        30_000,
        'the worker',
      );

      // Ctrl-C as a terminal sends it: SIGINT to every process of the foreground group.
      process.kill(-(dev.pid ?? 0), 'SIGINT');
      assert.equal(await exited, 0, output.slice(-3000));
      assert.doesNotMatch(output, /again: exiting without waiting/, 'one signal per process');
      assert.match(output, /\[worker\].*shutdown complete/, 'the worker drained and closed');
      assert.match(output, /\[api\].*shutdown complete/, 'the API closed');
      assert.match(output, /all processes stopped/);
      assert.equal(await listening(apiPort), false, 'API stopped');
      assert.equal(await listening(emulatorPort), false, 'moto stopped');
    } finally {
      if (dev.exitCode === null) process.kill(-(dev.pid ?? 0), 'SIGKILL');
    }
  });
});
