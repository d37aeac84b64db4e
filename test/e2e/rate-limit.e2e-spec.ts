/**
 * The API's rate limit across processes: one API in this process and one spawned as its own
 * process (`node dist/apps/api/src/main.js`), both counting in the emulator's `rate-limits` table.
 * A small budget (5 per 8 s window), fresh users, and client addresses no other test file uses,
 * so that parallel files (which share the table) cannot spend this file's budgets.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  json,
  signInUser,
  spawnNode,
  startApi,
  testConfig,
  testEnv,
  type RunningApi,
  type SpawnedProcess,
} from './support/harness.js';

const LIMIT = 5;
const WINDOW_MS = 8000;
const limits = { RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: '8' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Waits, if need be, for a window with at least `ms` left (windows are aligned to the epoch). */
async function windowWithAtLeast(ms: number): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < ms) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

/**
 * An X-Forwarded-For of a client (a TEST-NET-3 address it wrote) and of the proxy that appended the
 * address it saw (TEST-NET-2, a different one at each call of this run).
 */
let nextAddress = Math.floor(Math.random() * 200);
const forwardedFor = () => `203.0.113.7, 198.51.100.${1 + (nextAddress++ % 254)}`;

describe('rate limit (per caller, shared by every API process)', () => {
  // Trusts one proxy hop, so each test can present client addresses no other file uses.
  let inProcess: RunningApi;
  // The default: no proxy trusted, X-Forwarded-For ignored.
  let spawned: SpawnedProcess;
  let spawnedUrl = '';
  let alice = '';
  let bob = '';

  before(async () => {
    inProcess = await startApi(testConfig({ ...limits, HTTP_TRUST_PROXY_HOPS: '1' }));
    const port = await freePort();
    spawned = spawnNode('dist/apps/api/src/main.js', testEnv({ ...limits, PORT: String(port) }));
    spawnedUrl = `http://127.0.0.1:${port}`;
    [alice, bob] = await Promise.all([
      signInUser(`rate-alice-${randomUUID()}@example.com`),
      signInUser(`rate-bob-${randomUUID()}@example.com`),
    ]);
    await eventually(
      () =>
        fetch(`${spawnedUrl}/health/live`, { headers: { 'x-forwarded-for': '192.0.2.1' } })
          .then((r) => (r.ok ? true : undefined))
          .catch(() => undefined),
      30_000,
      `the spawned API (${spawned.output().slice(-500)})`,
    );
  });

  after(async () => {
    spawned.child.kill('SIGTERM');
    await spawned.exited;
    await inProcess.close();
  });

  const me = (url: string, token: string) =>
    fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });

  it('counts a user across both processes, answers 429 problem+json with Retry-After, and lets it in again when the window ends', async () => {
    await windowWithAtLeast(6000);
    const urls = [inProcess.url, spawnedUrl];
    for (let i = 0; i < LIMIT; i++) {
      const response = await me(urls[i % 2] ?? '', alice);
      assert.equal(response.status, 200, `request ${i + 1} of ${LIMIT}`);
      assert.equal(response.headers.get('x-ratelimit-limit'), String(LIMIT));
      assert.equal(response.headers.get('x-ratelimit-remaining'), String(LIMIT - 1 - i));
    }
    for (const url of urls) {
      const refused = await me(url, alice);
      assert.equal(refused.status, 429, `over the limit on ${url}`);
      assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(
        Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 8,
        `Retry-After ${refused.headers.get('retry-after')}`,
      );
      const body = await json(refused);
      assert.equal(body.code, 'too-many-requests');
      assert.equal(body.status, 429);
      assert.equal(body.limit, LIMIT);
      assert.equal(typeof body.correlationId, 'string');
    }

    // Another user from the same address has a budget of its own: the caller is the verified
    // user (the AuthGuard ran first), not the address.
    assert.equal((await me(spawnedUrl, bob)).status, 200);

    const retryAfter = Number((await me(inProcess.url, alice)).headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 200));
    assert.equal((await me(inProcess.url, alice)).status, 200, 'a new window');
  });

  it('counts anonymous callers of public routes by client address, behind the trusted proxy', async () => {
    await windowWithAtLeast(4000);
    const client = forwardedFor();
    const live = (header: string) =>
      fetch(`${inProcess.url}/health/live`, { headers: { 'x-forwarded-for': header } });
    for (let i = 0; i < LIMIT; i++) assert.equal((await live(client)).status, 200);
    assert.equal((await live(client)).status, 429);
    // The hop the proxy appended is the address: a different client is let in...
    assert.equal((await live(forwardedFor())).status, 200);
    // ...but what the client itself wrote left of it changes nothing.
    const [, proxyAppended] = client.split(', ');
    assert.equal((await live(`10.9.8.7, ${proxyAppended}`)).status, 429);
  });

  it('ignores X-Forwarded-For when no proxy is trusted (the default): forged addresses share one budget', async () => {
    await windowWithAtLeast(4000);
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) {
      const response = await fetch(`${spawnedUrl}/health/live`, {
        headers: { 'x-forwarded-for': forwardedFor() },
      });
      statuses.push(response.status);
    }
    // Other files' anonymous calls from 127.0.0.1 may spend this budget sooner, never later.
    assert.ok(statuses.includes(429), `statuses ${statuses.join(',')}`);
  });
});
