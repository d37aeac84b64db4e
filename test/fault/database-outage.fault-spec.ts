import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it, type TestContext } from 'node:test';
import { startApi, testConfig } from '../e2e/support/harness.js';
import { call, newUser } from '../e2e/support/projects.js';
import { startTcpProxy } from '../e2e/support/tcp-proxy.js';
import { line, load, outage, overlapping, record, summarize } from './support/fault.js';

const onMysql = testConfig().database.kind === 'mysql';
const skip = onMysql
  ? false
  : 'needs DATABASE_URL=mysql://...: the embedded SQLite file has no server to stop';
/** The request deadline of the frozen case: short, so the test stays short. */
const DEADLINE_MS = 5000;

describe('SQL database out for 10 s under POST /projects load', { concurrency: true }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /**
   * The shared server stays up: the API reaches it through a proxy this test takes down (every
   * connection reset: a stopped server) or freezes (connections open, no byte forwarded: a hung
   * server), for 10 s after 3 s of a 20 s load from 4 clients. Both cases run at once (own proxy,
   * own API, own user), which keeps the fault tier within its 5 minutes.
   */
  async function outageUnderLoad(
    t: TestContext,
    mode: 'stopped' | 'frozen',
    overrides: NodeJS.ProcessEnv,
    boundOf: (config: ReturnType<typeof testConfig>) => number,
  ): Promise<void> {
    const url = new URL(process.env.DATABASE_URL ?? '');
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 3306));
    cleanups.push(() => proxy.close());
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const config = testConfig({
      DATABASE_URL: url.toString(),
      DB_MIGRATIONS_RUN: 'false',
      ...overrides,
    });
    const bound = boundOf(config);
    const api = await startApi(config);
    cleanups.push(() => api.close());
    const user = await newUser(`fault-db-${mode}`);
    const run = randomUUID().slice(0, 8);

    const post = (signal: AbortSignal, client: number, n: number) =>
      fetch(`${api.url}/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `fault ${run} ${client}-${n}`, description: mode }),
        signal,
      });
    assert.equal((await post(AbortSignal.timeout(10_000), -1, 0)).status, 201);

    const [samples, out] = await Promise.all([
      load({ clients: 4, durationMs: 20_000, capMs: bound + 5000, send: post }),
      mode === 'stopped'
        ? outage(3000, 10_000, proxy.down, proxy.up)
        : outage(3000, 10_000, proxy.freeze, proxy.thaw),
    ]);
    const all = summarize(samples);
    const during = summarize(overlapping(samples, out));
    t.diagnostic(`bound ${bound} ms`);
    t.diagnostic(`all:  ${line(all)}`);
    t.diagnostic(`${mode}: ${line(during)}`);

    const unexpected = samples.filter((s) => s.status !== 201 && s.status !== 503);
    assert.deepEqual(
      unexpected.map((s) => ({ status: s.status, ms: s.ms, body: s.body })),
      [],
      'only 201 or 503',
    );
    assert.ok(all.maxMs <= bound + 1000, `no request over ${bound + 1000} ms`);
    assert.ok((during.statuses['503'] ?? 0) > 0, 'the outage is answered with 503');
    for (const s of samples.filter((sample) => sample.status === 503)) {
      assert.match(s.contentType, /^application\/problem\+json/);
      assert.match(s.retryAfter ?? '', /^[1-9]\d*$/, 'Retry-After in seconds');
      assert.equal(s.body.code, 'dependency-unavailable');
    }

    // Afterwards every created project is there, and new ones are accepted again.
    const afterwards = await post(AbortSignal.timeout(bound + 5000), -1, 1);
    const created = samples.filter((s) => s.status === 201).map((s) => String(s.body.id));
    const missing: string[] = [];
    for (const id of created) {
      const read = await call(api.url, user, 'GET', `/projects/${id}`);
      if (read.status !== 200) missing.push(`${id}: ${read.status}`);
    }
    record(`database-${mode}`, {
      boundMs: bound,
      all,
      duringOutage: during,
      created: created.length,
      missing,
      samples,
    });
    t.diagnostic(`after: ${created.length} created, ${missing.length} missing`);
    assert.deepEqual(missing, [], 'every 201 project is stored');
    assert.equal(afterwards.status, 201, 'recovered');
  }

  it(
    'stopped (connections reset): 503 problem+json with Retry-After at once; every 201 project is kept',
    { skip },
    (t) => outageUnderLoad(t, 'stopped', {}, (config) => config.aws.timeouts.callBoundMs),
  );

  it(
    'frozen (connections hang): 503 problem+json with Retry-After by the request deadline; every 201 project is kept',
    { skip },
    (t) =>
      outageUnderLoad(
        t,
        'frozen',
        { HTTP_REQUEST_TIMEOUT_MS: String(DEADLINE_MS) },
        (config) => config.requestTimeoutMs,
      ),
  );
});
