import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { freePort } from '#emulator';
import { resolveMysqlCredentials } from '#libs/database';
import { aws, eventually, spawnNode, testConfig, testEnv } from './support/harness.js';
import { call, newUser } from './support/projects.js';

/** Creates a secret with the JSON shape RDS-managed secrets have. */
async function createRdsSecret(value: {
  username: string;
  password: string;
  host: string;
  port: number;
  dbname: string;
}): Promise<string> {
  const name = `${testConfig().prefix}/projects-db-${randomUUID()}`;
  await aws().secrets.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: JSON.stringify({ ...value, engine: 'mysql' }),
    }),
  );
  return name;
}

/** The test environment without DATABASE_URL (so only DB_SECRET_ID names the database). */
function envWithout(overrides: NodeJS.ProcessEnv, ...drop: string[]): NodeJS.ProcessEnv {
  const env = testEnv(overrides);
  for (const key of drop) Reflect.deleteProperty(env, key);
  return env;
}

const mysqlUrl = process.env.DATABASE_URL;

describe('database credentials from Secrets Manager (DB_SECRET_ID)', () => {
  it('reads the RDS secret, and the secret wins over DATABASE_URL', async () => {
    const password = `pw-${randomUUID()}`;
    const secretId = await createRdsSecret({
      username: 'from-secret',
      password,
      host: 'db.from-secret.internal',
      port: 3307,
      dbname: 'secretdb',
    });
    const credentials = await resolveMysqlCredentials(
      { url: 'mysql://from-url:url-password@db.from-url.internal:3306/urldb', secretId },
      aws().secrets,
    );
    assert.deepEqual(credentials, {
      host: 'db.from-secret.internal',
      port: 3307,
      username: 'from-secret',
      password,
      database: 'secretdb',
    });
  });

  it('never prints the password, even when the connection fails', async () => {
    const password = `never-log-${randomUUID()}`;
    const closedPort = await freePort();
    const secretId = await createRdsSecret({
      username: 'codecraft',
      password,
      host: '127.0.0.1',
      port: closedPort,
      dbname: 'codecraft',
    });
    const run = spawnNode(
      'dist/scripts/migrate.js',
      envWithout({ DB_SECRET_ID: secretId, LOG_LEVEL: 'trace' }, 'DATABASE_URL'),
    );
    assert.equal(await run.exited, 1, run.output());
    const output = run.output();
    assert.match(output, /Migration failed/);
    assert.match(output, new RegExp(String(closedPort)), 'it used the host and port of the secret');
    assert.ok(!output.includes(password), 'the password is not in the output');
  });

  it(
    'boots the API against MySQL with only DB_SECRET_ID, and logs no credential',
    { skip: !mysqlUrl && 'needs DATABASE_URL pointing at MySQL/MariaDB' },
    async () => {
      const url = new URL(mysqlUrl ?? '');
      const password = decodeURIComponent(url.password);
      const secretId = await createRdsSecret({
        username: decodeURIComponent(url.username),
        password,
        host: url.hostname,
        port: Number(url.port || 3306),
        dbname: url.pathname.slice(1),
      });
      const port = await freePort();
      const api = spawnNode(
        'dist/apps/api/src/main.js',
        envWithout(
          { DB_SECRET_ID: secretId, PORT: String(port), LOG_LEVEL: 'debug' },
          'DATABASE_URL',
        ),
      );
      try {
        await eventually(
          () => (api.output().includes('API listening') ? true : undefined),
          30_000,
          `API start:\n${api.output()}`,
        );
        const base = `http://127.0.0.1:${port}`;
        const ready = await fetch(`${base}/health/ready`);
        assert.equal(ready.status, 200, 'the database is reachable');
        const user = await newUser('secret');
        const created = await call(base, user, 'POST', '/projects', {
          body: { name: `Via secret ${randomUUID()}` },
        });
        assert.equal(created.status, 201, created.text);
        const read = await call(base, user, 'GET', `/projects/${String(created.body.id)}`);
        assert.equal(read.status, 200);
      } finally {
        api.child.kill('SIGTERM');
        await api.exited;
      }
      const output = api.output();
      assert.ok(output.length > 0);
      assert.ok(!output.includes(password), 'the database password is not logged');
      assert.ok(!output.includes(mysqlUrl ?? ''), 'nor is the URL that carries it');
    },
  );
});
