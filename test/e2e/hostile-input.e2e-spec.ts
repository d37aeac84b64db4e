import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createProject, objectKeys, pdfBytes, postMultipart } from './support/files.js';
import { startApi, type RunningApi } from './support/harness.js';
import { call, newUser, type TestUser } from './support/projects.js';

/** Hostile input found by fuzzing and probing (issue 14): each answered at the door, never a 500. */
describe('hostile input', () => {
  let api: RunningApi;
  let user: TestUser;

  before(async () => {
    api = await startApi();
    user = await newUser('hostile');
  });
  after(async () => {
    await api.close();
  });

  const post = (path: string, body: string) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(10_000),
    });

  for (const levels of [33, 5_000, 50_000]) {
    it(`refuses JSON nested ${levels} levels deep with 400 json-too-deep, on every JSON route`, async () => {
      const payload = `${'['.repeat(levels)}1${']'.repeat(levels)}`;
      for (const [path, body] of [
        ['/jobs', `{"type":"db","payload":{"deep":${payload}}}`],
        ['/projects', `{"name":"deep","description":"x","extra":${payload}}`],
      ] as const) {
        const response = await post(path, body);
        assert.equal(response.status, 400, `${path}: ${await response.clone().text()}`);
        assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
        const problem = (await response.json()) as { code: string; maxDepth: number };
        assert.equal(problem.code, 'json-too-deep');
        assert.equal(problem.maxDepth, 32);
      }
    });
  }

  for (const size of [200_000, 4 * 1024 * 1024])
    it(
      `answers an early refusal of a ${size}-byte upload at once (415, not a hang)`,
      {
        timeout: 20_000,
      },
      async () => {
        const projectId = await createProject(api.url, user);
        for (const path of [`/projects/${projectId}/files`, '/images']) {
          const started = Date.now();
          const result = await postMultipart(api.url, path, user, {
            name: 'r.bin',
            type: 'application/octet-stream',
            data: randomBytes(size),
          });
          assert.equal(result.status, 415, `${path}: ${result.text}`);
          assert.ok(Date.now() - started < 5000, `${path} answered in ${Date.now() - started} ms`);
        }
      },
    );

  it('treats names that look the same as the same project name (409)', async () => {
    const base = `Café Project ${Date.now()}`;
    const first = await call(api.url, user, 'POST', '/projects', { body: { name: base } });
    assert.equal(first.status, 201, first.text);
    for (const lookalike of [
      base.replace('Pro', 'Pro\u200b'),
      base.replace(' ', '\u3000'),
      `\u202e${base}`,
      base.replace('é', 'e\u0301'),
    ]) {
      const again = await call(api.url, user, 'POST', '/projects', { body: { name: lookalike } });
      assert.equal(again.status, 409, `${JSON.stringify(lookalike)}: ${again.text}`);
    }
  });

  it('opens accounts only in ISO 4217 currencies and books in their minor unit', async () => {
    for (const currency of ['ZZZ', 'XAU', 'eur']) {
      const refused = await call(api.url, user, 'POST', '/accounts', {
        body: { holderName: 'Ada', email: 'ada@example.test', currency },
      });
      assert.equal(refused.status, 400, `${currency}: ${refused.text}`);
    }
    const opened = await call(api.url, user, 'POST', '/accounts', {
      body: { holderName: 'Ada', email: 'ada@example.test', currency: 'UGX' },
    });
    assert.equal(opened.status, 201, opened.text);
    const path = `/accounts/${String(opened.body.id)}/operations`;
    const cents = await call(api.url, user, 'POST', path, {
      body: { type: 'deposit', amount: '12.50', reference: 'x' },
    });
    assert.equal(cents.status, 422, 'the Uganda shilling has no minor unit');
    const whole = await call(api.url, user, 'POST', path, {
      body: { type: 'deposit', amount: '1250', reference: 'x' },
    });
    assert.equal(whole.status, 201, whole.text);
    assert.equal(whole.body.amount, '1250');
  });

  it('refuses a form with two file parts (400) and stores neither', async () => {
    const projectId = await createProject(api.url, user);
    const boundary = `----hostile${Date.now()}`;
    const part = (name: string) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        pdfBytes(3000),
        Buffer.from('\r\n'),
      ]);
    const response = await fetch(`${api.url}/projects/${projectId}/files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${user.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body: Buffer.concat([part('one.pdf'), part('two.pdf'), Buffer.from(`--${boundary}--\r\n`)]),
      signal: AbortSignal.timeout(10_000),
    });
    const problem = (await response.json()) as { code: string; detail: string };
    assert.equal(response.status, 400, JSON.stringify(problem));
    assert.equal(problem.code, 'malformed-upload');
    assert.match(problem.detail, /more than one file part/);
    assert.deepEqual(await objectKeys(`${projectId}/`), []);
    const listed = await call(api.url, user, 'GET', `/projects/${projectId}/files`);
    assert.deepEqual(listed.body.items, []);
  });
});
