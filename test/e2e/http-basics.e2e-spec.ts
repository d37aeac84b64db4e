import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { json, startApi, testConfig, type RunningApi } from './support/harness.js';

describe('HTTP basics: correlation ids, problem+json, limits, headers, CORS', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi(
      testConfig({ CORS_ORIGINS: 'https://app.example.test', HTTP_BODY_LIMIT_BYTES: '2048' }),
    );
  });
  after(async () => {
    await api.close();
  });

  it('echoes a caller-supplied correlation id and mints one otherwise', async () => {
    const given = await fetch(`${api.url}/health/live`, {
      headers: { 'x-correlation-id': 'abc-123' },
    });
    assert.equal(given.headers.get('x-correlation-id'), 'abc-123');
    const minted = await fetch(`${api.url}/health/live`, {
      headers: { 'x-correlation-id': 'bad id with spaces' },
    });
    assert.match(minted.headers.get('x-correlation-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('puts the correlation id into problem documents', async () => {
    const response = await fetch(`${api.url}/no-such-route`, {
      headers: { 'x-correlation-id': 'trace-404' },
    });
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = await json(response);
    assert.equal(problem.correlationId, 'trace-404');
    assert.equal(problem.instance, '/no-such-route');
  });

  it('answers 413 problem+json for a body over the limit, 400 for malformed JSON', async () => {
    // A route that takes a body (POST /me would be a 405, refused before its body is read); the
    // body is refused before authentication.
    const big = await fetch(`${api.url}/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ blob: 'x'.repeat(4096) }),
    });
    assert.equal(big.status, 413);
    assert.equal((await json(big)).code, 'payload-too-large');
    const malformed = await fetch(`${api.url}/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"unterminated": ',
    });
    assert.equal(malformed.status, 400);
    assert.equal((await json(malformed)).code, 'malformed-body');
  });

  it('sends helmet security headers and no x-powered-by', async () => {
    const response = await fetch(`${api.url}/health/live`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(response.headers.get('content-security-policy'));
    assert.equal(response.headers.get('x-powered-by'), null);
  });

  it('allows CORS for configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/me`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight('https://app.example.test');
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example.test');
    const denied = await preflight('https://evil.example.test');
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
  });
});
