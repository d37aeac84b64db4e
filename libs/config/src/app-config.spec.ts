import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppConfig, ConfigError } from './app-config.js';

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    AppConfig.fromEnv(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('AppConfig', () => {
  it('applies defaults to an empty environment', () => {
    const config = AppConfig.fromEnv({});
    assert.equal(config.port, 3000);
    assert.equal(config.prefix, 'codecraft');
    assert.equal(config.aws.region, 'us-east-1');
    assert.equal(config.aws.endpoint, undefined);
    assert.equal(config.aws.credentials, undefined, 'real AWS uses the default credential chain');
    assert.deepEqual(config.database, { kind: 'sqlite', path: 'data/codecraft.sqlite' });
    assert.equal(config.auth.mode, 'cognito');
    assert.equal(config.migrationsRun, true);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      AWS_REGION: 'moon',
      RESOURCE_PREFIX: 'Bad_Prefix',
      DATABASE_URL: 'postgres://x',
      LOG_LEVEL: 'loud',
    });
    const named = problems.map((p) => p.split(':')[0]);
    assert.deepEqual(
      new Set(named),
      new Set(['PORT', 'AWS_REGION', 'RESOURCE_PREFIX', 'DATABASE_URL', 'LOG_LEVEL']),
    );
    assert.match(problems.join('\n'), /AWS_REGION: must look like eu-west-1/);
  });

  it('refuses AUTH_MODE=off in production', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      AUTH_MODE: 'off',
      DATABASE_URL: 'mysql://u:p@db:3306/app',
    });
    assert.deepEqual(problems, ['AUTH_MODE: AUTH_MODE=off is refused when NODE_ENV=production']);
  });

  it('bounds every AWS call: connect and request timeouts, three attempts', () => {
    const { timeouts } = AppConfig.fromEnv({}).aws;
    assert.deepEqual(timeouts, {
      connectMs: 1000,
      requestMs: 3000,
      transferMs: 60_000,
      maxAttempts: 3,
      callBoundMs: 3 * 3000 + 3000,
    });
    const tuned = AppConfig.fromEnv({
      AWS_CONNECT_TIMEOUT_MS: '200',
      AWS_REQUEST_TIMEOUT_MS: '800',
    });
    assert.equal(tuned.aws.timeouts.callBoundMs, 3 * 800 + 3000);
  });

  it('refuses a connect timeout over the request timeout, and a transfer timeout under it', () => {
    assert.deepEqual(
      problemsOf({ AWS_CONNECT_TIMEOUT_MS: '5000', AWS_REQUEST_TIMEOUT_MS: '2000' }).map(
        (p) => p.split(':')[0],
      ),
      ['AWS_CONNECT_TIMEOUT_MS'],
    );
    assert.deepEqual(
      problemsOf({ AWS_REQUEST_TIMEOUT_MS: '5000', AWS_TRANSFER_TIMEOUT_MS: '4000' }).map(
        (p) => p.split(':')[0],
      ),
      ['AWS_TRANSFER_TIMEOUT_MS'],
    );
    assert.match(problemsOf({ AWS_REQUEST_TIMEOUT_MS: '0' }).join(), /AWS_REQUEST_TIMEOUT_MS/);
  });

  it('allows AUTH_MODE=off outside production', () => {
    assert.equal(AppConfig.fromEnv({ AUTH_MODE: 'off' }).auth.mode, 'off');
  });

  it('requires a real database in production', () => {
    assert.match(problemsOf({ NODE_ENV: 'production' }).join(), /DATABASE_URL/);
  });

  it('treats empty strings as unset', () => {
    assert.equal(AppConfig.fromEnv({ PORT: '', AWS_ENDPOINT_URL: '' }).port, 3000);
  });

  it('uses dummy credentials only against an emulator', () => {
    const config = AppConfig.fromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    assert.deepEqual(config.aws.credentials, { accessKeyId: 'test', secretAccessKey: 'test' });
  });

  it('selects MySQL from DATABASE_URL or DB_SECRET_ID', () => {
    assert.equal(
      AppConfig.fromEnv({ DATABASE_URL: 'mysql://u:p@h:3306/db' }).database.kind,
      'mysql',
    );
    assert.equal(AppConfig.fromEnv({ DB_SECRET_ID: 'prod/db' }).database.kind, 'mysql');
  });

  it('derives resource names from the prefix', () => {
    assert.equal(AppConfig.fromEnv({ RESOURCE_PREFIX: 'acme-dev' }).name('jobs'), 'acme-dev-jobs');
  });

  it('reads the file limits and the allowed types', () => {
    const defaults = AppConfig.fromEnv({}).files;
    assert.equal(defaults.maxBytes, 25 * 1024 * 1024);
    assert.equal(defaults.base64MaxBytes, 4 * 1024 * 1024);
    assert.ok(defaults.allowedTypes.includes('application/pdf'));
    assert.ok(!defaults.allowedTypes.includes('text/html'));
    const custom = AppConfig.fromEnv({ FILES_ALLOWED_TYPES: ' Image/PNG , application/pdf' });
    assert.deepEqual(custom.files.allowedTypes, ['image/png', 'application/pdf']);
    assert.deepEqual(
      problemsOf({ FILES_ALLOWED_TYPES: 'pdf,png', FILES_MAX_BYTES: '-1' })
        .map((p) => p.split(':')[0])
        .sort(),
      ['FILES_ALLOWED_TYPES', 'FILES_MAX_BYTES'],
    );
  });
});
