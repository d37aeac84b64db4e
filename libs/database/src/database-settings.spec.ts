import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AppConfig } from '#libs/config';
import { databaseEngine, dataSourceOptions } from './database-settings.js';

const secrets = {
  send: () => Promise.resolve({ SecretString: JSON.stringify({ host: 'db', password: 's3cret' }) }),
} as unknown as SecretsManagerClient;

interface Loaded {
  type: string;
  driver: boolean;
  nodeSqlite: boolean;
}

describe('dataSourceOptions', () => {
  it('builds MySQL options from DATABASE_URL, overlaid by the DB_SECRET_ID secret', async () => {
    const options = await dataSourceOptions(
      AppConfig.fromEnv({ DATABASE_URL: 'mysql://app:pw@mysql:3307/codecraft', DB_SECRET_ID: 'x' }),
      secrets,
    );
    assert.equal(options.type, 'mysql');
    assert.equal(databaseEngine(options), 'mysql');
    assert.deepEqual(
      {
        host: options.host,
        port: options.port,
        username: options.username,
        password: options.password,
      },
      { host: 'db', port: 3307, username: 'app', password: 's3cret' },
    );
  });

  it('names the embedded engine sqlite (node:sqlite)', async () => {
    const options = await dataSourceOptions(
      AppConfig.fromEnv({ SQLITE_PATH: 'x.sqlite' }),
      secrets,
    );
    assert.equal(databaseEngine(options), 'sqlite (node:sqlite)');
  });

  it('loads neither node:sqlite nor the SQLite adapter when MySQL is configured', () => {
    // A fresh process (this one has loaded the adapter). The resolve hook sees every import, the
    // adapter's among them; moduleLoadList lists the built-ins Node has loaded.
    const script = `
      import { registerHooks } from 'node:module';
      const resolved = [];
      registerHooks({
        resolve(specifier, context, next) {
          const result = next(specifier, context);
          resolved.push(result.url);
          return result;
        },
      });
      const loaded = (type) => ({
        type,
        driver: resolved.some((url) => url.endsWith('/node-sqlite.driver.js')),
        nodeSqlite: resolved.includes('node:sqlite') ||
          process.moduleLoadList.includes('NativeModule sqlite'),
      });
      const { dataSourceOptions } = await import('#libs/database');
      const { AppConfig } = await import('#libs/config');
      const secrets = { send: async () => ({ SecretString: '{"host":"db"}' }) };
      const results = [];
      for (const env of [
        { DATABASE_URL: 'mysql://u:p@db:3306/app' },
        { DB_SECRET_ID: 'codecraft/db' },
      ]) {
        results.push(loaded((await dataSourceOptions(AppConfig.fromEnv(env), secrets)).type));
      }
      // The control: the SQLite configuration does load both, so the probes see them.
      results.push(loaded((await dataSourceOptions(AppConfig.fromEnv({}), secrets)).type));
      console.log(JSON.stringify(results));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 0, result.stderr);
    const results = JSON.parse(result.stdout.trim().split('\n').pop() ?? '[]') as Loaded[];
    assert.deepEqual(results, [
      { type: 'mysql', driver: false, nodeSqlite: false },
      { type: 'mysql', driver: false, nodeSqlite: false },
      { type: 'better-sqlite3', driver: true, nodeSqlite: true },
    ]);
  });
});
