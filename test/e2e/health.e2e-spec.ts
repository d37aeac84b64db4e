import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { proxiedAwsEndpoints } from './support/emulator.js';
import { json, startApi, testConfig, type RunningApi } from './support/harness.js';
import { startTcpProxy } from './support/tcp-proxy.js';

const AWS_PARTS = ['dynamodb', 's3', 'sqs', 'eventbridge', 'ses', 'secretsmanager', 'cognito'];

describe('GET /health/*', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('live answers 200 and ready answers 200 with every part up', async () => {
    const api = await startApi();
    cleanups.push(() => api.close());
    assert.equal((await fetch(`${api.url}/health/live`)).status, 200);
    const response = await fetch(`${api.url}/health/ready`);
    const body = await json(response);
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.deepEqual(Object.keys(body.details as object).sort(), ['database', ...AWS_PARTS].sort());
  });

  it('ready answers 503 naming every AWS part when the emulators become unreachable', async () => {
    const aws = await proxiedAwsEndpoints();
    cleanups.push(() => aws.close());
    const api: RunningApi = await startApi(testConfig(aws.env));
    cleanups.push(() => api.close());
    assert.equal((await fetch(`${api.url}/health/ready`)).status, 200);

    aws.down();
    const response = await fetch(`${api.url}/health/ready`);
    assert.equal(response.status, 503);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = await json(response);
    assert.deepEqual([...(problem.failing as string[])].sort(), [...AWS_PARTS].sort());
    assert.match(String(problem.detail), /dynamodb/);
    assert.equal(
      (await fetch(`${api.url}/health/live`)).status,
      200,
      'liveness does not depend on AWS',
    );
  });

  it('ready answers 503 naming the database when it becomes unreachable', async () => {
    const config = testConfig();
    if (config.database.kind === 'mysql') {
      const url = new URL(process.env.DATABASE_URL ?? '');
      const proxy = await startTcpProxy(url.hostname, Number(url.port || 3306));
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      const api = await startApi(
        testConfig({ DATABASE_URL: url.toString(), DB_MIGRATIONS_RUN: 'false' }),
      );
      cleanups.push(() => api.close());
      assert.equal((await fetch(`${api.url}/health/ready`)).status, 200);
      await proxy.close();
      const response = await fetch(`${api.url}/health/ready`);
      assert.equal(response.status, 503);
      assert.deepEqual((await json(response)).failing, ['database']);
    } else {
      // WAL: another process holding the write lock does not stop readers, so the outage is the
      // connection itself going away (and coming back).
      const api = await startApi(testConfig({ DB_MIGRATIONS_RUN: 'false' }));
      cleanups.push(() => api.close());
      assert.equal((await fetch(`${api.url}/health/ready`)).status, 200);
      const other = new DatabaseSync(config.database.path);
      other.exec('BEGIN IMMEDIATE');
      try {
        assert.equal((await fetch(`${api.url}/health/ready`)).status, 200, 'readers go on');
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      const dataSource = api.app.get(DataSource);
      await dataSource.destroy();
      try {
        const response = await fetch(`${api.url}/health/ready`);
        assert.equal(response.status, 503);
        assert.deepEqual((await json(response)).failing, ['database']);
      } finally {
        await dataSource.initialize();
      }
      assert.equal(
        (await fetch(`${api.url}/health/ready`)).status,
        200,
        'recovers when it reconnects',
      );
    }
  });
});
