import assert from 'node:assert/strict';
import type { INestApplicationContext } from '@nestjs/common';
import { after, before, describe, it } from 'node:test';
import { startApi, startWorkerApp, testConfig, type RunningApi } from '../e2e/support/harness.js';
import { newUser, type TestUser } from '../e2e/support/projects.js';
import { FAULT_COUNT_TYPE, FaultJobHandlersModule } from './support/fault-job-handlers.js';
import {
  freezeMoto,
  line,
  load,
  overlapping,
  poll,
  record,
  summarize,
  tally,
} from './support/fault.js';
import { countStatuses, executionsOf, ownerJobs, resultItems } from './support/job-state.js';

// Short lease and sweep so that whatever the freeze left behind (a claim whose answer was lost, a
// message never sent) is picked up again within the test; the timeouts are the defaults.
const TUNING = { JOBS_LEASE_SECONDS: '10', JOBS_SWEEP_AFTER_SECONDS: '5' };

describe('AWS emulator frozen (SIGSTOP) for 10 s under POST /jobs load', () => {
  const config = testConfig(TUNING);
  const bound = config.aws.timeouts.callBoundMs;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let user: TestUser;

  before(async () => {
    user = await newUser('fault-freeze');
    api = await startApi(config, [FaultJobHandlersModule]);
    worker = await startWorkerApp(TUNING, 'process', [FaultJobHandlersModule]);
  });
  after(async () => {
    await worker.close();
    await api.close();
  });

  it('answers 503 problem+json with Retry-After within the timeout bound; every 202 job runs once', async (t) => {
    const post = (signal: AbortSignal, client: number, n: number) =>
      fetch(`${api.url}/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: FAULT_COUNT_TYPE, payload: { client, n } }),
        signal,
      });
    // Warm: token keys, user pool and queue URLs are cached before the freeze.
    assert.equal((await post(AbortSignal.timeout(10_000), -1, 0)).status, 202);

    const started = Date.now();
    const [samples, frozen] = await Promise.all([
      load({ clients: 4, durationMs: 20_000, capMs: bound + 5000, send: post }),
      freezeMoto(3000, 10_000),
    ]);
    const all = summarize(samples);
    const during = summarize(overlapping(samples, frozen));
    t.diagnostic(`timeout bound ${bound} ms (3 x ${config.aws.timeouts.requestMs} ms + backoff)`);
    t.diagnostic(`all:    ${line(all)}`);
    t.diagnostic(`frozen: ${line(during)}`);

    const unexpected = samples.filter((s) => s.status !== 202 && s.status !== 503);
    assert.deepEqual(
      unexpected.map((s) => ({ status: s.status, ms: s.ms, body: s.body })),
      [],
      'only 202 or 503',
    );
    const slow = samples.filter((s) => s.ms > bound + 1000);
    assert.deepEqual(
      slow.map((s) => ({ status: s.status, ms: s.ms, at: s.startedAt - frozen.from })),
      [],
      `no request over ${bound + 1000} ms`,
    );
    const refused = samples.filter((s) => s.status === 503);
    assert.ok((during.statuses['503'] ?? 0) > 0, 'the freeze is answered with 503');
    for (const s of refused) {
      assert.match(s.contentType, /^application\/problem\+json/);
      assert.match(s.retryAfter ?? '', /^[1-9]\d*$/, 'Retry-After in seconds');
      assert.equal(s.body.code, 'dependency-unavailable');
    }

    // Afterwards: every accepted job SUCCEEDED, its body ran once; nothing left behind.
    const accepted = new Set(
      samples
        .filter((s) => s.status === 202)
        .map((s) => (typeof s.body.id === 'string' ? s.body.id : '')),
    );
    const jobs = await poll(
      async () => {
        const current = await ownerJobs(user.sub);
        const counts = countStatuses(current);
        const open = (counts.QUEUED ?? 0) + (counts.RUNNING ?? 0);
        const done = current.filter((j) => accepted.has(j.id) && j.status === 'SUCCEEDED');
        return open === 0 && done.length === accepted.size ? current : undefined;
      },
      120_000,
      2000,
      'every accepted job to finish',
    );
    const results = await resultItems(jobs.map((j) => j.id));
    const runs = new Map(jobs.map((j) => [j.id, executionsOf(results.get(j.id))]));
    const storedDespite503 = jobs.filter((j) => !accepted.has(j.id)).length - 1; // minus warm-up
    const summary = {
      boundMs: bound,
      freeze: { from: frozen.from - started, to: frozen.to - started },
      all,
      duringFreeze: during,
      accepted: accepted.size,
      storedAlthoughAnswered503: storedDespite503,
      statuses: countStatuses(jobs),
      bodyRuns: tally([...runs.values()].map((r) => `ran ${r.runs}x`)),
      recoveredWithinMs: Date.now() - frozen.to,
    };
    t.diagnostic(
      `after: ${JSON.stringify(summary.statuses)}, body runs ${JSON.stringify(summary.bodyRuns)}, ${storedDespite503} stored although answered 503`,
    );
    record('emulator-freeze', { ...summary, samples });

    assert.deepEqual(
      countStatuses(jobs),
      { SUCCEEDED: jobs.length },
      'nothing stuck, nothing failed',
    );
    for (const job of jobs) {
      // Once per attempt at most; a second run only after an attempt that failed (its own
      // writes timed out in the freeze), never twice under one claim.
      const ran = runs.get(job.id);
      assert.ok(
        ran && ran.runs >= 1 && !ran.sameAttemptTwice,
        `job ${job.id}: ${JSON.stringify(ran)}`,
      );
      assert.ok(Math.max(...ran.attempts) <= job.attempts, `job ${job.id} ran only when claimed`);
      assert.equal(job.result?.key, job.id, 'its result location');
    }
  });
});
