import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cannotForgeCognitoTokens, forgeCognitoToken } from './support/emulator.js';
import { decodePayload, foreignKey, signJwt } from './support/jwt.js';
import { json, signInUser, spawnNode, startApi, type RunningApi } from './support/harness.js';

const forgeSkip = await cannotForgeCognitoTokens();

describe('Cognito JWT guard', () => {
  let api: RunningApi;
  let token = '';

  before(async () => {
    api = await startApi();
    const run = spawnNode('dist/scripts/token.js'); // exactly what `npm run token` runs
    assert.equal(await run.exited, 0, run.output());
    token = run.output().trim().split('\n').pop() ?? '';
  });
  after(async () => {
    await api.close();
  });

  const me = (authorization?: string) =>
    fetch(`${api.url}/me`, { headers: authorization ? { authorization } : {} });

  it('answers 401 problem+json without a token', async () => {
    const response = await me();
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = await json(response);
    assert.equal(body.code, 'unauthorized');
    assert.equal(typeof body.correlationId, 'string');
  });

  it('answers 200 with the token from npm run token', async () => {
    const response = await me(`Bearer ${token}`);
    assert.equal(response.status, 200);
    const body = await json(response);
    assert.equal(body.sub, decodePayload(token).sub);
  });

  it('rejects a malformed token', async () => {
    assert.equal((await me('Bearer not.a.jwt')).status, 401);
    assert.equal((await me(`Basic ${token}`)).status, 401);
  });

  it('rejects a token from a foreign issuer signed with another key', async () => {
    const payload = {
      ...decodePayload(token),
      iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Foreign1',
    };
    const response = await me(`Bearer ${signJwt(payload, foreignKey(), 'dummy')}`);
    assert.equal(response.status, 401);
  });

  it(
    'rejects a correctly signed token from another issuer or audience',
    { skip: forgeSkip },
    async () => {
      const payload = decodePayload(token);
      const foreignIssuer = forgeCognitoToken({
        ...payload,
        iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other99',
      });
      assert.equal((await me(`Bearer ${foreignIssuer}`)).status, 401);
      const foreignClient = forgeCognitoToken({ ...payload, client_id: 'someone-elses-client' });
      assert.equal((await me(`Bearer ${foreignClient}`)).status, 401);
      const control = forgeCognitoToken(payload);
      assert.equal(
        (await me(`Bearer ${control}`)).status,
        200,
        'the forged copy of a valid token passes, so the checks above test one claim each',
      );
    },
  );

  it('rejects an expired token', { skip: forgeSkip }, async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = forgeCognitoToken({
      ...decodePayload(token),
      iat: now - 7200,
      auth_time: now - 7200,
      exp: now - 3600,
    });
    const response = await me(`Bearer ${expired}`);
    assert.equal(response.status, 401);
    assert.match(String((await json(response)).detail), /expired/i);
  });

  it('leaves health and docs public', async () => {
    assert.equal((await fetch(`${api.url}/health/live`)).status, 200);
    assert.equal((await fetch(`${api.url}/docs-json`)).status, 200);
    assert.equal((await fetch(`${api.url}/docs`)).status, 200);
  });

  it('declares bearer auth in the OpenAPI document', async () => {
    const document = await json(await fetch(`${api.url}/docs-json`));
    const schemes = (
      document.components as { securitySchemes?: Record<string, { scheme?: string }> }
    ).securitySchemes;
    assert.equal(schemes?.bearer?.scheme, 'bearer');
  });
});

describe('group-restricted routes', () => {
  it('signInUser creates users whose groups reach the principal', async () => {
    const api = await startApi();
    try {
      const admin = await signInUser(`admin-${Date.now()}@example.test`, ['admin']);
      const body = await json(
        await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${admin}` } }),
      );
      assert.deepEqual(body.groups, ['admin']);
    } finally {
      await api.close();
    }
  });
});
