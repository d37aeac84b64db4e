import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnNode, testEnv } from './support/harness.js';

describe('boot-time configuration validation', () => {
  for (const app of ['api', 'worker']) {
    it(`the ${app} refuses to start and names every bad variable`, async () => {
      const run = spawnNode(
        `dist/apps/${app}/src/main.js`,
        testEnv({ PORT: 'http', AWS_REGION: 'nowhere', LOG_LEVEL: 'chatty' }),
      );
      assert.equal(await run.exited, 1);
      const output = run.output();
      assert.match(output, /Invalid configuration/);
      for (const name of ['PORT', 'AWS_REGION', 'LOG_LEVEL'])
        assert.match(output, new RegExp(`${name}:`));
    });
  }

  it('refuses AUTH_MODE=off when NODE_ENV=production', async () => {
    const run = spawnNode(
      'dist/apps/api/src/main.js',
      testEnv({
        NODE_ENV: 'production',
        AUTH_MODE: 'off',
        DATABASE_URL: 'mysql://u:p@127.0.0.1:9/x',
      }),
    );
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /AUTH_MODE=off is refused when NODE_ENV=production/);
  });
});
